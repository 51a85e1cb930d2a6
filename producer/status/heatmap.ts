import type { WindowState } from '../../shared/windows/window.ts';

/** One year of a source's history: a cell per calendar month, null where no window was planned. */
export interface HeatmapYear {
  year: number;
  months: (WindowState | null)[];
}

/**
 * The month windows of a source as years × 12 months, newest year first (12 columns fit a phone;
 * a row per year keeps 10 years of CF readable). A month window is keyed by its UTC month of start.
 * Pure.
 */
export function heatmapYears(windows: readonly { from: Date; state: WindowState }[]): HeatmapYear[] {
  const years = new Map<number, (WindowState | null)[]>();
  for (const w of windows) {
    const year = w.from.getUTCFullYear();
    const months = years.get(year) ?? Array<WindowState | null>(12).fill(null);
    months[w.from.getUTCMonth()] = w.state;
    years.set(year, months);
  }
  return [...years].sort(([a], [b]) => b - a).map(([year, months]) => ({ year, months }));
}
