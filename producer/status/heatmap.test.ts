import { describe, expect, it } from 'vitest';
import { heatmapYears } from './heatmap.ts';

describe('heatmapYears', () => {
  it.each([
    { name: 'no windows', windows: [], years: [] },
    {
      name: 'a history from November to February: two years, newest first, unplanned months empty',
      windows: [
        { from: new Date('2025-11-15T00:00:00Z'), state: 'done' as const },
        { from: new Date('2025-12-01T00:00:00Z'), state: 'failed' as const },
        { from: new Date('2026-01-01T00:00:00Z'), state: 'fetching' as const },
        { from: new Date('2026-02-01T00:00:00Z'), state: 'pending' as const },
      ],
      years: [
        { year: 2026, months: ['fetching', 'pending', null, null, null, null, null, null, null, null, null, null] },
        { year: 2025, months: [null, null, null, null, null, null, null, null, null, null, 'done', 'failed'] },
      ],
    },
  ])('$name', ({ windows, years }) => {
    expect(heatmapYears(windows)).toEqual(years);
  });
});
