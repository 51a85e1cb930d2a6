import * as v from 'valibot';
import { sources } from './sources/sources.ts';
import type { SourceName } from './sources/sourceName.ts';
import { describeIssues } from './valibot/describeIssues.ts';
import { positiveInt } from './valibot/envFields.ts';

// `Env` (bindings, vars and secrets) is generated from wrangler.toml by `wrangler types` into
// worker-configuration.d.ts; a test fails when it is not current.

/**
 * Each shared variable with its default; an unset variable takes the default, a bad one fails
 * naming itself. A source's own variables (FTS_API_URL, CF_BLOCK_PAUSE_SECONDS, …) are declared by
 * its adapter (shared/sources/) and read here with these.
 */
const SharedSchema = v.object({
  MONGODB_URI: v.pipe(v.string('MONGODB_URI is required (a secret; .dev.vars locally)'), v.regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')),
  /** A name MongoDB refuses would fail only at the first command: say so at the start instead. */
  MONGODB_DB: v.optional(v.pipe(v.string(), v.regex(/^[^/\\. "$]{1,63}$/, 'must be a database name: 1-63 characters, none of / \\ . " $ or space')), 'tendhunt'),
  /** How long to wait for MongoDB to answer a connection before the invocation fails (and is retried). */
  MONGODB_TIMEOUT_MS: v.optional(positiveInt, '20000'),
  /** How the release as published is kept: `object` (rawData), `gzip` (rawDataGz) or `off`. */
  STORE_RAW: v.optional(v.picklist(['object', 'gzip', 'off']), 'object'),
  /** Operations per bulkWrite: FerretDB hangs on one update matching >= 100 documents; Atlas takes more. */
  WRITE_CHUNK_SIZE: v.optional(v.pipe(positiveInt, v.maxValue(1000)), '20'),
  /** `limit` sent upstream: both services take 1-100. */
  PAGE_LIMIT: v.optional(v.pipe(positiveInt, v.maxValue(100)), '100'),
  FETCH_TIMEOUT_MS: v.optional(positiveInt, '30000'),
  /**
   * An upstream down (5xx, timeouts) pauses its source this long after the first failure, doubling
   * with each failed probe up to UPSTREAM_PROBE_MAX_SECONDS (shared/rateGate/slotBook.ts, `failed`).
   */
  UPSTREAM_PROBE_SECONDS: v.optional(positiveInt, '15'),
  UPSTREAM_PROBE_MAX_SECONDS: v.optional(positiveInt, '120'),
  /** How long one fetch invocation pages before handing the window on in a follow-up message. */
  FETCH_INVOCATION_SECONDS: v.optional(positiveInt, '60'),
  /** Windows of one source fetched at once; more only queue for the same budget. */
  FETCH_WINDOWS_IN_FLIGHT: v.optional(positiveInt, '2'),
  /** A queued or fetching window with no progress for this long lost its message: the producer resumes it. */
  STALL_MINUTES: v.optional(positiveInt, '30'),
  /**
   * Minutes between delta ticks through the hour (shared/windows/deltaTicks.ts): 5 keeps a new
   * notice within ten minutes; a divisor of 60; 0 = the hourly cron's delta only.
   */
  DELTA_TICK_MINUTES: v.optional(v.pipe(v.picklist(['0', '5', '6', '10', '12', '15', '20', '30'], 'must be 0 or one of 5, 6, 10, 12, 15, 20, 30 (a divisor of 60)'), v.transform(Number)), '5'),
  /** A failed window is started again this many times, then stays failed until replayed or reset. */
  MAX_WINDOW_ATTEMPTS: v.optional(positiveInt, '3'),
  /**
   * `on`: every cron also creates the indexes of the product's documented queries
   * (shared/store/queryIndexes.ts); `off`: the product manages its own, and the doctor does not expect them.
   */
  QUERY_INDEXES: v.optional(v.picklist(['on', 'off']), 'on'),
  /** Days the change feed keeps an entry (a TTL index on its time: GET /changes answers 410 for a cursor older than that). */
  CHANGES_RETENTION_DAYS: v.optional(positiveInt, '30'),
  /**
   * Continuous reconciliation (docs/design.md, Reconciliation): requests a minute per source spent
   * re-walking the history once the backfill is done, only in slots the deltas and the backfill
   * leave free; 2 walks FTS's ~8,700 pages in about three days (CF's ~9,600 in a little more).
   * `off` (read as 0): never.
   */
  RECONCILE: v.optional(
    v.pipe(v.string(), v.regex(/^(off|[1-9]\d{0,3})$/, 'must be off or requests a minute per source (1-9999)'), v.transform((s) => (s === 'off' ? 0 : Number(s)))),
    '2',
  ),
  /**
   * Procurements of each month a reconciliation walk also asks through the source's record
   * endpoint (FTS `/ocdsReleasePackages/{ocid}`), a random sample of those stored: later notices
   * no list returned. 10 adds about 720 requests (8%) to an FTS pass. 0: none.
   */
  RECONCILE_RECORDS: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'must be procurements a month (0-999)'), v.transform(Number)), '10'),
  /** Bearer token for the Worker's admin endpoints (replay); unset = those endpoints are closed. */
  ADMIN_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, 'ADMIN_TOKEN must be at least 16 characters'))),
  /** Bearer token for GET /, /status and /gates (a secret); unset = those stay open to anyone who has the URL. */
  STATUS_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, 'STATUS_TOKEN must be at least 16 characters'))),
});

/** The shared variables' schema first, then each source's. */
const SCHEMAS = [SharedSchema, ...Object.values(sources).map((source) => source.settings)];

/** `A | B` → `A & B`: every source's variables side by side. */
type AllOf<U> = (U extends unknown ? (part: U) => void : never) extends (all: infer I) => void ? I : never;

export type Config = v.InferOutput<typeof SharedSchema> & AllOf<v.InferOutput<(typeof sources)[SourceName]['settings']>>;
export type ConfigName = keyof Config;
/** Where the variables come from: the Worker's `env`, or `process.env` for the operator scripts. */
export type ConfigInput = { readonly [name in ConfigName]?: unknown };
export const CONFIG_NAMES = variableNames(SCHEMAS) as ConfigName[];

const parsed = new WeakMap<object, Config>();

/** Reads the config once per env object; throws an error that names every bad variable. */
export function readConfig(env: ConfigInput): Config {
  const cached = parsed.get(env);
  if (cached) return cached;
  const strings = pickStrings(env);
  const results = SCHEMAS.map((schema) => v.safeParse(schema, strings));
  const issues = results.flatMap((result) => result.issues ?? []);
  if (issues.length > 0) {
    throw new Error(`bad config: ${describeIssues(issues, Infinity)}`);
  }
  // Each schema keeps only its own variables; together they are the whole Config.
  const config = Object.assign({}, ...results.map((result) => result.output)) as Config;
  parsed.set(env, config);
  return config;
}

/**
 * ADMIN_TOKEN alone, by its own check: undefined when unset or bad. The doctor (POST /admin/doctor)
 * opens with it while another variable is bad, so that it can say which.
 */
export function readAdminToken(env: ConfigInput): string | undefined {
  const result = v.safeParse(SharedSchema.entries.ADMIN_TOKEN, pickStrings(env).ADMIN_TOKEN);
  return result.success ? result.output : undefined;
}

/** Every variable read, in order; a name declared twice (two sources, or a source and the shared ones) is a bug. */
export function variableNames(schemas: readonly { entries: object }[]): string[] {
  const names = schemas.flatMap((schema) => Object.keys(schema.entries));
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new Error(`config variable ${twice} is declared twice`);
  return names;
}

/** Empty strings count as unset, so `--var X:` or an empty .dev.vars line falls back to the default. */
function pickStrings(env: ConfigInput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of CONFIG_NAMES) {
    const value = env[key];
    if (value !== undefined && value !== '') out[key] = String(value);
  }
  return out;
}
