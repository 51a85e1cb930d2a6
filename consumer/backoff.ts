/**
 * Delay before retry `attempts` (1-based): exponential from 5 s, capped at 5 minutes, with full
 * jitter on the upper half so consumers that failed together do not come back together.
 */
export function backoffSeconds(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(300, 5 * 2 ** Math.max(0, attempts - 1));
  return Math.max(1, Math.round(ceiling / 2 + random() * (ceiling / 2)));
}
