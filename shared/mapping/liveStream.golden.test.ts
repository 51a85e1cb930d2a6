/**
 * Golden checks for each Find a Tender notice type and tag of the live stream that the goldens of
 * mapRelease.golden.test.ts / mapFields.golden.test.ts (UK4, UK6, CF kinds) lack (issue 20). Each
 * expected document was written by reading the raw JSON of the release in test/fixtures/real/ by
 * hand and applying the rules as documented (docs/mapping.md and the rule files), not by running
 * the mapper. Whole contracts, search fields included, and buyers are compared with toEqual, so a
 * field that should be absent and is present fails too. Long descriptions are checked by their start
 * and end.
 *
 * 2015-regulation notices (no notice type, party ids `GB-FTS-<n>`): such an id is FTS's own record
 * number, never a buyerOrg, so the buyer falls back on its name slug (`name-…`).
 */
import { describe, expect, it } from 'vitest';
import { realRelease } from '../../test/fixtures/realFixtures.ts';
import { parseRelease } from '../ocds/releaseSchema.ts';
import { sources } from '../sources/sources.ts';
import { mapRelease } from './mapRelease.ts';
import { MAPPING_VERSION } from './mappingVersion.ts';
import type { MappedRelease } from './mappedRelease.ts';
import { UK_REGIONS } from './regions.ts';

async function mapReal(file: string, id: string): Promise<MappedRelease> {
  const parsed = parseRelease(await realRelease(file, id));
  if (!parsed.ok) throw new Error(parsed.reason);
  return mapRelease(sources.FIND_A_TENDER, parsed.release, { storeRaw: 'off' });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A long text, checked by its start and end. */
function startsEnds(start: string, end: string): unknown {
  return expect.stringMatching(new RegExp(`^${escape(start)}[\\s\\S]*${escape(end)}$`));
}

const FTS = 'https://www.find-tender.service.gov.uk/Notice/';
const ALL_UK = [...UK_REGIONS];

/** The fields every FTS notice derives from its id alone: no counter, the notice page. */
function identity(id: string, ocid: string, releaseDate: string) {
  return {
    _id: `FIND_A_TENDER:${id}`,
    source: 'FIND_A_TENDER',
    noticeId: id,
    releaseId: id,
    ocid,
    sourceUrl: `${FTS}${id}`,
    releaseDate,
    releaseOrder: `${releaseDate}#000000000000`,
    mappingVersion: MAPPING_VERSION,
  };
}

describe('Procurement Act notice types', () => {
  // UK1 pipeline notice, tag planningUpdate: stage PLANNING from the update tag, tender.status planned → OPEN; suitability from the lot.
  it('076252-2026: UK1, planningUpdate', async () => {
    const mapped = await mapReal('fts-2026-08-11-page-003.json', '076252-2026');
    expect(mapped.contract).toEqual({
      ...identity('076252-2026', 'ocds-h6vhtk-052516', '2026-08-11T13:10:48.000Z'),
      title: 'Residual Waste Services for Eden Area',
      description: 'All Residual Waste Services for Eden Area',
      status: 'OPEN',
      stage: 'PLANNING',
      noticeType: 'UK1',
      buyerName: 'Westmorland and Furness Council',
      buyerOrg: 'GB-PPON-PYYD-1758-YNVR',
      buyerRegion: 'North West',
      buyerRegionCode: 'UKD12',
      // Item delivered in UKD1.
      deliveryRegions: ['North West'],
      cpvCodes: ['90500000'],
      sector: 'Sewage, refuse, cleaning and environmental services',
      valueMin: 8000000,
      valueMax: 8000000,
      currency: 'GBP',
      values: [{ source: 'tender', amount: 8000000, amountGross: 9600000, currency: 'GBP' }],
      // From the lot (the tender has no suitability).
      suitableForSme: true,
      suitableForVcse: true,
      procurementMethod: 'open',
      procurementMethodDetails: 'Open procedure',
      mainProcurementCategory: 'services',
      contractPeriod: { startDate: '2027-03-31T23:00:00.000Z', endDate: '2031-03-31T22:59:59.000Z' },
      documents: [{ url: `${FTS}076252-2026`, id: '076252-2026', type: 'plannedProcurementNotice', title: 'Pipeline notice on Find a Tender' }],
      publishedDate: '2026-08-11T13:10:48.000Z',
      // No tenderPeriod, no expression-of-interest deadline (futureNoticeDate is no deadline).
      // The lot's CPV (its item's) is the contract's: left out.
      lots: [{ id: '1', status: 'planned' }],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-PPON-PYYD-1758-YNVR',
      name: 'Westmorland and Furness Council',
      sector: 'Sewage, refuse, cleaning and environmental services',
      region: 'North West',
      regionCode: 'UKD12',
      contacts: [{ email: 'maxine.moran@westmorlandandfurness.gov.uk' }],
      locality: 'Kendal',
      postalCode: 'LA9 4DQ',
    });
  });

  // UK2 preliminary market engagement, tag planning: placeholder zero tender value (amount 0, amountGross 0) is no value; region "UK" = all twelve.
  it('076511-2026: UK2, planning, placeholder zero value', async () => {
    const mapped = await mapReal('fts-2026-08-12-page-005.json', '076511-2026');
    expect(mapped.contract).toEqual({
      ...identity('076511-2026', 'ocds-h6vhtk-06e201', '2026-08-12T08:27:04.000Z'),
      title: 'Pre-Market Engagement – Furniture Supply Solutions for Bedford College',
      description: startsEnds(
        'Bedford College is undertaking a pre-market engagement exercise to gather information from suppliers',
        'Responses may be used to inform future procurement strategies and requirements.',
      ),
      status: 'OPEN',
      stage: 'PLANNING',
      noticeType: 'UK2',
      buyerName: 'Bedford College',
      buyerOrg: 'GB-PPON-PBCW-2828-YLLW',
      buyerRegion: 'East of England',
      buyerRegionCode: 'UKH24',
      deliveryRegions: ALL_UK,
      cpvCodes: ['79212200'],
      sector: 'Business services',
      // tender.value {amount: 0, amountGross: 0}: no valueMin/valueMax/currency, no values.
      suitableForSme: true,
      suitableForVcse: true,
      mainProcurementCategory: 'services',
      contractPeriod: { startDate: '2027-01-04T00:00:00.000Z', endDate: '2027-03-01T23:59:59.000Z' },
      documents: [{ url: `${FTS}076511-2026`, id: '076511-2026', type: 'marketEngagementNotice', title: 'Preliminary market engagement notice on Find a Tender' }],
      publishedDate: '2026-08-12T08:27:04.000Z',
      // The engagement milestone's dueDate is no deadline. description null left out.
      lots: [{ id: '1', status: 'planning' }],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-PPON-PBCW-2828-YLLW',
      name: 'Bedford College',
      sector: 'Business services',
      region: 'East of England',
      regionCode: 'UKH24',
      contacts: [{ name: 'Procurement Team', email: 'procurement@bedford.ac.uk', telephone: '0123491000' }],
      locality: 'Bedford',
      postalCode: 'MK42 9AH',
    });
  });

  // UK3 planned procurement, tag planning: expression-of-interest deadline (no tenderPeriod); submission details as text; maxExtentDate.
  it('076652-2026: UK3, planning, expression-of-interest deadline', async () => {
    const mapped = await mapReal('fts-2026-08-12-page-004.json', '076652-2026');
    expect(mapped.contract).toEqual({
      ...identity('076652-2026', 'ocds-h6vhtk-06dc4a', '2026-08-12T10:41:05.000Z'),
      title: 'Provision and Support of a Mobile Test Facility (MTF)',
      description: startsEnds(
        'Opportunity Listing: https://contracts.mod.uk/esop/guest/go/opportunity/detail?opportunityId=61369  \nThe MTF project includes',
        'The vehicle is also utilised for Operational Defect rectification and to baseline emerging TDL technologies.',
      ),
      status: 'OPEN',
      stage: 'PLANNING',
      noticeType: 'UK3',
      buyerName: 'Defence Equipment and Support',
      buyerOrg: 'GB-PPON-PVRL-5831-GLMM',
      buyerRegion: 'South West',
      buyerRegionCode: 'UKK12',
      deliveryRegions: ALL_UK,
      cpvCodes: ['50334400'],
      sector: 'Repair and maintenance services',
      valueMin: 4000000,
      valueMax: 4000000,
      currency: 'GBP',
      values: [
        { source: 'tender', amount: 4000000, amountGross: 4800000, currency: 'GBP' },
        { source: 'lot', id: '1', amount: 4000000, amountGross: 4800000, currency: 'GBP' },
      ],
      procurementMethod: 'selective',
      procurementMethodDetails: 'Competitive flexible procedure',
      mainProcurementCategory: 'services',
      contractPeriod: { startDate: '2027-04-30T23:00:00.000Z', endDate: '2032-04-30T22:59:59.000Z', maxExtentDate: '2035-04-30T22:59:59.000Z' },
      documents: [{ url: `${FTS}076652-2026`, id: '076652-2026', type: 'plannedProcurementNotice', title: 'Planned procurement notice on Find a Tender' }],
      submissionDetails: 'Tenders will be submitted via the Defence Sourcing Portal (DSP)',
      publishedDate: '2026-08-12T10:41:05.000Z',
      deadlineDate: '2026-11-11T12:00:00.000Z',
      deadlineKind: 'expressionOfInterest',
      lots: [{ id: '1', status: 'planned', value: 4000000, currency: 'GBP' }],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-PPON-PVRL-5831-GLMM',
      name: 'Defence Equipment and Support',
      sector: 'Repair and maintenance services',
      region: 'South West',
      regionCode: 'UKK12',
      website: 'https://www.gov.uk/government/organisations/defence-equipment-and-support',
      contacts: [{ name: 'Debbie Probert', email: 'deborah.probert812@mod.gov.uk' }],
      locality: 'Bristol',
      postalCode: 'BS34 8JH',
    });
  });

  // UK5 transparency notice, tags award+contract: the type decides CLOSED over the pending award; CPV from the award's item only.
  it('076201-2026: UK5, award+contract, pending award is CLOSED', async () => {
    const mapped = await mapReal('fts-2026-08-11-page-003.json', '076201-2026');
    expect(mapped.contract).toEqual({
      ...identity('076201-2026', 'ocds-h6vhtk-06e145', '2026-08-11T11:37:52.000Z'),
      title: 'Green Light Laser',
      description: 'Purchase of Green Light Laser',
      status: 'CLOSED',
      stage: 'AWARD',
      noticeType: 'UK5',
      buyerName: 'Frimley Health NHS Foundation Trust',
      buyerOrg: 'GB-PPON-PLMQ-6855-CXLL',
      buyerRegion: 'South East',
      buyerRegionCode: 'UKJ25',
      cpvCodes: ['33100000'],
      sector: 'Medical equipment and pharmaceuticals',
      valueMin: 96000,
      valueMax: 96000,
      currency: 'GBP',
      values: [{ source: 'award', id: '1', amount: 96000, amountGross: 115200, currency: 'GBP' }],
      procurementMethod: 'direct',
      procurementMethodDetails: 'Below threshold - without competition',
      // On the award.
      mainProcurementCategory: 'goods',
      // The award's: the lot has none.
      contractPeriod: { startDate: '2026-08-31T23:00:00.000Z', endDate: '2026-09-30T22:59:59.000Z' },
      documents: [{ url: `${FTS}076201-2026`, id: '076201-2026', type: 'awardNotice', title: 'Transparency notice on Find a Tender' }],
      publishedDate: '2026-08-11T11:37:52.000Z',
      // The lot has no CPV of its own (its item sits on the award): none stored.
      lots: [{ id: '1', status: 'complete' }],
      awards: [
        {
          id: '1',
          status: 'pending',
          value: 96000,
          currency: 'GBP',
          relatedLots: ['1'],
          suppliers: [{ id: 'GB-COH-02729626', name: 'Boston Scientific Ltd.' }],
        },
      ],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-PPON-PLMQ-6855-CXLL',
      name: 'Frimley Health NHS Foundation Trust',
      sector: 'Medical equipment and pharmaceuticals',
      region: 'South East',
      regionCode: 'UKJ25',
      website: 'https://www.frimleyhealth.nhs.uk',
      contacts: [{ email: 'greta.pehlivanova@nhs.net' }],
      locality: 'Frimley',
      postalCode: 'GU16 7UJ',
    });
  });

  // UK7 contract details, tags award+contract: framework call-off; contract value gross only → valueIncludesVat; period from the contract.
  it('076220-2026: UK7, award+contract, framework, gross-only contract value', async () => {
    const mapped = await mapReal('fts-2026-08-11-page-003.json', '076220-2026');
    expect(mapped.contract).toEqual({
      ...identity('076220-2026', 'ocds-h6vhtk-06e151', '2026-08-11T12:25:57.000Z'),
      title: 'Multi Functional Devices & Digital Solutions',
      description: 'Y26009 Multi Functional Devices & Digital Solutions',
      status: 'AWARDED',
      stage: 'AWARD',
      noticeType: 'UK7',
      buyerName: 'Kent County Council (t/a Procurement Services)',
      buyerOrg: 'GB-PPON-PYCX-4938-CCHM',
      buyerRegion: 'South East',
      buyerRegionCode: 'UKJ46',
      cpvCodes: ['30232100'],
      sector: 'Office and computing equipment',
      // The award has no value; the contract only amountGross.
      valueMin: 85952,
      valueMax: 85952,
      currency: 'GBP',
      valueIncludesVat: true,
      values: [{ source: 'contract', id: '1', amount: 85952, currency: 'GBP', vatIncluded: true }],
      procurementMethod: 'selective',
      procurementMethodDetails: 'Below threshold - award under framework',
      mainProcurementCategory: 'goods',
      contractPeriod: { startDate: '2026-08-31T23:00:00.000Z', endDate: '2029-08-31T22:59:59.000Z' },
      documents: [{ url: `${FTS}076220-2026`, id: '076220-2026', type: 'contractNotice', title: 'Contract details notice on Find a Tender' }],
      publishedDate: '2026-08-11T12:25:57.000Z',
      // An API address of the same service: a framework, not a related notice.
      framework: { ocid: 'ocds-h6vhtk-066388', url: 'https://www.find-tender.service.gov.uk/api/1.0/ocdsReleasePackages/ocds-h6vhtk-066388' },
      lots: [{ id: '1', status: 'complete' }],
      awards: [{ id: '1', status: 'active', relatedLots: ['1'], suppliers: [{ id: 'GB-PPON-PMHC-4165-CBLG', name: 'Ricoh UK Limited' }] }],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-PPON-PYCX-4938-CCHM',
      name: 'Kent County Council (t/a Procurement Services)',
      sector: 'Office and computing equipment',
      region: 'South East',
      regionCode: 'UKJ46',
      contacts: [{ name: 'Stuart Whitehead', email: 'procurementservices@csltd.org.uk' }],
      locality: 'West Malling',
      postalCode: 'ME19 4YT',
    });
  });

  // UK7 contract details, tags awardUpdate+contractUpdate: the contract's value (award has none); delivery on the award's item; trailing spaces trimmed.
  it('076413-2026: UK7, awardUpdate+contractUpdate', async () => {
    const mapped = await mapReal('fts-2026-08-11-page-001.json', '076413-2026');
    expect(mapped.contract).toEqual({
      ...identity('076413-2026', 'ocds-h6vhtk-06e1c8', '2026-08-11T15:37:25.000Z'),
      title: 'Demolition of Pontypridd Police Station and Berw Road Multi Storey Car Park',
      description: 'Appointment of Contractor for the Demolition of Pontypridd Police Station and Berw Road Multi Storey Car Park, Pontypridd',
      status: 'AWARDED',
      stage: 'AWARD',
      noticeType: 'UK7',
      buyerName: 'Rhondda Cynon Taf CBC',
      buyerOrg: 'GB-PPON-PDXZ-9391-VHZQ',
      buyerRegion: 'Wales',
      buyerRegionCode: 'UKL15',
      deliveryRegions: ['Wales'],
      cpvCodes: ['45110000'],
      sector: 'Construction work',
      valueMin: 1150449.41,
      valueMax: 1150449.41,
      currency: 'GBP',
      // The contract's amendment has no value.
      values: [{ source: 'contract', id: '1', amount: 1150449.41, amountGross: 1380539.29, currency: 'GBP' }],
      procurementMethod: 'limited',
      procurementMethodDetails: 'Below threshold - limited competition',
      mainProcurementCategory: 'works',
      contractPeriod: { startDate: '2026-09-25T23:00:00.000Z', endDate: '2027-02-05T23:59:59.000Z' },
      documents: [{ url: `${FTS}076413-2026`, id: '076413-2026', type: 'contractNotice', title: 'Contract details notice on Find a Tender' }],
      publishedDate: '2026-08-11T15:37:25.000Z',
      lots: [{ id: '1', status: 'complete' }],
      awards: [{ id: '1', status: 'active', relatedLots: ['1'], suppliers: [{ id: 'GB-PPON-PLLW-4243-NPMP', name: 'Prichard Demolition Limited' }] }],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-PPON-PDXZ-9391-VHZQ',
      name: 'Rhondda Cynon Taf CBC',
      sector: 'Construction work',
      region: 'Wales',
      regionCode: 'UKL15',
      website: 'http://www.rctcbc.gov.uk/',
      contacts: [{ email: 'Procurement@rctcbc.gov.uk' }],
      locality: 'Pontypridd',
      postalCode: 'CF37 4TH',
    });
  });

  // UK9 contract performance, tag implementation: no release.buyer (buyer by role), no CPV, no description; award stage with nothing else → AWARDED.
  it('076113-2026: UK9, implementation', async () => {
    const mapped = await mapReal('fts-2026-08-11-page-004.json', '076113-2026');
    expect(mapped.contract).toEqual({
      ...identity('076113-2026', 'ocds-h6vhtk-059d41', '2026-08-11T10:06:39.000Z'),
      title: 'Further Education Network Connectivity and Cyber Security Services (FENCCSS)',
      status: 'AWARDED',
      stage: 'AWARD',
      noticeType: 'UK9',
      buyerName: 'Department for Education',
      buyerOrg: 'GB-PPON-PDZG-3487-DPVD',
      buyerRegion: 'London',
      buyerRegionCode: 'UKI32',
      // Not classified at all: an empty list, no sector.
      cpvCodes: [],
      documents: [{ url: `${FTS}076113-2026`, id: '076113-2026', type: 'implementationNotice', title: 'Contract performance notice on Find a Tender' }],
      publishedDate: '2026-08-11T10:06:39.000Z',
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-PPON-PDZG-3487-DPVD',
      name: 'Department for Education',
      region: 'London',
      regionCode: 'UKI32',
      contacts: [{ email: 'Technology.CATEGORY@education.gov.uk' }],
      locality: 'London',
      postalCode: 'SW1P3BT',
    });
  });

  // UK10 contract change, tag contractAmendment: the proposed amendment's value as `amendment`; its period is no contractPeriod.
  it('071478-2026: UK10, contractAmendment, amendment value', async () => {
    const mapped = await mapReal('fts-whole-stream-page-050.json', '071478-2026');
    expect(mapped.contract).toEqual({
      ...identity('071478-2026', 'ocds-h6vhtk-05ee62', '2026-07-29T06:47:06.000Z'),
      title: '715729502 - Provision of Army Service Charitable Funds Upgrade (DInfo 0296)',
      status: 'AWARDED',
      stage: 'AWARD',
      noticeType: 'UK10',
      buyerName: 'Ministry of Defence',
      buyerOrg: 'GB-PPON-PHVX-4316-ZVGZ',
      buyerRegion: 'South East',
      buyerRegionCode: 'UKJ36',
      cpvCodes: [],
      valueMin: 509195,
      valueMax: 509195,
      currency: 'GBP',
      values: [{ source: 'amendment', id: '071478-2026', amount: 509195, amountGross: 611034, currency: 'GBP' }],
      // The conflictOfInterest document has no address.
      documents: [{ url: `${FTS}071478-2026`, id: '071478-2026', type: 'contractNotice', title: 'Contract change notice on Find a Tender' }],
      publishedDate: '2026-07-29T06:47:06.000Z',
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-PPON-PHVX-4316-ZVGZ',
      name: 'Ministry of Defence',
      region: 'South East',
      regionCode: 'UKJ36',
      website: 'https://www.gov.uk/government/organisations/ministry-of-defence',
      contacts: [{ email: 'armyinfo-strat-cmrcl-0mailbox@mod.gov.uk' }],
      locality: 'Andover',
      postalCode: 'SP118HT',
    });
  });

  // UK11 contract termination, tag contractTermination: TERMINATED; the final value (what was paid) is the range.
  it('076640-2026: UK11, contractTermination, final value', async () => {
    const mapped = await mapReal('fts-2026-08-12-page-004.json', '076640-2026');
    expect(mapped.contract).toEqual({
      ...identity('076640-2026', 'ocds-h6vhtk-061125', '2026-08-12T10:31:58.000Z'),
      title: 'Audit of OS Website',
      status: 'TERMINATED',
      stage: 'AWARD',
      noticeType: 'UK11',
      buyerName: 'ORDNANCE SURVEY LIMITED',
      buyerOrg: 'GB-COH-09121572',
      buyerRegion: 'South East',
      buyerRegionCode: 'UKJ36',
      cpvCodes: [],
      valueMin: 98985,
      valueMax: 98985,
      currency: 'GBP',
      values: [{ source: 'final', id: '1', amount: 98985, amountGross: 118782, currency: 'GBP' }],
      documents: [{ url: `${FTS}076640-2026`, id: '076640-2026', type: 'contractTerminationNotice', title: 'Contract termination notice on Find a Tender' }],
      publishedDate: '2026-08-12T10:31:58.000Z',
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-COH-09121572',
      name: 'ORDNANCE SURVEY LIMITED',
      region: 'South East',
      regionCode: 'UKJ36',
      website: 'http://www.os.co.uk/',
      contacts: [{ name: 'Vicki Walton', email: 'vicki.walton@os.uk' }],
      locality: 'Southampton',
      postalCode: 'SO16 0AS',
    });
  });

  // UK12 procurement termination, tag tenderCancellation: CANCELLED although tender.status says complete; a cancelled award without suppliers.
  it('076161-2026: UK12, tenderCancellation', async () => {
    const mapped = await mapReal('fts-2026-08-11-page-003.json', '076161-2026');
    expect(mapped.contract).toEqual({
      ...identity('076161-2026', 'ocds-h6vhtk-06bb7d', '2026-08-11T10:56:01.000Z'),
      title: 'Escalator Safety Interventions',
      status: 'CANCELLED',
      stage: 'TENDER',
      noticeType: 'UK12',
      buyerName: 'Transport for London',
      buyerOrg: 'GB-PPON-PHMT-6197-NWNZ',
      buyerRegion: 'London',
      buyerRegionCode: 'UKI41',
      cpvCodes: [],
      documents: [{ url: `${FTS}076161-2026`, id: '076161-2026', type: 'tenderCancellationNotice', title: 'Procurement termination notice on Find a Tender' }],
      publishedDate: '2026-08-11T10:56:01.000Z',
      lots: [{ id: '1', status: 'complete' }],
      awards: [{ id: '1', status: 'cancelled', relatedLots: ['1'], suppliers: [] }],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-PPON-PHMT-6197-NWNZ',
      name: 'Transport for London',
      region: 'London',
      regionCode: 'UKI41',
      contacts: [{ email: 'BSFAribaAdministration@tfl.gov.uk' }],
      locality: 'London',
      postalCode: 'E20 1JN',
    });
  });

  // UK13 dynamic market intention, tag tender: two lots with their own CPVs and titles; region "UK" = all twelve; submission URL; no deadline.
  it('075788-2026: UK13, tender, two lots', async () => {
    const mapped = await mapReal('fts-2026-08-10-page-002.json', '075788-2026');
    expect(mapped.contract).toEqual({
      ...identity('075788-2026', 'ocds-h6vhtk-06e044', '2026-08-10T13:36:06.000Z'),
      title: 'Your Housing Group - Dynamic Market for Energy Supply',
      description: startsEnds(
        'Establishment of a Dynamic Market pursuant to section 34 of the Procurement Act 2023',
        'To respond to this opportunity, please click here: \nhttps://www.delta-esourcing.com/respond/6YU5Q48E97',
      ),
      status: 'OPEN',
      stage: 'TENDER',
      noticeType: 'UK13',
      buyerName: 'Your Housing Group Limited',
      buyerOrg: 'GB-PPON-PCBB-6493-RNBZ',
      buyerRegion: 'North West',
      buyerRegionCode: 'UKD61',
      deliveryRegions: ALL_UK,
      cpvCodes: ['09121200', '09123000', '09310000', '31682000'],
      sector: 'Petroleum, fuel, electricity and energy',
      procurementMethod: 'open',
      procurementMethodDetails: 'Dynamic market',
      mainProcurementCategory: 'goods',
      documents: [{ url: `${FTS}075788-2026`, id: '075788-2026', type: 'tenderNotice', title: 'Dynamic market intention notice on Find a Tender' }],
      submissionUrl: 'https://www.delta-esourcing.com/respond/6YU5Q48E97',
      publishedDate: '2026-08-10T13:36:06.000Z',
      // tenderPeriod has only durationInDays: no deadline.
      lots: [
        {
          id: '1',
          title: 'Supply of Gas',
          description: 'Physical supply of gas to all Authority sites along with associated invoicing and query management services',
          status: 'active',
          cpvCodes: ['09121200', '09123000'],
        },
        {
          id: '2',
          title: 'Supply of Electricity',
          description: 'Physical supply of electricity to all Authority sites along with associated invoicing and query management services',
          status: 'active',
          cpvCodes: ['09310000', '31682000'],
        },
      ],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-PPON-PCBB-6493-RNBZ',
      name: 'Your Housing Group Limited',
      sector: 'Petroleum, fuel, electricity and energy',
      region: 'North West',
      regionCode: 'UKD61',
      contacts: [{ name: 'Alex Payne', email: 'publicprocurement@zenergi.co.uk' }],
      locality: 'Warrington',
      postalCode: 'WA3 7QH',
    });
  });

  // UK15 dynamic market modification, tags award+contract: OPEN by type although its awards (no status) would say AWARDED; awards without suppliers.
  it('071470-2026: UK15, award+contract, admitted-supplier awards', async () => {
    const mapped = await mapReal('fts-whole-stream-page-050.json', '071470-2026');
    expect(mapped.contract).toEqual({
      ...identity('071470-2026', 'ocds-h6vhtk-0510f8', '2026-07-28T22:30:23.000Z'),
      title: 'Space Technology Solutions',
      status: 'OPEN',
      stage: 'AWARD',
      noticeType: 'UK15',
      buyerName: 'Government Commercial Agency',
      buyerOrg: 'GB-PPON-PBZB-4962-TVLR',
      buyerRegion: 'North West',
      buyerRegionCode: 'UKD72',
      cpvCodes: [],
      documents: [{ url: `${FTS}071470-2026`, id: '071470-2026', type: 'awardNotice', title: 'Dynamic market modification notice on Find a Tender' }],
      publishedDate: '2026-07-28T22:30:23.000Z',
      awards: [
        { id: '103', suppliers: [] },
        { id: '112', suppliers: [] },
        { id: '116', suppliers: [] },
        { id: '119', suppliers: [] },
      ],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-PPON-PBZB-4962-TVLR',
      name: 'Government Commercial Agency',
      region: 'North West',
      regionCode: 'UKD72',
      website: 'https://www.gov.gca.uk',
      contacts: [{ email: 'Supplier@gca.gov.uk' }],
      locality: 'Liverpool',
      postalCode: 'L3 9PP',
    });
  });
});

// These expect the GB-FTS rule being merged from a parallel branch: until then the mapper gives buyerOrg `GB-FTS-<n>`.
describe('2015-regulation notices (no notice type, GB-FTS party ids)', () => {
  // 2015 tender, tag tender: date-only deadline (end of that UK day, BST); no notice document, so published = release date; NUTS1 "UKD" delivery.
  it('076496-2026: tender, date-only deadline', async () => {
    const mapped = await mapReal('fts-2026-08-12-page-005.json', '076496-2026');
    expect(mapped.contract).toEqual({
      ...identity('076496-2026', 'ocds-h6vhtk-06957c', '2026-08-12T08:18:29.000Z'),
      title: 'Rochdale Borough Council',
      description: 'This procurement was done under Provider Selection Regime - Most Suitable Provider and is now closed.',
      status: 'OPEN',
      stage: 'TENDER',
      buyerName: 'Rochdale Borough Council',
      buyerOrg: 'name-rochdale-borough-council',
      buyerRegion: 'North West',
      buyerRegionCode: 'UKD37',
      deliveryRegions: ['North West'],
      cpvCodes: ['85100000'],
      sector: 'Health and social work services',
      procurementMethod: 'selective',
      procurementMethodDetails: 'Restricted procedure',
      mainProcurementCategory: 'services',
      // The lot's contractPeriod is durationInDays only: no dates, no contractPeriod.
      submissionMethods: ['written'],
      publishedDate: '2026-08-12T08:18:29.000Z',
      // "2026-08-13": 23:59:59 BST.
      deadlineDate: '2026-08-13T22:59:59.000Z',
      deadlineKind: 'tender',
      lots: [
        { id: '1', description: 'This procurement was done under Provider Selection Regime - Most Suitable Provider and is now closed.', status: 'active' },
      ],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'name-rochdale-borough-council',
      name: 'Rochdale Borough Council',
      sector: 'Health and social work services',
      region: 'North West',
      regionCode: 'UKD37',
      website: 'http://www.the-chest.org.uk',
      contacts: [{ name: 'Luisa Venturi', email: 'luisa.venturi-watkins@star-procurement.gov.uk', url: 'http://www.the-chest.org.uk' }],
      locality: 'Rochdale',
      postalCode: 'OL161XU',
    });
  });

  // 2015 award, tags award+contract: the contract's value (the award has none); the lot cancelled, the award active → AWARDED.
  it('076188-2026: award+contract, contract value', async () => {
    const mapped = await mapReal('fts-2026-08-11-page-003.json', '076188-2026');
    expect(mapped.contract).toEqual({
      ...identity('076188-2026', 'ocds-h6vhtk-03fa8b', '2026-08-11T11:25:32.000Z'),
      title: 'FC for 5 x 2 man potholes defects - tender 1',
      description: 'Category Defects Package via Civil Engineering 50k-500k',
      status: 'AWARDED',
      stage: 'AWARD',
      buyerName: 'Durham County Council',
      buyerOrg: 'name-durham-county-council',
      buyerRegion: 'North East',
      buyerRegionCode: 'UKC14',
      deliveryRegions: ['North East'],
      cpvCodes: ['45233142'],
      sector: 'Construction work',
      valueMin: 382500,
      valueMax: 382500,
      currency: 'GBP',
      values: [{ source: 'contract', id: '076188-2026-1', amount: 382500, currency: 'GBP' }],
      procurementMethod: 'selective',
      procurementMethodDetails: 'Restricted procedure',
      mainProcurementCategory: 'works',
      // No documents at all: published is the release date.
      publishedDate: '2026-08-11T11:25:32.000Z',
      lots: [{ id: '1', description: 'Category Defects package', status: 'cancelled' }],
      awards: [
        {
          id: '076188-2026-1',
          status: 'active',
          relatedLots: ['1'],
          suppliers: [{ id: 'GB-COH-06026274', name: 'Pinkney Building Contractors' }],
        },
      ],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'name-durham-county-council',
      name: 'Durham County Council',
      sector: 'Construction work',
      region: 'North East',
      regionCode: 'UKC14',
      website: 'http://www.durham.gov.uk',
      contacts: [{ name: 'Carol Jefferson', email: 'carol.jefferson@durham.gov.uk', telephone: '+44 3000265444' }],
      locality: 'Durham',
      postalCode: 'DH15WB',
    });
  });

  // 2015 correction, tag tenderUpdate without tender.status: no status to read, tender stage → OPEN (rule 8).
  it('071464-2026: tenderUpdate without tender.status', async () => {
    const mapped = await mapReal('fts-whole-stream-page-050.json', '071464-2026');
    expect(mapped.contract).toEqual({
      ...identity('071464-2026', 'ocds-h6vhtk-042cee', '2026-07-28T17:06:53.000Z'),
      title: 'White Goods',
      description: 'Domestic White Goods & Electrical Equipment',
      status: 'OPEN',
      stage: 'TENDER',
      buyerName: 'Waythrough',
      buyerOrg: 'name-waythrough',
      buyerRegion: 'North East',
      buyerRegionCode: 'UKC1',
      cpvCodes: ['39700000'],
      sector: 'Furniture, furnishings, appliances and cleaning products',
      mainProcurementCategory: 'goods',
      publishedDate: '2026-07-28T17:06:53.000Z',
    });
    expect(mapped.buyer).toEqual({
      orgId: 'name-waythrough',
      name: 'Waythrough',
      sector: 'Furniture, furnishings, appliances and cleaning products',
      region: 'North East',
      regionCode: 'UKC1',
      website: 'https://waythrough.org.uk',
      contacts: [{ email: 'Melissa.Hamoudi@waythrough.org.uk', telephone: '+44 7812466993' }],
      locality: 'Bowburn',
      postalCode: 'DH6 5PF',
    });
  });

  // 2015 prior information notice, tag planning: tender.status planned → OPEN, PLANNING; Scotland (UKM50); tender.description before release.description.
  it('075696-2026: planning', async () => {
    const mapped = await mapReal('fts-2026-08-10-page-003.json', '075696-2026');
    const text =
      'The University of Aberdeen invites interested parties to provide information and indicative pricing relating to a modern Finance System, including optional modules, support services, and implementation. The proposed system will replace the existing financial management solution as part of the University’s wider digital transformation agenda.';
    expect(mapped.contract).toEqual({
      ...identity('075696-2026', 'ocds-h6vhtk-06e00d', '2026-08-10T11:35:40.000Z'),
      title: 'Finance System RFI - University of Aberdeen',
      description: text,
      status: 'OPEN',
      stage: 'PLANNING',
      buyerName: 'University of Aberdeen',
      buyerOrg: 'name-university-of-aberdeen',
      buyerRegion: 'Scotland',
      buyerRegionCode: 'UKM50',
      deliveryRegions: ['Scotland'],
      cpvCodes: ['48000000'],
      sector: 'Software and information systems',
      mainProcurementCategory: 'goods',
      publishedDate: '2026-08-10T11:35:40.000Z',
      lots: [{ id: '1', description: text, status: 'planned' }],
      // Sent on from Public Contracts Scotland: the PCS notice it is the twin of.
      scRef: 839706,
      relatedNotices: [{ source: 'PUBLIC_CONTRACTS_SCOTLAND', url: 'https://www.publiccontractsscotland.gov.uk/Search/Search_Switch.aspx?ID=839706' }],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'name-university-of-aberdeen',
      name: 'University of Aberdeen',
      sector: 'Software and information systems',
      region: 'Scotland',
      regionCode: 'UKM50',
      website: 'http://www.abdn.ac.uk/procurement',
      contacts: [{ email: 'e-sourcing@abdn.ac.uk' }],
      locality: 'Aberdeen',
      postalCode: 'AB24 3FX',
    });
  });

  // 2015 PSR intended approach, tags planning+tender: the later stage (TENDER) wins; date-only deadline; tender and lot values; identifier id without scheme.
  it('076069-2026: planning+tender', async () => {
    const mapped = await mapReal('fts-2026-08-11-page-004.json', '076069-2026');
    expect(mapped.contract).toEqual({
      ...identity('076069-2026', 'ocds-h6vhtk-06e0ec', '2026-08-11T09:13:45.000Z'),
      title: 'Children and Young People Safe Space Support Services',
      // tender.description, not the release's "This is an intended approach notice…".
      description: startsEnds(
        'Safe Space is an overnight mental health crisis support service for children and young people aged 13 to 18 years',
        'reporting and day-to-day service management.',
      ),
      status: 'OPEN',
      stage: 'TENDER',
      buyerName: 'HUMBER TEACHING NHS FOUNDATION TRUST',
      // identifier.id "RV9" has no scheme; the party id is GB-FTS-185674.
      buyerOrg: 'name-humber-teaching-nhs-foundation-trust',
      buyerRegion: 'Yorkshire and the Humber',
      buyerRegionCode: 'UKE12',
      deliveryRegions: ['Yorkshire and the Humber'],
      cpvCodes: ['85323000'],
      sector: 'Health and social work services',
      valueMin: 248000,
      valueMax: 248000,
      currency: 'GBP',
      values: [
        { source: 'tender', amount: 248000, currency: 'GBP' },
        { source: 'lot', id: '1', amount: 248000, currency: 'GBP' },
      ],
      procurementMethod: 'selective',
      procurementMethodDetails: 'Restricted procedure',
      mainProcurementCategory: 'services',
      submissionMethods: ['written'],
      publishedDate: '2026-08-11T09:13:45.000Z',
      deadlineDate: '2026-08-26T22:59:59.000Z',
      deadlineKind: 'tender',
      // The lot's item is unclassified: the lot has no CPV codes.
      lots: [
        {
          id: '1',
          description: startsEnds(
            'The Safe Space service will provide support for young people experiencing acute emotional distress',
            'Additional information: The Provider must be ready to go-live on 1st December 2026.',
          ),
          status: 'active',
          value: 248000,
          currency: 'GBP',
        },
      ],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'name-humber-teaching-nhs-foundation-trust',
      name: 'HUMBER TEACHING NHS FOUNDATION TRUST',
      sector: 'Health and social work services',
      region: 'Yorkshire and the Humber',
      regionCode: 'UKE12',
      website: 'https://www.humber.nhs.uk/',
      contacts: [{ name: 'Phillip Simmons', email: 'phillip.simmons@nhs.net', telephone: '+44 1482301700' }],
      locality: 'Hull',
      postalCode: 'HU106ED',
    });
  });
});
