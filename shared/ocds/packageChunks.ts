/**
 * A release package's bytes as smaller packages of at most `perChunk` releases each: the same bytes
 * before and after its `releases` array, the array holding a run of its elements. A whole-month
 * answer of Public Contracts Scotland is one body of up to ~20 MB (docs/workers-limits.md);
 * parsed, mapped and split whole it outgrows a Worker's 128 MB, read a chunk at a time it weighs
 * one chunk beside its bytes.
 *
 * The scan looks at bytes only: every byte JSON's structure turns on (`{ } [ ] , : " \`) is
 * ASCII, and no byte of a multi-byte UTF-8 character, nor any windows-1252 byte, is ASCII, so the
 * same scan holds whichever way the body is decoded later (shared/ocds/repairBody.ts). It is no
 * JSON validator: each chunk is parsed as any body is, and a body it cannot follow (no top-level
 * object, no `releases` array, cut off before its last `}`) returns null, to be read whole and
 * fail or pass as it always did. The chunks are made one at a time, as they are taken, so only one
 * copy of a run of releases exists beside the body. Pure.
 */
export function packageChunks(bytes: Uint8Array, perChunk: number): Iterable<Uint8Array> | null {
  const array = releasesArray(bytes);
  if (!array || array.elements.length <= perChunk) return null;
  return chunksOf(bytes, array, perChunk);
}

function* chunksOf(bytes: Uint8Array, array: { open: number; close: number; elements: [number, number][] }, perChunk: number): Generator<Uint8Array> {
  const before = bytes.subarray(0, array.open + 1);
  const after = bytes.subarray(array.close);
  for (let first = 0; first < array.elements.length; first += perChunk) {
    const run = array.elements.slice(first, first + perChunk);
    const [start, end] = [run[0][0], run.at(-1)![1]];
    const chunk = new Uint8Array(before.length + (end - start) + after.length);
    chunk.set(before, 0);
    // The run's own bytes, commas between its elements included, as the body has them.
    chunk.set(bytes.subarray(start, end), before.length);
    chunk.set(after, before.length + (end - start));
    yield chunk;
  }
}

const [OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY, COMMA, COLON, QUOTE, BACKSLASH] = [...'{}[],:"\\'].map((c) => c.charCodeAt(0));
const RELEASES_KEY = [...'"releases"'].map((c) => c.charCodeAt(0));
const isSpace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/**
 * Where the top-level object's `releases` array opens and closes, and each element's [start, end)
 * within it; null unless the body is one object that closes, with such an array.
 */
function releasesArray(bytes: Uint8Array): { open: number; close: number; elements: [number, number][] } | null {
  let depth = 0;
  let inString = false;
  let lastKeyStart = -1;
  let array: { open: number; close: number; elements: [number, number][] } | null = null;
  let elementStart = -1;
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && isSpace(bytes[i])) i++;
  if (bytes[i] !== OPEN_OBJECT) return null;
  for (; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (isSpace(byte)) continue;
    const inArray = array !== null && array.close === -1 && depth === 2;
    if (inArray && elementStart === -1 && byte !== CLOSE_ARRAY) elementStart = i;
    if (byte === QUOTE) {
      inString = true;
      if (depth === 1) lastKeyStart = i;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (depth === 1 && byte === OPEN_ARRAY && array === null && isReleasesKey(bytes, lastKeyStart)) array = { open: i, close: -1, elements: [] };
      depth++;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
      if (array !== null && array.close === -1 && depth === 1) {
        if (elementStart !== -1) array.elements.push([elementStart, endOfValue(bytes, i)]);
        array.close = i;
        elementStart = -1;
      }
      if (depth === 0) return array && array.close !== -1 ? array : null;
    } else if (byte === COMMA && inArray) {
      array!.elements.push([elementStart, endOfValue(bytes, i)]);
      elementStart = -1;
    }
  }
  return null;
}

/** The key whose string starts at `start` is `"releases"` and a colon follows it. */
function isReleasesKey(bytes: Uint8Array, start: number): boolean {
  if (start < 0 || !RELEASES_KEY.every((byte, k) => bytes[start + k] === byte)) return false;
  let i = start + RELEASES_KEY.length;
  while (isSpace(bytes[i])) i++;
  return bytes[i] === COLON;
}

/** The end of the value before the separator at `at` (a comma or the array's `]`), spaces left out. */
function endOfValue(bytes: Uint8Array, at: number): number {
  let end = at;
  while (end > 0 && isSpace(bytes[end - 1])) end--;
  return end;
}
