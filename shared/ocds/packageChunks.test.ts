import { describe, expect, it } from 'vitest';
import { packageChunks } from './packageChunks.ts';
import { decodeBody } from './repairBody.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
/** Latin-1 text (every character below U+0100) as windows-1252 bytes. */
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const parsed = (chunks: Iterable<Uint8Array> | null) => chunks && [...chunks].map((chunk) => JSON.parse(decodeBody(chunk)) as { uri?: string; releases: unknown[]; after?: unknown });

describe('packageChunks', () => {
  it('cuts the releases array into runs, keeping everything around it, each chunk a package', () => {
    const releases = Array.from({ length: 7 }, (_, n) => ({ id: `rls-1-APR${n}`, tender: { items: [{ id: n }], title: `a "quoted" [title], {${n}}` } }));
    const body = utf8(`\u{feff}{"uri":"u","releases":[\n  ${releases.map((r) => JSON.stringify(r)).join(',\n  ')}\n],"after":{"releases":[1]}}`);
    const chunks = parsed(packageChunks(body, 3))!;
    expect(chunks.map((c) => c.releases.length)).toEqual([3, 3, 1]);
    expect(chunks.flatMap((c) => c.releases)).toEqual(releases);
    expect(chunks.every((c) => c.uri === 'u' && JSON.stringify(c.after) === '{"releases":[1]}')).toBe(true);
  });

  it('follows strings with escaped quotes and backslashes, and non-ASCII text however encoded', () => {
    const releases = [{ d: 'ends with \\' }, { d: 'a \\" ] } , quote' }, { d: '£5,000 – café’s' }, { d: '{[' }];
    const text = `{"releases":${JSON.stringify(releases)},"publisher":{"name":"x"}}`;
    expect(parsed(packageChunks(utf8(text), 1))!.flatMap((c) => c.releases)).toEqual(releases);
    // windows-1252 bytes (CF, maybe PCS): the same cuts, each chunk decoded on its own.
    const latin = [{ d: '£5,000 café' }, { d: '[x]' }];
    const latinBody = latin1(`{"releases":${JSON.stringify(latin)}}`);
    expect(parsed(packageChunks(latinBody, 1))!.flatMap((c) => c.releases)).toEqual(latin);
  });

  it('takes the top-level releases key only, not a string value or a nested key of that name', () => {
    const body = utf8('{"note":"releases","x":{"releases":[9,9,9]},"releases":[1,2,3]}');
    expect(parsed(packageChunks(body, 2))!.map((c) => c.releases)).toEqual([[1, 2], [3]]);
  });

  it('leaves alone (null: read whole) a body it need not or cannot cut', () => {
    const small = utf8('{"releases":[1,2]}');
    expect(packageChunks(small, 2)).toBeNull();
    expect(packageChunks(utf8('{"uri":"empty month, no releases key"}'), 1)).toBeNull();
    expect(packageChunks(utf8('{"releases":[]}'), 1)).toBeNull();
    // Cut off before its end (a dropped connection): whole, so it fails as an unreadable body.
    expect(packageChunks(utf8('{"releases":[1,2,3],"uri":"u"'), 1)).toBeNull();
    expect(packageChunks(utf8('{"releases":[1,2,{"a":"b'), 1)).toBeNull();
    expect(packageChunks(utf8('<html>503</html>'), 1)).toBeNull();
    expect(packageChunks(utf8('[{"releases":[1,2,3]}]'), 1)).toBeNull();
  });
});
