/**
 * What a Public Contracts Scotland release becomes: every real capture (test/fixtures/real/pcs/, 90
 * contract notices of April 2019) mapped, field by field as the search product reads them, and the
 * Find a Tender notices PCS sent on (test/fixtures/real/fts-*.json) joined to their PCS originals.
 */
import { describe, expect, it } from 'vitest';
import { readRealReleases } from '../../../test/fixtures/realFixtures.ts';
import { pcsRelease, readPcsCaptures, type PcsCapturedRelease } from '../../../test/fixtures/realPcs.ts';
import { mapRelease } from '../../mapping/mapRelease.ts';
import type { MappedContract, MappedRelease } from '../../mapping/mappedRelease.ts';
import { nameSlug } from '../../mapping/buyerOrgId.ts';
import { cleanText } from '../../mapping/text.ts';
import { parseRelease, type Release } from '../../ocds/releaseSchema.ts';
import { ukLocalDateTime } from '../../time/ukTime.ts';
import { findATender } from '../findATender.ts';
import { publicContractsScotland } from '../publicContractsScotland.ts';
import { noticeIdOfOwnDocument } from './noticeIdentity.ts';
import { pageContextOfType } from './noticeTypes.ts';
import { pcsOcidLinkedBy, scRefOf } from './pcsReferences.ts';

const mapPcs = (release: Release): Promise<MappedRelease> => mapRelease(publicContractsScotland, release, { storeRaw: 'off' });

/** The parts of a capture the expectations are read from, as published. */
interface Published {
  parties: { id: string; name: string; address?: { region?: string; postalCode?: string } }[];
  buyer: { id: string };
  tender: { title: string; description?: string; tenderPeriod?: { endDate?: string }; value?: { amount?: number }; lots?: { value?: { amount?: number } }[] };
}

const captures = readPcsCaptures().map((c) => c.release);

describe('every real PCS capture maps to the fields the search product reads', async () => {
  const mapped = await Promise.all(captures.map(async (capture) => ({ capture, published: capture as unknown as Published, ...(await mapPcs(pcsRelease(capture))) })));

  it('title, description without the SC Ref tail, notice page, type, status and the SC Ref', () => {
    for (const { capture, published, contract } of mapped) {
      const notice = noticeIdOfOwnDocument(capture.tender.documents)!;
      expect(contract).toMatchObject({
        title: cleanText(published.tender.title),
        description: cleanText(published.tender.description),
        sourceUrl: `https://www.publiccontractsscotland.gov.uk/search/show/search_view.aspx?ID=${notice}`,
        noticeType: 'contractNotice',
        status: 'OPEN',
        stage: 'TENDER',
        scRef: scRefOf(capture.description),
      });
      expect(contract.description).not.toMatch(/SC Ref/);
    }
  });

  it('the buyer: its name, known by name within its postcode district, its region from the address (a bare `UK` by its postcode)', () => {
    const regions = new Map<string, number>();
    for (const { published, contract, buyer } of mapped) {
      const party = published.parties.find((p) => p.id === published.buyer.id)!;
      const district = party.address!.postalCode!.split(' ')[0].toLowerCase();
      expect(contract.buyerName).toBe(cleanText(party.name));
      expect(contract.buyerOrg).toBe(`name-${nameSlug(party.name)}@${district}`);
      expect(buyer).toMatchObject({ orgId: contract.buyerOrg, name: contract.buyerName, postalCode: party.address!.postalCode, region: contract.buyerRegion });
      regions.set(contract.buyerRegion!, (regions.get(contract.buyerRegion!) ?? 0) + 1);
    }
    // 89 Scottish buyers, and the Centre for Process Innovation in Redcar (TS10), whose region is just `UK`.
    expect(Object.fromEntries(regions)).toEqual({ Scotland: 89, 'North East': 1 });
  });

  it('the deadline: the UK wall time PCS writes with a Z, so "12:00 noon on 28 May 2019" is 11:00 UTC', () => {
    for (const { published, contract } of mapped) {
      const end = published.tender.tenderPeriod?.endDate;
      expect(end, 'every capture has a tender deadline').toBeDefined();
      expect(ukLocalDateTime(new Date(contract.deadlineDate!))).toBe(end!.replace(/Z$/, ''));
      expect(contract.deadlineKind).toBe('tender');
    }
    const quoted = mapped.find(({ capture }) => capture.description?.includes('tender is 12:00 noon on 28 May 2019'))!;
    expect(quoted.contract.deadlineDate).toBe('2019-05-28T11:00:00.000Z');
  });

  it('published on the UK day of its date, never the day before', () => {
    for (const { capture, contract } of mapped) {
      expect(ukLocalDateTime(new Date(contract.publishedDate!)).slice(0, 10)).toBe(capture.date.slice(0, 10));
    }
  });

  it('values and CPV codes wherever the release has them', () => {
    for (const { published, contract } of mapped) {
      const amounts = [published.tender.value?.amount, ...(published.tender.lots ?? []).map((lot) => lot.value?.amount)].filter((a) => a !== undefined && a > 0);
      if (amounts.length > 0) expect(contract.valueMin, contract.noticeId).toBeGreaterThan(0);
      else expect(contract.valueMin).toBeUndefined();
      expect(contract.cpvCodes.length, contract.noticeId).toBeGreaterThan(0);
    }
    expect(mapped.filter(({ contract }) => contract.valueMin !== undefined)).toHaveLength(62);
  });

  it('a notice, whole: APR352786 (ng homes, Glasgow G21)', () => {
    const { contract } = mapped.find(({ contract }) => contract.noticeId === 'APR352786')!;
    expect(contract).toMatchObject({
      _id: 'PUBLIC_CONTRACTS_SCOTLAND:APR352786',
      ocid: 'ocds-r6ebe6-0000581860',
      scRef: 581860,
      title: 'Five Year Electrical Inspection Contract, Various Addresses, North Glasgow',
      buyerName: 'ng homes',
      buyerOrg: 'name-ng-homes@g21',
      buyerRegion: 'Scotland',
      buyerRegionCode: 'UKM82',
      cpvCodes: ['50711000'],
      publishedDate: '2019-04-29T00:00:00.000Z',
      deadlineDate: '2019-05-29T11:00:00.000Z',
      procurementMethod: 'selective',
      mainProcurementCategory: 'services',
    });
    // Its own page is no related notice.
    expect(contract.relatedNotices).toBeUndefined();
  });
});

describe('status from what a PCS release carries, and the notice type its page was asked for (not in the release)', async () => {
  // One real capture, its stage blocks changed as a notice of each kind carries them (kinds and
  // codes: ./noticeTypes.ts); the rules are releaseStatus.ts's, as for every source.
  const capture = captures.find((c) => noticeIdOfOwnDocument(c.tender.documents) === 'APR352786')!;
  const award = { id: '1', status: 'active', date: '2019-07-01T00:00:00Z', suppliers: [{ id: 'org-9', name: 'Sparks Ltd' }], value: { amount: 120000, currency: 'GBP' } };
  const statusOf = async (changes: Record<string, unknown>, noticeTypeCode?: number): Promise<Pick<MappedContract, 'status' | 'stage'>> => {
    const { contract } = await mapRelease(publicContractsScotland, pcsRelease({ ...capture, ...changes } as PcsCapturedRelease), { storeRaw: 'off', page: pageContextOfType(noticeTypeCode) });
    return { status: contract.status, stage: contract.stage };
  };

  it.each([
    ['without an award block: AWARDED by its type', { tag: ['award'], tender: { ...capture.tender, status: 'complete' } }, { status: 'AWARDED', stage: 'AWARD' }],
    ['as captured (tender active, no award block): AWARDED by its type', {}, { status: 'AWARDED', stage: 'TENDER' }],
    ['with an award block, awards all unsuccessful: its awards decide', { tag: ['award'], tender: { ...capture.tender, status: 'unsuccessful' }, awards: [{ ...award, status: 'unsuccessful' }] }, { status: 'CLOSED', stage: 'AWARD' }],
    ['cancelled: its cancellation decides', { tag: ['tenderCancellation'], tender: { ...capture.tender, status: 'cancelled' } }, { status: 'CANCELLED', stage: 'TENDER' }],
  ])('a Quick Quote award (104) %s', async (_kind, changes, expected) => {
    expect(await statusOf(changes, 104)).toEqual(expected);
  });

  it.each([
    ['a contract notice (2, 102): tender active', {}, { status: 'OPEN', stage: 'TENDER' }],
    ['a prior information notice (1, 101): planning, tender planned', { tag: ['planning'], tender: { ...capture.tender, status: 'planned' } }, { status: 'OPEN', stage: 'PLANNING' }],
    ['an award notice (3, 103) or a Quick Quote award (104): an active award', { tag: ['award'], tender: { ...capture.tender, status: 'complete' }, awards: [award] }, { status: 'AWARDED', stage: 'AWARD' }],
    ['an award of no award: awards all unsuccessful', { tag: ['award'], tender: { ...capture.tender, status: 'unsuccessful' }, awards: [{ ...award, status: 'unsuccessful' }] }, { status: 'CLOSED', stage: 'AWARD' }],
    ['a cancelled tender', { tag: ['tenderCancellation'], tender: { ...capture.tender, status: 'cancelled' } }, { status: 'CANCELLED', stage: 'TENDER' }],
  ])('%s', async (_kind, changes, expected) => {
    expect(await statusOf(changes)).toEqual(expected);
  });
});

describe('the Find a Tender notices PCS sent on', async () => {
  const fts = readRealReleases().filter((r) => r.source === 'FIND_A_TENDER' && pcsOcidLinkedBy((r.release as { links?: unknown }).links) !== undefined);
  const mapped = await Promise.all(
    fts.map(async ({ release }) => {
      const parsed = parseRelease(release);
      if (!parsed.ok) throw new Error(parsed.reason);
      return { release: parsed.release, contract: (await mapRelease(findATender, parsed.release, { storeRaw: 'off' })).contract };
    }),
  );

  it('carry the PCS notice\'s SC Ref and name that notice\'s page among their related notices', () => {
    const quoting = mapped.filter(({ release }) => scRefOf(release.description) !== undefined);
    expect(quoting).toHaveLength(44);
    for (const { release, contract } of quoting) {
      const scRef = scRefOf(release.description)!;
      expect(contract.scRef).toBe(scRef);
      expect(contract.relatedNotices).toContainEqual({ source: 'PUBLIC_CONTRACTS_SCOTLAND', url: `https://www.publiccontractsscotland.gov.uk/Search/Search_Switch.aspx?ID=${scRef}` });
      expect(contract.description ?? '').not.toMatch(/SC Ref/);
    }
    // The four tender updates quote none: no SC Ref, no PCS notice named.
    for (const { contract } of mapped.filter(({ release }) => scRefOf(release.description) === undefined)) {
      expect(contract.scRef).toBeUndefined();
      expect(contract.relatedNotices ?? []).toEqual([]);
    }
  });

  it('075904-2026 (an award): its own notice\'s SC Ref, not its procurement\'s first', () => {
    expect(mapped.find(({ contract }) => contract.noticeId === '075904-2026')!.contract.scRef).toBe(839777);
  });
});
