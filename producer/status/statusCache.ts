import type { StatusReport } from './readStatus.ts';

/**
 * How long an isolate answers GET / and GET /status from the read pass it last made. The surface
 * is public unless closed (STATUS_TOKEN, Cloudflare Access), and one pass costs a MongoDB client
 * (TLS and a login on Atlas), a pass of count and `$group` queries and two Durable Object calls:
 * with this, however many callers (and tabs: the page reloads itself every 30 s, the same figure),
 * an isolate makes at most one pass per interval. Status figures move in minutes, not seconds.
 */
export const STATUS_CACHE_MS = 30_000;

/**
 * A caller that finds another's pass under way waits for it this long, then makes its own. The
 * pass belongs to the request that started it (workerd ties its sockets to that request); should
 * that request be cancelled, its pass would never settle, and the others must not wait for ever.
 * Two server selections at MONGODB_TIMEOUT_MS's default (20 s) and the queries fit inside.
 */
export const STATUS_WAIT_MS = 60_000;

type Outcome = { ok: true; report: StatusReport } | { ok: false; error: unknown };

interface Pass {
  /** When the pass settled (for the interval), or undefined while it runs. */
  settledAt?: number;
  outcome?: Outcome;
  running: Promise<Outcome>;
  startedAt: number;
}

/**
 * The last pass per database (`MONGODB_URI` + `MONGODB_DB`: one in production; a test may run
 * several Worker envs in one process). Module state, so one per isolate.
 */
const passes = new Map<string, Pass>();

/**
 * The status for `key`: the last pass's outcome while younger than STATUS_CACHE_MS, else the pass
 * under way, else a new pass with `read`. A failure is kept for the interval as well: an
 * unreachable or refusing MongoDB is asked once per interval, not once per caller.
 *
 * Only a settled outcome or a running promise is shared between requests, never a MongoDB client:
 * workerd does not let a socket opened for one request be used by another, so each pass opens its
 * client and closes it at its end (shared/store/db.ts `withDb`). A request awaiting another's pass
 * resumes in its own context (the `handle_cross_request_promise_resolution` behaviour, on since the
 * 2024-10-14 compatibility date).
 */
export async function cachedStatus(key: string, read: () => Promise<StatusReport>): Promise<StatusReport> {
  const now = Date.now();
  const pass = passes.get(key);
  const fresh = pass?.settledAt !== undefined && now - pass.settledAt < STATUS_CACHE_MS;
  const waitable = pass !== undefined && pass.settledAt === undefined && now - pass.startedAt < STATUS_WAIT_MS;
  let outcome: Outcome;
  if (pass && (fresh || waitable)) outcome = pass.outcome ?? (await waitFor(pass, key, read));
  // This caller's own pass: awaited without a limit, as a read without the cache would be.
  else outcome = await start(key, read, now).running;
  if (outcome.ok) return outcome.report;
  throw outcome.error;
}

/** Forgets every pass: an operator's action (pause, replan, replay, …) shows on the next call. */
export function forgetStatusAnswers(): void {
  passes.clear();
}

function start(key: string, read: () => Promise<StatusReport>, now: number): Pass {
  const settle = (outcome: Outcome): Outcome => {
    pass.outcome = outcome;
    pass.settledAt = Date.now();
    return outcome;
  };
  const pass: Pass = {
    startedAt: now,
    running: read().then(
      (report) => settle({ ok: true, report }),
      (error: unknown) => settle({ ok: false, error }),
    ),
  };
  passes.set(key, pass);
  return pass;
}

/** The pass's outcome; if it has not settled within STATUS_WAIT_MS of its start, a pass of this caller's own. */
async function waitFor(pass: Pass, key: string, read: () => Promise<StatusReport>): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), Math.max(0, pass.startedAt + STATUS_WAIT_MS - Date.now()))));
  try {
    const outcome = await Promise.race([pass.running, late]);
    if (outcome) return outcome;
  } finally {
    clearTimeout(timer);
  }
  // Still the stuck pass there: replace it; another caller may have done so already.
  const current = passes.get(key);
  const next = current && current !== pass && current.settledAt === undefined ? current : start(key, read, Date.now());
  return next.running;
}
