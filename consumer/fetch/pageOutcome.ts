import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import type { SourceAdapter, SourceConfig, SourceSettings } from '../../shared/sources/source.ts';
import type { PageOutcome } from '../../shared/windows/advanceCheckpoint.ts';

/**
 * What a read page tells the checkpoint. The services filter and order by the release `date`,
 * newest first (the real captured pages in test/fixtures/real are, with ties within a second), so
 * the slice's releases not on a page are at or below its oldest. Dated from the mapped releases:
 * one set aside (quarantined) can only make the oldest later, so it is asked again, never skipped.
 */
export function pageOutcome(page: { releaseCount: number; nextUrl: string | null; mapped: readonly MappedRelease[] }): PageOutcome {
  const dates = page.mapped.map((m) => Date.parse(m.contract.releaseDate));
  return { releases: page.releaseCount, nextUrl: page.nextUrl, oldest: dates.length > 0 ? new Date(Math.min(...dates)) : null };
}

/**
 * A page of `source` (asked at `url`) as the checkpoint reads it: the chain's next request is the
 * adapter's own where it has one (PCS: the month's next notice type), else `links.next`; and a
 * whole-month source's answer is the whole request, however many releases, never a "full page".
 */
export function chainStep(source: SourceAdapter, config: SourceConfig<SourceSettings>, url: string, page: { releaseCount: number; nextUrl: string | null; mapped: readonly MappedRelease[] }): { outcome: PageOutcome; limit: number } {
  const nextUrl = source.nextPageUrl ? source.nextPageUrl(config, url) : page.nextUrl;
  return { outcome: pageOutcome({ ...page, nextUrl }), limit: source.wholeMonths ? Infinity : config.PAGE_LIMIT };
}
