/**
 * Injected faults: each armed for one source and a number of upcoming requests, used up as they
 * fire and counted. The body damage they do copies what the real services send.
 */
import { SOURCE_NAMES, type SourceName } from '../../shared/sources/sourceName.ts';

interface Aimed {
  source: SourceName;
  /** How many upcoming requests (of that source) get the fault. */
  count: number;
}

/** The statuses each service refuses with when it rate-limits (UPSTREAM.md); the first is the usual one. */
export const REFUSAL_STATUSES = { FIND_A_TENDER: [429, 503], CONTRACTS_FINDER: [403, 429], PUBLIC_CONTRACTS_SCOTLAND: [403, 429] } as const satisfies Record<SourceName, readonly number[]>;
export type RefusalStatus = (typeof REFUSAL_STATUSES)[SourceName][number];

export interface Faults {
  /**
   * Refuse as if rate-limited: FTS 429 (with Retry-After unless null), CF 403 HTML. `status`: the
   * service's other refusal instead (FTS 503, CF 429).
   */
  rateLimitStorm: Aimed & { retryAfterSeconds: number | null; status?: RefusalStatus };
  serverErrors: Aimed & { status: 500 | 502 | 503 | 504 };
  /** Answer after a delay. */
  slow: Aimed & { delayMs: number };
  /** Status 200 but only the first half of the body. */
  truncatedBody: Aimed;
  /** FTS: a ` 000,` and a `1e9999` number; CF: the body in windows-1252. Fires only where possible. */
  badBytes: Aimed;
  /** Full pages that have a next page are sent without `links`. */
  missingNextLink: Aimed;
  /**
   * The page that holds this release is cut off like truncatedBody, `count` times or, with
   * 'always', every time: a page no retry and no restart can read.
   */
  unreadablePage: Omit<Aimed, 'count'> & { releaseId: string; count: number | 'always' };
  /**
   * FTS only (seen there, UPSTREAM.md "Simulator"): a search page publishes one of its releases
   * twice, the copies adjacent and byte-identical. The page still holds `limit` rows: a full page
   * ends one release early to make room, and its next link starts at that release, so nothing is
   * lost or served twice across pages. Fires on the next `count` search pages (every one, with
   * 'always') that hold two rows or more; with `releaseId`, only on pages that hold that release
   * (the repeated one), else the page's middle release is repeated.
   */
  repeatedRelease: { source: 'FIND_A_TENDER'; count: number | 'always'; releaseId?: string };
  /**
   * A search answer whose window holds this release leaves it out, as if it were not published,
   * `count` times: a walk of that window silently misses it, a later walk (or the record endpoint)
   * returns it (UPSTREAM.md, "Hidden losses"). With `longerThanMs`, only answers over windows longer
   * than that: a loss that a shorter window does not show, as FTS's long windows lose releases.
   */
  omittedRelease: Aimed & { releaseId: string; longerThanMs?: number };
  /** FTS windows longer than 6 h silently lose every 5th release. */
  defectLongWindowLoss: boolean;
  /**
   * The service down for `durationMs`, from when it is armed (`startsInMs` later, if given): every
   * request of the source meets it, answered with `answers` in turn, a 5xx status or 'hang' (no
   * answer until the outage ends, past any client's timeout, then a 504). Armed by time, not count.
   */
  outage: { source: SourceName; durationMs: number; startsInMs?: number; answers: readonly OutageAnswer[] };
}

export type OutageAnswer = 500 | 502 | 503 | 504 | 'hang';
const OUTAGE_ANSWERS: readonly OutageAnswer[] = [500, 502, 503, 504, 'hang'];

export type FaultName = Exclude<keyof Faults, 'defectLongWindowLoss' | 'outage'>;
const FAULT_NAMES: readonly FaultName[] = ['rateLimitStorm', 'serverErrors', 'slow', 'truncatedBody', 'badBytes', 'missingNextLink', 'unreadablePage', 'repeatedRelease', 'omittedRelease'];
/** Faults that may be armed for good with `count: 'always'`. */
const ALWAYS_ALLOWED: readonly FaultName[] = ['unreadablePage', 'repeatedRelease'];

export interface FaultStore {
  /** Arms the given faults; a fault for one source leaves the other source's as it was. */
  set(faults: Partial<Faults>): void;
  armed(name: FaultName, source: SourceName): boolean;
  /** Uses up one of the fault, if armed for this source (and `applies` to this answer), and counts it. */
  take<K extends FaultName>(name: K, source: SourceName, applies?: (fault: Faults[K]) => boolean): Faults[K] | null;
  /** The outage of this source at `at`, if one runs then: its answer to this request (counted), and when it ends. */
  outage(source: SourceName, at: number): { answer: OutageAnswer; endsAt: number } | null;
  /** Counts a fault that is not armed per request (the long-window defect). */
  count(name: string): void;
  readonly longWindowLoss: boolean;
  counts(): Record<string, number>;
  resetCounts(): void;
}

/** `now`: the clock an outage is armed by (the simulator's). */
export function createFaultStore(longWindowLoss: boolean, now: () => number = Date.now): FaultStore {
  // 'always' is kept as an endless count.
  const armed = new Map<string, Omit<Aimed, 'count'> & { count: number }>();
  const outages = new Map<SourceName, { from: number; endsAt: number; answers: readonly OutageAnswer[]; hits: number }>();
  let counts: Record<string, number> = {};
  const key = (name: FaultName, source: SourceName) => `${name}:${source}`;
  const store: FaultStore = {
    set(faults) {
      if (faults.defectLongWindowLoss !== undefined) longWindowLoss = faults.defectLongWindowLoss;
      if (faults.outage) {
        const from = now() + (faults.outage.startsInMs ?? 0);
        outages.set(faults.outage.source, { from, endsAt: from + faults.outage.durationMs, answers: faults.outage.answers, hits: 0 });
      }
      for (const name of FAULT_NAMES) {
        const fault = faults[name];
        if (fault) armed.set(key(name, fault.source), { ...fault, count: fault.count === 'always' ? Infinity : fault.count });
      }
    },
    armed: (name, source) => (armed.get(key(name, source))?.count ?? 0) > 0,
    take(name, source, applies) {
      const fault = armed.get(key(name, source));
      if (!fault || fault.count <= 0 || (applies && !applies(fault as Faults[typeof name]))) return null;
      fault.count -= 1;
      store.count(name);
      return fault as Faults[typeof name];
    },
    outage(source, at) {
      const outage = outages.get(source);
      if (!outage || at < outage.from || at >= outage.endsAt) return null;
      store.count('outage');
      return { answer: outage.answers[outage.hits++ % outage.answers.length], endsAt: outage.endsAt };
    },
    count(name) {
      counts[name] = (counts[name] ?? 0) + 1;
    },
    get longWindowLoss() {
      return longWindowLoss;
    },
    counts: () => ({ ...counts }),
    resetCounts() {
      counts = {};
    },
  };
  return store;
}

/** Checks a `POST /__sim/faults` body; throws with the reason when it is not Partial<Faults>. */
export function parseFaults(body: unknown): Partial<Faults> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('expected a JSON object');
  const faults = body as Record<string, unknown>;
  for (const [name, value] of Object.entries(faults)) {
    if (name === 'defectLongWindowLoss') {
      if (typeof value !== 'boolean') throw new Error('defectLongWindowLoss must be a boolean');
      continue;
    }
    if (name === 'outage') {
      const outage = value as Partial<Faults['outage']> | null;
      const answers = outage?.answers;
      if (
        !outage ||
        !SOURCE_NAMES.includes(outage.source as SourceName) ||
        !(typeof outage.durationMs === 'number' && outage.durationMs > 0) ||
        !(outage.startsInMs === undefined || (typeof outage.startsInMs === 'number' && outage.startsInMs >= 0)) ||
        !Array.isArray(answers) ||
        answers.length === 0 ||
        !answers.every((a) => OUTAGE_ANSWERS.includes(a))
      ) {
        throw new Error(`outage needs a source (${SOURCE_NAMES.join(' or ')}), a durationMs > 0, answers of ${OUTAGE_ANSWERS.join(', ')}, and startsInMs ≥ 0 if any`);
      }
      continue;
    }
    if (!FAULT_NAMES.includes(name as FaultName)) throw new Error(`unknown fault '${name}'`);
    const fault = value as (Omit<Partial<Aimed>, 'count'> & { count?: unknown; releaseId?: unknown; status?: unknown }) | null;
    const always = ALWAYS_ALLOWED.includes(name as FaultName);
    if (!fault || !SOURCE_NAMES.includes(fault.source as SourceName) || !(Number.isInteger(fault.count) || (always && fault.count === 'always'))) {
      throw new Error(`${name} needs a source (${SOURCE_NAMES.join(' or ')}) and an integer count${always ? " or 'always'" : ''}`);
    }
    if (name === 'rateLimitStorm' && fault.status !== undefined && !(REFUSAL_STATUSES[fault.source as SourceName] as readonly unknown[]).includes(fault.status)) {
      throw new Error(`rateLimitStorm: ${fault.source} refuses with ${REFUSAL_STATUSES[fault.source as SourceName].join(' or ')}`);
    }
    if (name === 'omittedRelease' && typeof fault.releaseId !== 'string') throw new Error('omittedRelease needs the releaseId to leave out');
    if (name === 'unreadablePage' && typeof fault.releaseId !== 'string') throw new Error('unreadablePage needs the releaseId whose page is cut off');
    if (name === 'repeatedRelease') {
      if (fault.source !== 'FIND_A_TENDER') throw new Error('repeatedRelease is a Find a Tender quirk: its source is FIND_A_TENDER');
      if (fault.releaseId !== undefined && typeof fault.releaseId !== 'string') throw new Error('repeatedRelease: releaseId, if given, is a release id');
    }
  }
  return faults as Partial<Faults>;
}

/** Where a JSON number is the value of a key: `"amount":33721` → [key+colon, number]. */
const NUMBER_FIELD = /"[A-Za-z]+":(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?=[,}])/g;

/** One number of a body rewritten: `length` characters at `at` become `text`. */
export interface NumberEdit {
  at: number;
  length: number;
  text: string;
}

/**
 * FTS bodies have held ` 000,` (not JSON: `JSON.parse` throws; OCP rewrites it to ` 0,`) and
 * `1e9999` (parses to Infinity). Writes the first number followed by a comma as ` 000` and the
 * next number as `1e9999`; null when the body has no such number.
 */
export function withBadNumbers(body: string): string | null {
  const edits = badNumberEdits(body);
  return edits.length === 0 ? null : applyEdits(body, edits);
}

/** The edits withBadNumbers makes, in body order; none when the body has no number followed by a comma. */
export function badNumberEdits(body: string): NumberEdit[] {
  const numbers = [...body.matchAll(NUMBER_FIELD)].map((m) => ({ at: m.index + m[0].length - m[1].length, length: m[1].length, comma: body[m.index + m[0].length] === ',' }));
  const zero = numbers.find((n) => n.comma);
  if (!zero) return [];
  const huge = numbers.find((n) => n !== zero);
  return [{ at: zero.at, length: zero.length, text: ' 000' }, ...(huge ? [{ at: huge.at, length: huge.length, text: '1e9999' }] : [])].sort((a, b) => a.at - b.at);
}

export function applyEdits(body: string, edits: readonly NumberEdit[]): string {
  return [...edits].sort((a, b) => b.at - a.at).reduce((text, edit) => text.slice(0, edit.at) + edit.text + text.slice(edit.at + edit.length), body);
}

/**
 * CF text arrives in a single-byte encoding (OCP's collector reads it as ISO-8859-1, which WHATWG
 * decoders treat as windows-1252), and characters it cannot hold are lost ("Kbenhavn"). So `£` or
 * `•` become one byte each, which is not valid UTF-8. Null when the body has no such character.
 */
export function asWindows1252(body: string): Buffer | null {
  const bytes = Buffer.alloc(body.length);
  let length = 0;
  let nonAscii = false;
  for (const char of body) {
    const code = char.codePointAt(0) as number;
    const byte = code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : WINDOWS_1252_HIGH.get(code);
    if (byte === undefined) continue;
    nonAscii ||= byte >= 0x80;
    bytes[length++] = byte;
  }
  return nonAscii ? bytes.subarray(0, length) : null;
}

/** Bytes 0x80–0x9F of windows-1252 by code point (the five unassigned bytes map to themselves). */
const WINDOWS_1252_HIGH = new Map(
  [
    0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
    0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
  ].map((code, i) => [code, 0x80 + i]),
);

export function truncated(body: Buffer): Buffer {
  return body.subarray(0, Math.floor(body.length / 2));
}
