import { describe, expect, it } from 'vitest';
import { readPcsPackage } from './readPcsPackage.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const RELEASE = { id: 'rls-1-JAN468109', ocid: 'ocds-r6ebe6-0000710562', date: '2023-01-09T00:00:00Z', tag: ['planning'] };

describe('readPcsPackage: one /v1/Notices answer, the whole slice', () => {
  it('reads the releases of a package', () => {
    expect(readPcsPackage(bytes(JSON.stringify({ uri: 'https://api.publiccontractsscotland.gov.uk/v1/Notices', releases: [RELEASE] })))).toEqual({ ok: true, releases: [RELEASE] });
  });

  it('drops a byte-order mark before the JSON', () => {
    expect(readPcsPackage(bytes(`\uFEFF${JSON.stringify({ releases: [RELEASE] })}`))).toEqual({ ok: true, releases: [RELEASE] });
  });

  it('reads a month without notices (a package with no `releases` key) as an empty slice', () => {
    expect(readPcsPackage(bytes('{"uri":"https://api.publiccontractsscotland.gov.uk/v1/Notices?dateFrom=12-2021&noticeType=104&outputType=0","version":"1.1","publishedDate":"2021-12-31T00:00:00Z"}'))).toEqual({ ok: true, releases: [] });
    expect(readPcsPackage(bytes('{"version":"1.1","releases":[]}'))).toEqual({ ok: true, releases: [] });
  });

  it('refuses JSON that is no package, with what it holds', () => {
    expect(readPcsPackage(bytes('{"Message":"An error has occurred."}'))).toEqual({
      ok: false,
      reason: 'Public Contracts Scotland answered JSON that is no release package (keys: Message)',
    });
    expect(readPcsPackage(bytes('[]'))).toMatchObject({ ok: false, reason: expect.stringContaining('invalid Public Contracts Scotland release package') });
    expect(readPcsPackage(bytes('{"releases":{}}'))).toMatchObject({ ok: false, reason: expect.stringContaining('releases') });
  });

  it('refuses a body that is not JSON, naming the source', () => {
    expect(readPcsPackage(bytes('<html>Service Unavailable</html>'))).toMatchObject({ ok: false, reason: expect.stringMatching(/^Public Contracts Scotland: /) });
  });
});
