import { chainStep } from '../../consumer/fetch/pageOutcome.ts';
import { readPage, type RejectedRelease } from '../../consumer/fetch/readPage.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import type { SourceAdapter, SourceConfig, SourceSettings, TimeRange } from '../../shared/sources/source.ts';
import { advanceCheckpoint, firstCheckpoint } from '../../shared/windows/advanceCheckpoint.ts';

export interface PagedWindow {
  mapped: MappedRelease[];
  rejected: RejectedRelease[];
  /** What the checkpoint reducer recorded (defects met). */
  events: string[];
}

/**
 * Pages one window of a source to its end as the fetch consumer does, without queues, budget or
 * database: slices and first-page URLs from the adapter, later pages by its chain (`links.next`), the checkpoint
 * reducer in between, every page read and mapped by readPage.
 */
export async function pageToEnd(source: SourceAdapter, config: SourceConfig<SourceSettings>, window: TimeRange): Promise<PagedWindow> {
  const paged: PagedWindow = { mapped: [], rejected: [], events: [] };
  let checkpoint = firstCheckpoint(window, source.maxSliceMs);
  while (!checkpoint.complete) {
    const url = checkpoint.nextUrl ?? source.firstPageUrl(config, { from: checkpoint.sliceFrom, to: checkpoint.sliceTo });
    const response = await fetch(url);
    if (response.status !== 200) throw new Error(`HTTP ${response.status} for ${url}`);
    const page = await readPage(source, await response.arrayBuffer(), 'off', { url });
    if (!page.ok) throw new Error(`${page.reason} for ${url}`);
    paged.mapped.push(...page.mapped);
    paged.rejected.push(...page.rejected);
    const { outcome, limit } = chainStep(source, config, url, page);
    const advance = advanceCheckpoint(checkpoint, window, outcome, limit, source.maxSliceMs);
    if (advance.event) paged.events.push(advance.event);
    checkpoint = advance.checkpoint;
  }
  return paged;
}
