/**
 * Splits items into groups whose JSON stays under `maxBytes`, keeping their order. An item that
 * alone exceeds the limit is returned apart as oversized, for the caller to send by reference.
 * Pure: sizes come from `sizeOf`, so tests need no queue.
 */
export function splitIntoParts<T>(items: readonly T[], maxBytes: number, sizeOf: (item: T) => number): { parts: T[][]; oversized: T[] } {
  const parts: T[][] = [];
  const oversized: T[] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    // +1 for the comma between array elements.
    const bytes = sizeOf(item) + 1;
    if (bytes > maxBytes) {
      oversized.push(item);
      continue;
    }
    if (currentBytes + bytes > maxBytes && current.length > 0) {
      parts.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += bytes;
  }
  if (current.length > 0) parts.push(current);
  return { parts, oversized };
}
