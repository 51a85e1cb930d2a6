type Compacted<T> = { [K in keyof T]: Exclude<T[K], null> };

/**
 * A copy without the keys whose value is undefined, null, an empty string or an empty array:
 * documents stay lean, and a missing fact is a missing field, never an empty one. Shallow.
 */
export function compact<T extends object>(record: T): Compacted<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out as Compacted<T>;
}
