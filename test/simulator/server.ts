/**
 * One HTTP server playing the upstream services (FTS, CF, PCS) on their real paths, with their rate limits,
 * known defects and injectable faults, recording every request so tests can check how politely
 * and completely the pipeline fetched. Control endpoints under `/__sim/` serve out-of-process use.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SOURCE_NAMES, type SourceName } from '../../shared/sources/sourceName.ts';
import type { ApiContext, ApiResult } from './apiResult.ts';
import { CF_RECORD_PATH, CF_SEARCH_PATH, cfRateLimited, cfRecord, cfSearch, cfServerError } from './cfApi.ts';
import type { Dataset, SimRelease } from './dataset.ts';
import { asWindows1252, createFaultStore, parseFaults, REFUSAL_STATUSES, truncated, withBadNumbers, type Faults } from './faults.ts';
import { FTS_SEARCH_PATH, ftsNotice, ftsRateLimited, ftsSearch, ftsServerError } from './ftsApi.ts';
import { PCS_NOTICE_PATH, PCS_NOTICES_PATH, pcsNotices, pcsProcurement, pcsRateLimited, pcsServerError } from './pcsApi.ts';
import { indexReleases } from './paging.ts';
import { maxInAnyPeriod, slidingWindowLimiter, type RateLimit } from './rateLimiter.ts';
import { packageText, type ReleasePackage } from './releasePackage.ts';

export interface SimulatorOptions {
  dataset: Dataset;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Per source; a source without one is not limited. */
  rateLimit: Partial<Record<SourceName, RateLimit>>;
  defectLongWindowLoss?: boolean;
  /** Base of `uri` and `links.next` in packages; defaults to the server's own URL. */
  publicBaseUrl?: string;
  /** How long a polite client waits after a refusal without Retry-After (defaults 30 s FTS, 5 min CF). */
  pauseAfterRefusalMs?: Partial<Record<SourceName, number>>;
  /**
   * Requests arriving this soon after a refusal are not early (default 0): a client with several
   * requests in flight cannot call back one already sent, nor one sent before its gate recorded the
   * refusal. Every later request within the pause is.
   */
  inFlightGraceMs?: number;
  /** The clock for rate limits, pauses and CF's default window; tests may drive it by hand. */
  now?: () => number;
}

export interface RequestLogEntry {
  at: number;
  source: SourceName | null;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  releases: number;
  /** Ids of the releases in the answer's body, in order (also when the body was then damaged or cut). */
  releaseIds: string[];
  /** Faults that shaped the answer, comma-separated. */
  fault?: string;
  /** Refused as rate-limited (FTS 429 or 503, CF 403 or 429), by the limit or by an injected storm. */
  rateLimited: boolean;
  /** Arrived while the client should still have been pausing after a refusal. */
  early: boolean;
}

export interface SimStats {
  requests: Record<SourceName, number>;
  rateLimited: Record<SourceName, number>;
  early: Record<SourceName, number>;
  faultsInjected: Record<string, number>;
  /** Requests, refused ones included, in the busiest sliding rate-limit period: above the limit
   * means the client asked more often than the service allows, whatever the service answered. */
  maxRequestsInAnyPeriod: Record<SourceName, number>;
  servedReleases: Record<SourceName, number>;
  /** Distinct ids sent in 200 answers whose body arrived whole. */
  servedReleaseIds: Record<SourceName, string[]>;
}

export interface Simulator {
  /** Base URL, e.g. http://127.0.0.1:PORT: the value for both FTS_API_URL and CF_API_URL. */
  url: string;
  /** Full search endpoint URLs, for tests that call the services directly. */
  ftsUrl: string;
  cfUrl: string;
  /** The live request log (emptied in place by resetLog). */
  requests: RequestLogEntry[];
  setFaults(faults: Partial<Faults>): void;
  stats(): SimStats;
  /** Requests of a source, refused ones included, in the busiest window of `periodMs` (default: its limit's period). */
  maxRequestsInAnyPeriod(source: SourceName, periodMs?: number): number;
  /** Forgets the log, counters and served ids; limits and pauses keep running. */
  resetLog(): void;
  /**
   * Publishes releases as the service would from now on: a new id is a new notice; a known id is
   * a new version of it that replaces the old (FTS filters on last-updated, so a changed notice
   * comes back in a later window, dated by its change).
   */
  publish(source: SourceName, releases: readonly SimRelease[]): void;
  close(): Promise<void>;
}

const DEFAULT_PAUSE_MS: Record<SourceName, number> = { FIND_A_TENDER: 30_000, CONTRACTS_FINDER: 300_000, PUBLIC_CONTRACTS_SCOTLAND: 300_000 };
const UNLIMITED: RateLimit = { requests: Infinity, periodMs: 60_000 };

const serverError = (source: SourceName, status: number): ApiResult =>
  source === 'FIND_A_TENDER' ? ftsServerError(status) : source === 'CONTRACTS_FINDER' ? cfServerError(status) : pcsServerError(status);

type Route = { source: SourceName; handle: (ctx: ApiContext) => ApiResult };

function route(method: string, url: URL): Route | null {
  if (method !== 'GET') return null;
  if (url.pathname === FTS_SEARCH_PATH) return { source: 'FIND_A_TENDER', handle: (ctx) => ftsSearch(url, ctx) };
  const notice = url.pathname.startsWith(`${FTS_SEARCH_PATH}/`) ? url.pathname.slice(FTS_SEARCH_PATH.length + 1) : '';
  if (notice && !notice.includes('/')) return { source: 'FIND_A_TENDER', handle: (ctx) => ftsNotice(url, decodeURIComponent(notice), ctx) };
  if (url.pathname === CF_SEARCH_PATH) return { source: 'CONTRACTS_FINDER', handle: (ctx) => cfSearch(url, ctx) };
  const record = url.pathname.startsWith(`${CF_RECORD_PATH}/`) ? url.pathname.slice(CF_RECORD_PATH.length + 1) : '';
  if (record && !record.includes('/')) return { source: 'CONTRACTS_FINDER', handle: (ctx) => cfRecord(url, decodeURIComponent(record), ctx) };
  if (url.pathname === PCS_NOTICES_PATH) return { source: 'PUBLIC_CONTRACTS_SCOTLAND', handle: (ctx) => pcsNotices(url, ctx) };
  if (url.pathname === PCS_NOTICE_PATH) return { source: 'PUBLIC_CONTRACTS_SCOTLAND', handle: (ctx) => pcsProcurement(url, ctx) };
  return null;
}

const perSource = <T>(make: (source: SourceName) => T) =>
  Object.fromEntries(SOURCE_NAMES.map((source) => [source, make(source)])) as Record<SourceName, T>;

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const now = options.now ?? Date.now;
  const indexes = perSource((source) => indexReleases(options.dataset[source]));
  const limitOf = (source: SourceName) => options.rateLimit[source] ?? UNLIMITED;
  const limiters = perSource((source) => slidingWindowLimiter(limitOf(source)));
  const pauseMs = perSource((source) => options.pauseAfterRefusalMs?.[source] ?? DEFAULT_PAUSE_MS[source]);
  const pauseUntil = perSource(() => -Infinity);
  const refusedAt = perSource(() => -Infinity);
  const faults = createFaultStore(options.defectLongWindowLoss ?? false, now);
  const requests: RequestLogEntry[] = [];
  const served = perSource(() => new Set<string>());
  const timers = new Set<NodeJS.Timeout>();
  let publicBaseUrl = '';

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  /** A storm or the real limit; either makes a polite client pause. */
  function refusal(source: SourceName, at: number, mark: (fault: string) => void): ApiResult | null {
    const storm = faults.take('rateLimitStorm', source);
    if (storm) mark('rateLimitStorm');
    const retryAfter = storm ? storm.retryAfterSeconds : limiters[source].refuse(at);
    if (!storm && retryAfter === null) return null;
    // CF never sends Retry-After: its clients must wait the full pause.
    const header = source === 'FIND_A_TENDER' ? retryAfter : null;
    // The grace runs from the refusal that began the pause, not from each one within it.
    if (at >= pauseUntil[source]) refusedAt[source] = at;
    pauseUntil[source] = Math.max(pauseUntil[source], at + (header !== null ? header * 1000 : pauseMs[source]));
    const status = storm?.status ?? REFUSAL_STATUSES[source][0];
    if (source === 'FIND_A_TENDER') return ftsRateLimited(limitOf(source), header, status);
    return source === 'CONTRACTS_FINDER' ? cfRateLimited(status) : pcsRateLimited(status);
  }

  async function answer(route: Route, entry: RequestLogEntry): Promise<{ result: ApiResult; body?: Buffer }> {
    const { source } = route;
    const mark = (fault: string) => (entry.fault = entry.fault ? `${entry.fault},${fault}` : fault);
    // A service that is down neither counts nor refuses the request: it fails it.
    const outage = faults.outage(source, entry.at);
    if (outage) {
      mark('outage');
      if (outage.answer === 'hang') await delay(Math.max(0, outage.endsAt - now()));
      const status = outage.answer === 'hang' ? 504 : outage.answer;
      return { result: serverError(source, status) };
    }
    const refused = refusal(source, entry.at, mark);
    if (refused) {
      entry.rateLimited = true;
      return { result: refused };
    }
    const slow = faults.take('slow', source);
    if (slow) {
      mark('slow');
      await delay(slow.delayMs);
    }
    const failure = faults.take('serverErrors', source);
    if (failure) {
      mark('serverErrors');
      return { result: serverError(source, failure.status) };
    }
    const repeatRelease = (candidates: readonly SimRelease[]): SimRelease | null => {
      let twice: SimRelease | null = null;
      const pick = (fault: Faults['repeatedRelease']) =>
        (twice = fault.releaseId === undefined ? (candidates[candidates.length >> 1] ?? null) : (candidates.find((r) => r.id === fault.releaseId) ?? null)) !== null;
      if (!faults.take('repeatedRelease', source, pick)) return null;
      mark('repeatedRelease');
      return twice;
    };
    const omit = (matches: SimRelease[], windowMs: number): SimRelease[] => {
      const fault = faults.take('omittedRelease', source, (f) => windowMs > (f.longerThanMs ?? -Infinity) && matches.some((r) => r.id === f.releaseId));
      if (!fault) return matches;
      mark('omittedRelease');
      return matches.filter((r) => r.id !== fault.releaseId);
    };
    const result = route.handle({ index: indexes[source], publicBaseUrl, now: entry.at, longWindowLoss: faults.longWindowLoss, repeatRelease, omit });
    if (result.status !== 200 || !result.json) return { result };
    if (result.lost) {
      faults.count('longWindowLoss');
      mark('longWindowLoss');
    }
    if ('links' in result.json && result.releases.length === result.limit && faults.take('missingNextLink', source)) {
      delete result.json.links;
      mark('missingNextLink');
    }
    const text = Array.isArray(result.json.releases) ? packageText(result.json as ReleasePackage, result.releases) : JSON.stringify(result.json);
    let body: Buffer = Buffer.from(result.bom ? `\uFEFF${text}` : text, 'utf8');
    if (faults.armed('badBytes', source)) {
      const damaged = source === 'FIND_A_TENDER' ? withBadNumbers(text) : asWindows1252(text);
      if (damaged !== null && faults.take('badBytes', source)) {
        body = typeof damaged === 'string' ? Buffer.from(damaged, 'utf8') : damaged;
        // Single-byte text under a JSON type that names no charset, leaving the client to guess.
        if (typeof damaged !== 'string') result.headers = { 'Content-Type': 'application/json' };
        mark('badBytes');
      }
    }
    const holds = (fault: Faults['unreadablePage']) => result.releases.some((r) => r.id === fault.releaseId);
    const cutOff = faults.take('truncatedBody', source) ? 'truncatedBody' : faults.take('unreadablePage', source, holds) ? 'unreadablePage' : null;
    if (cutOff) {
      mark(cutOff);
      return { result, body: truncated(body) };
    }
    for (const release of result.releases) served[source].add(release.id);
    return { result, body };
  }

  function send(res: ServerResponse, entry: RequestLogEntry, result: ApiResult, body?: Buffer): void {
    entry.status = result.status;
    entry.releases = result.releases.length;
    entry.releaseIds = result.releases.map((r) => r.id);
    if (res.destroyed) return;
    const contentType = result.html !== undefined ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8';
    const bytes = body ?? Buffer.from(result.html ?? JSON.stringify(result.json ?? {}), 'utf8');
    res.writeHead(result.status, { 'Content-Type': contentType, 'Content-Length': bytes.length, ...result.headers });
    res.end(bytes);
  }

  async function serveService(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const matched = route(req.method ?? 'GET', url);
    const at = now();
    const source = matched?.source ?? null;
    const entry: RequestLogEntry = {
      at,
      source,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      releases: 0,
      releaseIds: [],
      rateLimited: false,
      early: source !== null && at < pauseUntil[source] && at >= refusedAt[source] + (options.inFlightGraceMs ?? 0),
    };
    requests.push(entry);
    if (!matched) return send(res, entry, { status: 404, json: { status: 404, error: 'Not Found' }, releases: [] });
    const { result, body } = await answer(matched, entry);
    send(res, entry, result, body);
  }

  function maxRequestsInAnyPeriod(source: SourceName, periodMs = limitOf(source).periodMs): number {
    // Refused requests count: the limiter does not record them, so leaving them out would keep
    // this figure at or below the limit however hard a client hammered.
    const times = requests.filter((r) => r.source === source).map((r) => r.at);
    return maxInAnyPeriod(times.sort((a, b) => a - b), periodMs);
  }

  function stats(): SimStats {
    const count = (test: (r: RequestLogEntry) => boolean) => perSource((source) => requests.filter((r) => r.source === source && test(r)).length);
    return {
      requests: count(() => true),
      rateLimited: count((r) => r.rateLimited),
      early: count((r) => r.early),
      faultsInjected: faults.counts(),
      maxRequestsInAnyPeriod: perSource((source) => maxRequestsInAnyPeriod(source)),
      servedReleases: perSource((source) => served[source].size),
      servedReleaseIds: perSource((source) => [...served[source]]),
    };
  }

  function resetLog(): void {
    requests.length = 0;
    faults.resetCounts();
    for (const source of SOURCE_NAMES) served[source].clear();
  }

  async function serveControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const reply = (status: number, value?: unknown) => {
      res.writeHead(status, value === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(value === undefined ? undefined : JSON.stringify(value));
    };
    const action = `${req.method} ${url.pathname}`;
    if (action === 'GET /__sim/stats') {
      const { servedReleaseIds, ...summary } = stats();
      return reply(200, url.searchParams.get('ids') === '1' ? { ...summary, servedReleaseIds } : summary);
    }
    if (action === 'GET /__sim/requests') return reply(200, requests);
    if (action === 'POST /__sim/reset-log') {
      resetLog();
      return reply(204);
    }
    if (action === 'POST /__sim/faults') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      try {
        faults.set(parseFaults(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      } catch (error) {
        return reply(400, { error: (error as Error).message });
      }
      return reply(204);
    }
    reply(404, { error: `no control endpoint ${action}` });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const handling = url.pathname.startsWith('/__sim/') ? serveControl(req, res, url) : serveService(req, res, url);
    handling.catch((error: Error) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`simulator error: ${error.stack ?? error.message}`);
      }
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${(server.address() as AddressInfo).port}`;
  publicBaseUrl = (options.publicBaseUrl ?? url).replace(/\/+$/, '');

  return {
    url,
    ftsUrl: `${url}${FTS_SEARCH_PATH}`,
    cfUrl: `${url}${CF_SEARCH_PATH}`,
    requests,
    setFaults: (f) => faults.set(f),
    stats,
    maxRequestsInAnyPeriod,
    resetLog,
    publish(source, releases) {
      const byId = new Map(indexes[source].newestFirst.map((r) => [r.id, r]));
      for (const release of releases) byId.set(release.id, release);
      indexes[source] = indexReleases([...byId.values()]);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive and slowed connections would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
