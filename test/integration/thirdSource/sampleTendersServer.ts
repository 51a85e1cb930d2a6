import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseRelease } from '../../../shared/ocds/releaseSchema.ts';
import { allRealReleases } from '../../fixtures/realFixtures.ts';

export interface SampleRelease {
  id: string;
  date: string;
  tag: readonly string[];
  /** Its `noticeSummary` document's datePublished: what the mapping should take as publishedDate. */
  summaryPublished: string;
  release: object;
}

export interface SampleTendersServer {
  url: string;
  releases: SampleRelease[];
  /** Every request, in order. */
  requests: URL[];
  close(): Promise<void>;
}

/**
 * Plays the made-up source of ./sampleTenders.ts: every real captured release (test/fixtures/real/),
 * renamed `N<1000+i>-v1`, dated evenly over `from`..`to`, with a `noticeSummary` document published
 * a day before the release. A full page always has `links.next` (the page after may be empty).
 */
export async function startSampleTenders(from: Date, to: Date): Promise<SampleTendersServer> {
  const reals = await allRealReleases();
  const step = (to.getTime() - from.getTime()) / reals.length;
  const releases = reals.map(({ release }, i): SampleRelease => {
    const id = `N${1000 + i}-v1`;
    const at = from.getTime() + Math.floor(i * step);
    const date = new Date(at).toISOString();
    const summaryPublished = new Date(at - 86_400_000).toISOString();
    const parsed = parseRelease(structuredClone(release));
    if (!parsed.ok) throw new Error(parsed.reason);
    const real = parsed.release;
    const summary = { id: 'summary', documentType: 'noticeSummary', url: `https://tenders.example/notices/N${1000 + i}`, datePublished: summaryPublished };
    const planning = { ...real.planning, documents: [summary, ...(real.planning?.documents ?? [])] };
    return { id, date, tag: real.tag ?? [], summaryPublished, release: { ...real, id, date, planning } };
  });

  const requests: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    requests.push(url);
    const since = Date.parse(url.searchParams.get('since') ?? '');
    const until = Date.parse(url.searchParams.get('until') ?? '');
    const size = Number(url.searchParams.get('size'));
    const page = Number(url.searchParams.get('page') ?? '0');
    res.setHeader('content-type', 'application/json');
    if (url.pathname !== '/v2/notices' || !Number.isFinite(since) || !Number.isFinite(until) || !(size >= 1 && size <= 100)) {
      res.statusCode = 400;
      res.end(JSON.stringify({ error: `bad request ${url.pathname}${url.search}` }));
      return;
    }
    const inRange = releases.filter((r) => Date.parse(r.date) >= since && Date.parse(r.date) < until);
    const served = inRange.slice(page * size, (page + 1) * size);
    const next = new URL(url);
    next.searchParams.set('page', String(page + 1));
    res.end(JSON.stringify({ uri: url.href, releases: served.map((r) => r.release), ...(served.length === size ? { links: { next: next.href } } : {}) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, releases, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
