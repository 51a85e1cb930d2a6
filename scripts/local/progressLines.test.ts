import { describe, expect, it } from 'vitest';
import type { SourceProgress } from './progress.ts';
import { progressLines } from './progressLines.ts';

const progress: Record<string, SourceProgress> = {
  FIND_A_TENDER: { windows: 13, done: 4, failed: 0, byState: {}, releasesStored: 1234 },
  CONTRACTS_FINDER: { windows: 13, done: 13, failed: 1, byState: {}, releasesStored: 56 },
};

describe("progressLines (npm start's display)", () => {
  it.each([
    {
      name: 'MongoDB answering: a bar per source',
      progress,
      since: null,
      lines: [
        'FIND_A_TENDER     [█████████░░░░░░░░░░░░░░░░░░░░░]   4/13 windows    1,234 notices stored',
        'CONTRACTS_FINDER  [██████████████████████████████]  13/13 windows       56 notices stored  1 failed',
      ],
    },
    {
      // Built from local time, as it is shown: the same line in any time zone.
      name: 'MongoDB unreachable: since when, under the bars',
      progress,
      since: new Date(2026, 11, 7, 5, 31, 2),
      lines: [
        'FIND_A_TENDER     [█████████░░░░░░░░░░░░░░░░░░░░░]   4/13 windows    1,234 notices stored',
        'CONTRACTS_FINDER  [██████████████████████████████]  13/13 windows       56 notices stored  1 failed',
        "MongoDB unreachable since 05:31:02: the Worker's work waits for it, and this run carries on",
      ],
    },
    {
      name: 'MongoDB unreachable before anything was read: the line alone',
      since: new Date(2026, 11, 7, 23, 59, 59),
      progress: {},
      lines: ["MongoDB unreachable since 23:59:59: the Worker's work waits for it, and this run carries on"],
    },
  ])('$name', ({ progress, since, lines }) => {
    expect(progressLines(progress, since)).toEqual(lines);
  });
});
