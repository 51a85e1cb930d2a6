/**
 * Peak memory of a fetch consumer on the largest pages: a batch of 4 windows (the `fetch` queue's
 * max_batch_size), each holding a page of 100 copies of the largest real release, read, mapped and
 * split into write parts at once, as the consumer does. Measured in a process of its own (Node's
 * V8, as workerd's), so nothing else in the bench is counted: the JS heap is what counts against a
 * Worker isolate's 128 MB.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildWriteMessages } from '../../consumer/fetch/buildWriteMessages.ts';
import { readPage } from '../../consumer/fetch/readPage.ts';
import { SOURCE_NAMES } from '../../shared/sources/sourceName.ts';
import { sources } from '../../shared/sources/sources.ts';
import { packageHeader, realReleases } from '../../test/simulator/fixtures.ts';

export interface PageMemory {
  pages: number;
  releaseBytes: number;
  pageBytes: number;
  heapBeforeMb: number;
  heapPeakMb: number;
  rssPeakMb: number;
  writeParts: number;
}

const PAGES = 4;
const MB = 1024 * 1024;

export function measurePageMemory(): PageMemory {
  const run = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`page memory probe failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as PageMemory;
}

async function probe(): Promise<PageMemory> {
  const candidates = SOURCE_NAMES.flatMap((source) => realReleases(source).map((release) => ({ source, release, bytes: JSON.stringify(release).length })));
  const largest = candidates.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const header = packageHeader(largest.source === 'FIND_A_TENDER' ? 'ftsSearch' : 'cfSearch');
  const page = JSON.stringify({ uri: 'http://bench/page', publishedDate: largest.release.date, ...header, releases: Array(100).fill(largest.release), links: { next: 'http://bench/page?cursor=next' } });
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  // Each window's chain holds its page's bytes, the mapped releases and the parts until its checkpoint.
  const held = await Promise.all(
    Array.from({ length: PAGES }, async (_, window) => {
      const bytes = await new Response(page).arrayBuffer();
      const read = await readPage(sources[largest.source], bytes, 'object');
      if (!read.ok) throw new Error(read.reason);
      const parts = buildWriteMessages({ windowId: `bench:${window}`, generation: 1, page: 0 }, read.mapped);
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      return { bytes, read, parts };
    }),
  );
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  return {
    pages: PAGES,
    releaseBytes: largest.bytes,
    pageBytes: page.length,
    heapBeforeMb: heapBefore / MB,
    heapPeakMb: heapPeak / MB,
    rssPeakMb: process.resourceUsage().maxRSS / 1024,
    writeParts: held.reduce((n, h) => n + h.parts.messages.length, 0),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await probe()));
