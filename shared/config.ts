import * as v from 'valibot';
import { describeIssues } from './valibot/describeIssues.ts';

// `Env` (bindings, vars and secrets) is generated from wrangler.toml by `wrangler types` into
// worker-configuration.d.ts; a test fails when it is not current.

const url = v.pipe(v.string(), v.url(), v.transform((s) => s.replace(/\/+$/, '')));
const positiveInt = v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1));
const day = v.pipe(v.string(), v.isoDate(), v.transform((s) => new Date(`${s}T00:00:00Z`)));

/** Each variable with its default; an unset variable takes the default, a bad one fails naming itself. */
const ConfigSchema = v.object({
  FTS_API_URL: v.optional(url, 'https://www.find-tender.service.gov.uk'),
  CF_API_URL: v.optional(url, 'https://www.contractsfinder.service.gov.uk'),
  MONGODB_URI: v.pipe(v.string('MONGODB_URI is required (a secret; .dev.vars locally)'), v.regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')),
  /** A name MongoDB refuses would fail only at the first command: say so at the start instead. */
  MONGODB_DB: v.optional(v.pipe(v.string(), v.regex(/^[^/\\. "$]{1,63}$/, 'must be a database name: 1-63 characters, none of / \\ . " $ or space')), 'tendhunt'),
  /** How long to wait for MongoDB to answer a connection before the invocation fails (and is retried). */
  MONGODB_TIMEOUT_MS: v.optional(positiveInt, '20000'),
  FTS_REQUESTS_PER_MINUTE: v.optional(positiveInt, '6'),
  CF_REQUESTS_PER_MINUTE: v.optional(positiveInt, '6'),
  FTS_START_DATE: v.optional(day, '2021-01-01'),
  CF_START_DATE: v.optional(day, '2016-11-01'),
  /** How the release as published is kept: `object` (rawData), `gzip` (rawDataGz) or `off`. */
  STORE_RAW: v.optional(v.picklist(['object', 'gzip', 'off']), 'object'),
  /** Operations per bulkWrite: FerretDB hangs on one update matching >= 100 documents; Atlas takes more. */
  WRITE_CHUNK_SIZE: v.optional(v.pipe(positiveInt, v.maxValue(1000)), '20'),
  /** `limit` sent upstream: both services take 1-100. */
  PAGE_LIMIT: v.optional(v.pipe(positiveInt, v.maxValue(100)), '100'),
  FETCH_TIMEOUT_MS: v.optional(positiveInt, '30000'),
  /** How long one fetch invocation pages before handing the window on in a follow-up message. */
  FETCH_INVOCATION_SECONDS: v.optional(positiveInt, '60'),
  /** FTS 429/503 without Retry-After: wait at least this long (UPSTREAM.md: >= 30 s). */
  FTS_DEFAULT_RETRY_SECONDS: v.optional(positiveInt, '30'),
  /** CF answers a rate-limit breach with a 403 HTML page: pause the source this long (UPSTREAM.md: 5 min). */
  CF_BLOCK_PAUSE_SECONDS: v.optional(positiveInt, '300'),
  /** Windows of one source fetched at once; more only queue for the same budget. */
  FETCH_WINDOWS_IN_FLIGHT: v.optional(positiveInt, '2'),
  /** A queued or fetching window with no progress for this long lost its message: the producer resumes it. */
  STALL_MINUTES: v.optional(positiveInt, '30'),
  /** A failed window is started again this many times, then stays failed until replayed or reset. */
  MAX_WINDOW_ATTEMPTS: v.optional(positiveInt, '3'),
  /** Bearer token for the Worker's admin endpoints (replay); unset = those endpoints are closed. */
  ADMIN_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, 'ADMIN_TOKEN must be at least 16 characters'))),
});

export type Config = v.InferOutput<typeof ConfigSchema>;
export type ConfigName = keyof typeof ConfigSchema.entries;
/** Where the variables come from: the Worker's `env`, or `process.env` for the operator scripts. */
export type ConfigInput = { readonly [name in ConfigName]?: unknown };
export const CONFIG_NAMES = Object.keys(ConfigSchema.entries) as ConfigName[];

const parsed = new WeakMap<object, Config>();

/** Reads the config once per env object; throws an error that names every bad variable. */
export function readConfig(env: ConfigInput): Config {
  const cached = parsed.get(env);
  if (cached) return cached;
  const result = v.safeParse(ConfigSchema, pickStrings(env));
  if (!result.success) {
    throw new Error(`bad config: ${describeIssues(result.issues, Infinity)}`);
  }
  parsed.set(env, result.output);
  return result.output;
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
