import { decodeWindows1252 } from './windows1252.ts';

/**
 * Byte and text repairs applied to a response body before JSON.parse, one per known upstream
 * defect (evidence: ../sources/UPSTREAM.md). Pure: bytes in, text or value out.
 */

/**
 * Strict UTF-8 first: both services normally send UTF-8 (the real pages hold `•`, `’` as UTF-8).
 * Contracts Finder text has encoding damage (non-Latin-1 characters lost, e.g. "Kbenhavn"), so a
 * body that is not valid UTF-8 is read as windows-1252, as OCP's collector reads CF as ISO-8859-1
 * (the WHATWG decoder for that label is windows-1252). Never throws. A UTF-8 BOM is dropped.
 */
export function decodeBody(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(view);
  } catch {
    return decodeWindows1252(view);
  }
}

/**
 * Fixes number tokens JSON.parse cannot take as they are; text inside JSON strings is never
 * touched (strings are matched whole and returned unchanged, only bare number tokens are looked at).
 * - ` 000,` (FTS): an invalid JSON number, JSON.parse throws. OCP's collector replaces it with
 *   ` 0,`; here any all-zero token of two or more digits becomes `0`.
 * - `1e9999` (FTS): valid JSON syntax, but JSON.parse turns it into Infinity, which no amount can
 *   be and which JSON.stringify would later write as `null` anyway. Any number token that does not
 *   fit in a double becomes `null`.
 */
export function repairJsonText(text: string): string {
  if (!SUSPECT.test(text)) return text;
  return text.replace(STRING_OR_NUMBER, (token) => {
    if (token.charCodeAt(0) === QUOTE) return token;
    if (ZEROS.test(token)) return '0';
    return Number.isFinite(Number(token)) ? token : 'null';
  });
}

const QUOTE = 0x22;
/** A JSON string (matched whole, so what is inside is skipped) or a number-like token. */
const STRING_OR_NUMBER = /"[^"\\]*(?:\\.[^"\\]*)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
/** `00`, `000`, `-000` … */
const ZEROS = /^-?00+$/;
/**
 * Cheap pre-check so clean bodies skip the scan: a bare zero run between `:`/`,`/`[` and
 * `,`/`}`/`]` (times such as `09:00:00` do not match), or a 3-digit exponent.
 */
const SUSPECT = /[:,[]\s*-?00+\s*[,}\]]|\d[eE][+-]?\d{3}/;

export type JsonBodyResult = { ok: true; value: unknown } | { ok: false; reason: string };

/** decodeBody, then repairJsonText, then JSON.parse; a failure is a readable reason, not a throw. */
export function parseJsonBody(bytes: ArrayBuffer | Uint8Array): JsonBodyResult {
  const text = repairJsonText(decodeBody(bytes));
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `body is not JSON (${text.length} chars): ${message}` };
  }
}
