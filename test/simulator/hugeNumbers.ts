const NON_FINITE = '\u0000nonFinite';

/** JSON.stringify, but a non-finite number is written `1e9999` (or `-1e9999`), as FTS writes it, not null. */
export function jsonKeepingHugeNumbers(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) && !Number.isNaN(v) ? `${NON_FINITE}${v < 0 ? '-' : ''}` : v));
  return text.replace(/"\\u0000nonFinite(-?)"/g, (_, sign: string) => `${sign}1e9999`);
}
