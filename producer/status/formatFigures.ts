/** How the status page and `npm run status` write figures, so both say the same. */

export function formatCount(n: number): string {
  return n.toLocaleString('en-GB');
}

/** `45 s`, `12 min`, `3 h 20 min`, `4 d 6 h`. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

/** The share `done / total` as a whole percentage, 0 when there is no total. */
export function percent(done: number, total: number | null): number {
  return total ? Math.min(100, Math.floor((done / total) * 100)) : 0;
}
