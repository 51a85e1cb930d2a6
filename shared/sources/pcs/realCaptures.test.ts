/**
 * The PCS adapter's pure parts over the real captures (test/fixtures/real/pcs/: 90 contract notices
 * published on PCS in April 2019, as the API serves them, without release ids) and over the Find a
 * Tender releases of the corpus that PCS sent on (test/fixtures/real/fts-*.json).
 */
import { describe, expect, it } from 'vitest';
import { readRealReleases } from '../../../test/fixtures/realFixtures.ts';
import { readPcsCaptures } from '../../../test/fixtures/realPcs.ts';
import { emptyPaths } from '../../../test/stack/emptyPaths.ts';
import { mapRelease } from '../../mapping/mapRelease.ts';
import { toIsoInstant } from '../../ocds/isoInstant.ts';
import { parseRelease, type Release } from '../../ocds/releaseSchema.ts';
import { publicContractsScotland } from '../publicContractsScotland.ts';
import { noticeIdOfOwnDocument } from './noticeIdentity.ts';
import { pcsOcidLinkedBy, scRefOf } from './pcsReferences.ts';
import { readPcsPackage } from './readPcsPackage.ts';

const captures = readPcsCaptures();
const releases = captures.map((c) => c.release);
const ocidNumber = (ocid: string) => Number(ocid.replace('ocds-r6ebe6-', ''));

describe('the real PCS captures', () => {
  it('are the 90 releases of the April 2019 capture', () => {
    expect(captures).toHaveLength(90);
    expect(new Set(releases.map((r) => r.ocid)).size).toBe(90);
  });

  it('read back from a package of them, byte-order mark first, release for release', () => {
    // The package around them is built here (the captures are single releases): its keys are those
    // every package has; the BOM is what some PCS answers are reported to start with.
    const body = `\uFEFF{"uri":"https://api.publiccontractsscotland.gov.uk/v1/Notices?dateFrom=04-2019&noticeType=2&outputType=0","version":"1.1","releases":[${captures.map((c) => c.text).join(',')}]}`;
    const read = readPcsPackage(new TextEncoder().encode(body));
    expect(read).toEqual({ ok: true, releases });
  });

  it('carry day-precision dates, read as midnight UTC of that day', () => {
    for (const { date } of releases) {
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
      expect(toIsoInstant(date)).toBe(`${date.slice(0, 10)}T00:00:00.000Z`);
    }
  });

  it('have no release id, so the schema refuses them as they are, naming why', () => {
    for (const release of releases) {
      expect(release.id).toBeUndefined();
      expect(parseRelease(release)).toEqual({ ok: false, reason: 'id: Invalid key: Expected "id" but received undefined' });
    }
  });

  it('each name one notice in their own document: 90 notices, all published on PCS in April', () => {
    const notices = releases.map((r) => noticeIdOfOwnDocument(r.tender.documents));
    expect(notices.every((id) => id !== undefined && /^APR\d+$/.test(id))).toBe(true);
    expect(new Set(notices).size).toBe(90);
    for (const [i, release] of releases.entries()) {
      expect(release.tender.documents.find((doc) => doc.id === notices[i])?.documentType).toBe('contractNotice');
    }
    // Nine are dated 28–29 March, yet their notice ids say April: `release.date` is not the month
    // PCS published the notice in.
    expect(releases.filter((r) => r.date < '2019-04-01')).toHaveLength(9);
  });

  it('end their description with the notice\'s own SC Ref, which is the ocid\'s number unless the procurement had an earlier notice', () => {
    const refs = releases.map((r) => scRefOf(r.description));
    expect(refs.every((ref) => ref !== undefined)).toBe(true);
    expect(new Set(refs).size).toBe(90);
    const differing = releases.filter((r, i) => refs[i] !== ocidNumber(r.ocid));
    expect(differing).toHaveLength(7);
    // Each of those seven names the earlier notice, an OJEU prior information notice, as its planning.
    for (const release of differing) {
      expect(release.relatedProcesses).toEqual([expect.objectContaining({ relationship: ['planning'], scheme: 'EU-OJ' })]);
    }
  });

  it('map through shared/mapping, once given the id their notice document names, with no empty field', async () => {
    for (const release of releases) {
      const notice = noticeIdOfOwnDocument(release.tender.documents)!;
      // What the wiring must decide for id-less releases: here, the id a release of that notice has.
      const parsed = parseRelease({ ...release, id: `rls-1-${notice}` });
      if (!parsed.ok) throw new Error(parsed.reason);
      const { contract, buyer } = await mapRelease(publicContractsScotland, parsed.release, { storeRaw: 'off' });
      expect(emptyPaths(contract)).toEqual([]);
      expect(emptyPaths(buyer)).toEqual([]);
      expect(contract).toMatchObject({
        _id: `PUBLIC_CONTRACTS_SCOTLAND:${notice}`,
        noticeId: notice,
        ocid: release.ocid,
        sourceUrl: `https://www.publiccontractsscotland.gov.uk/search/show/search_view.aspx?ID=${notice}`,
        noticeType: 'contractNotice',
        status: 'OPEN',
        stage: 'TENDER',
        // Day precision: the notice's own document has no `datePublished`, the release date stands in.
        publishedDate: toIsoInstant(release.date),
      });
      // Party ids are local to the notice (`org-13`): buyers are keyed by name (within their postcode district: pcsMapping.test.ts).
      expect(contract.buyerOrg).toMatch(/^name-/);
    }
  });
});

describe('the Find a Tender releases PCS sent on', () => {
  const fts = readRealReleases()
    .filter((r) => r.source === 'FIND_A_TENDER')
    .map((r) => r.release as Release & { links?: unknown });
  const linked = fts.filter((r) => pcsOcidLinkedBy(r.links) !== undefined);

  it('link their PCS procurement, and most quote the PCS notice\'s SC Ref', () => {
    expect(linked).toHaveLength(48);
    expect(linked.filter((r) => scRefOf(r.description) !== undefined)).toHaveLength(44);
    const byId = (id: string) => linked.find((r) => r.id === id)!;
    // An award: its own notice is newer than the procurement's first.
    expect([scRefOf(byId('075904-2026').description), pcsOcidLinkedBy(byId('075904-2026').links)]).toEqual([839777, 'ocds-r6ebe6-0000833714']);
    // Two references: the notice it follows, then its own (the one the canonical link names).
    expect([scRefOf(byId('076357-2026').description), pcsOcidLinkedBy(byId('076357-2026').links)]).toEqual([839896, 'ocds-r6ebe6-0000839896']);
  });

  it('name no notice of the PCS captures: the corpus holds no twin pair yet', () => {
    const captured = new Set(releases.map((r) => scRefOf(r.description)));
    expect(linked.filter((r) => captured.has(scRefOf(r.description)!))).toEqual([]);
  });
});
