import { describe, expect, it } from 'vitest';
import { decodeBody, parseJsonBody, repairJsonText } from './repairBody.ts';
import { decodeWindows1252 } from './windows1252.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('repairJsonText', () => {
  it('turns the invalid number ` 000,` (FTS) into ` 0,`, which JSON.parse then accepts', () => {
    const body = '{"value": {"amount": 000, "currency": "GBP"}}';
    expect(() => JSON.parse(body)).toThrow();
    expect(repairJsonText(body)).toBe('{"value": {"amount": 0, "currency": "GBP"}}');
  });

  it('turns `1e9999` (JSON.parse: Infinity) into null', () => {
    const body = '{"amount": 1e9999, "amountGross": -1E+9999, "ok": 1e3}';
    expect(JSON.parse(body).amount).toBe(Infinity);
    expect(repairJsonText(body)).toBe('{"amount": null, "amountGross": null, "ok": 1e3}');
  });

  it('repairs in arrays and at the end of objects', () => {
    expect(repairJsonText('[000, 1, 1e9999]')).toBe('[0, 1, null]');
    expect(repairJsonText('{"a":000}')).toBe('{"a":0}');
  });

  it('never touches text inside strings, escaped quotes included', () => {
    const body = '{"description": "costs: 000, up to 1e9999 \\" 000, or 1e9999", "id": "000-2026"}';
    expect(repairJsonText(body)).toBe(body);
  });

  it('leaves ordinary numbers, and a clean body, as they are', () => {
    const body = '{"a": 0, "b": 100, "c": -0.5, "d": 1.5e-7, "e": 2022, "f": "2022-10-20T09:00:00Z"}';
    expect(repairJsonText(body)).toBe(body);
  });
});

describe('decodeBody', () => {
  it('reads valid UTF-8 strictly, dropping a BOM', () => {
    expect(decodeBody(bytes('{"t":"Kø • ’"}'))).toBe('{"t":"Kø • ’"}');
    expect(decodeBody(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('{}');
  });

  it('falls back to windows-1252 when the bytes are not UTF-8 (CF encoding damage)', () => {
    // "København – £5" in windows-1252: ø = F8, – = 96, £ = A3. Not valid UTF-8.
    const latin = new Uint8Array([0x4b, 0xf8, 0x62, 0x65, 0x6e, 0x68, 0x61, 0x76, 0x6e, 0x20, 0x96, 0x20, 0xa3, 0x35]);
    expect(decodeBody(latin)).toBe('København – £5');
    expect(decodeBody(latin.buffer)).toBe('København – £5');
  });

  it('decodes windows-1252 exactly as the WHATWG decoder does, for all 256 bytes', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(decodeWindows1252(all)).toBe(new TextDecoder('windows-1252').decode(all));
  });

  it('decodes bodies larger than one chunk', () => {
    const big = new Uint8Array(100_000).fill(0xe9); // é
    expect(decodeWindows1252(big)).toBe('é'.repeat(100_000));
  });
});

describe('parseJsonBody', () => {
  it('decodes, repairs and parses', () => {
    const result = parseJsonBody(bytes('{"releases": [{"value": {"amount": 000}, "max": 1e9999}]}'));
    expect(result).toEqual({ ok: true, value: { releases: [{ value: { amount: 0 }, max: null }] } });
  });

  it('parses a windows-1252 body', () => {
    const body = new Uint8Array([...bytes('{"name":"Caf'), 0xe9, ...bytes('"}')]);
    expect(parseJsonBody(body)).toEqual({ ok: true, value: { name: 'Café' } });
  });

  it('gives a readable reason instead of throwing', () => {
    const result = parseJsonBody(bytes('<html>Forbidden - Contracts Finder</html>'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^body is not JSON/);
  });
});
