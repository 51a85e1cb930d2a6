import { describe, expect, it } from 'vitest';
import { makeMappedRelease } from '../../test/factories.ts';
import { pageOutcome } from './pageOutcome.ts';

const dated = (releaseDate: string) => makeMappedRelease({ contract: { releaseDate } });

describe('pageOutcome', () => {
  it.each<[string[], string | null, string]>([
    // release dates of the mapped releases, the oldest, why
    [['2022-10-20T08:42:13.000Z', '2022-10-20T08:41:36.000Z', '2022-10-19T17:36:35.000Z'], '2022-10-19T17:36:35.000Z', 'newest first: the last'],
    [['2022-10-20T08:41:36.000Z', '2022-10-20T08:41:36.000Z'], '2022-10-20T08:41:36.000Z', 'two in one second'],
    [['2022-10-19T17:36:35.000Z', '2022-10-20T08:42:13.000Z'], '2022-10-19T17:36:35.000Z', 'out of order: still the oldest'],
    [[], null, 'none mapped (all quarantined, or an empty page): nothing dated'],
  ])('%j → %s (%s)', (dates, oldest) => {
    const outcome = pageOutcome({ releaseCount: 100, nextUrl: null, mapped: dates.map(dated) });
    expect({ ...outcome, oldest: outcome.oldest?.toISOString() ?? null }).toEqual({ releases: 100, nextUrl: null, oldest });
  });
});
