import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
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
