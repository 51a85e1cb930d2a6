/**
 * Decodes bytes as windows-1252, the WHATWG reading of the `iso-8859-1` label (what OCP's collector
 * uses for Contracts Finder). Written out rather than `new TextDecoder('windows-1252')` because
 * legacy encodings depend on the runtime's ICU build; this is the same table, pure and everywhere.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const codes = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    codes[i] = byte >= 0x80 && byte <= 0x9f ? C1_TO_UNICODE[byte - 0x80]! : byte;
  }
  let out = '';
  // String.fromCharCode takes arguments: chunk to stay under the engine's argument limit.
  for (let i = 0; i < codes.length; i += CHUNK) {
    out += String.fromCharCode(...codes.subarray(i, i + CHUNK));
  }
  return out;
}

const CHUNK = 8192;

/** 0x80–0x9F; the five unassigned bytes (81, 8D, 8F, 90, 9D) map to the same C1 code point. */
const C1_TO_UNICODE = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039,
  0x0152, 0x008d, 0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
  0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
] as const;
