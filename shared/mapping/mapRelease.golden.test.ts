/**
 * Golden checks: each expected document was written by reading the raw JSON of the release in
 * test/fixtures/real/ by hand (not by running the mapper). Whole contracts and buyers are
 * compared with toEqual, so a field that should be absent and is present fails too. Long
 * descriptions are checked by their start and end.
 */
import { describe, expect, it } from 'vitest';
import { parseRelease } from '../ocds/releaseSchema.ts';
import { allRealReleases, realRelease } from '../../test/fixtures/realFixtures.ts';
import { SEARCH_FIELDS } from '../../test/fixtures/searchFields.ts';
import type { SourceName } from '../sources/sourceName.ts';
import { sources } from '../sources/sources.ts';
import { mapRelease } from './mapRelease.ts';
import { MAPPING_VERSION } from './mappingVersion.ts';
import type { MappedContract, MappedRelease } from './mappedRelease.ts';

const FTS_PAGE = 'fts-page-limit4-2026-10-06.json';
const FTS_NOTICE = 'fts-notice-032703-2026.json';
const CF_20 = 'cf-search-page-2022-10-20.json';
const CF_22 = 'cf-search-page-2022-10-22.json';

async function mapReal(file: string, source: SourceName, id: string): Promise<MappedRelease> {
  return mapValid(source, await realRelease(file, id));
}

function mapValid(source: SourceName, release: unknown): Promise<MappedRelease> {
  const parsed = parseRelease(release);
  if (!parsed.ok) throw new Error(parsed.reason);
  return mapRelease(sources[source], parsed.release, { storeRaw: 'off' });
}

/** The contract without the search fields, which mapFields.golden.test.ts checks. */
function withoutSearchFields(contract: MappedContract): Partial<MappedContract> {
  return Object.fromEntries(Object.entries(contract).filter(([key]) => !(SEARCH_FIELDS as readonly string[]).includes(key)));
}

/** The contract without its description (and the search fields), and the description's start. */
function split(mapped: MappedRelease): { rest: object; description: string | undefined } {
  const { description, ...rest } = withoutSearchFields(mapped.contract);
  return { rest, description };
}

describe('Find a Tender goldens', () => {
  it('094477-2026: UK6 award notice, tags award+contract, award pending with only amountGross', async () => {
    const mapped = await mapReal(FTS_PAGE, 'FIND_A_TENDER', '094477-2026');
    const { rest, description } = split(mapped);
    expect(description).toMatch(/^This is a revised version of the tender ETCP-2026-0038\./);
    expect(description).toMatch(/this tender is the revised version\.$/);
    expect(rest).toEqual({
      _id: 'FIND_A_TENDER:094477-2026',
      source: 'FIND_A_TENDER',
      noticeId: '094477-2026',
      releaseId: '094477-2026',
      ocid: 'ocds-h6vhtk-06e832',
      sourceUrl: 'https://www.find-tender.service.gov.uk/Notice/094477-2026',
      title: 'Unified Communications and Mobile Services - Revised',
      status: 'AWARDED',
      stage: 'AWARD',
      noticeType: 'UK6',
      buyerName: 'The Education Training Collective',
      buyerOrg: 'GB-UKPRN-10006341',
      buyerRegion: 'North East',
      buyerRegionCode: 'UKC11',
      // Only the award's item is classified.
      cpvCodes: ['64200000'],
      sector: 'Postal and telecommunications services',
      valueMin: 256378.74,
      valueMax: 256378.74,
      currency: 'GBP',
      publishedDate: '2026-10-06T17:31:55.000Z',
      releaseDate: '2026-10-06T17:31:55.000Z',
      releaseOrder: '2026-10-06T17:31:55.000Z#000000000000',
      mappingVersion: MAPPING_VERSION,
      // description: null on the lot is left out; no tenderPeriod, so no deadline.
      lots: [{ id: '1', status: 'complete' }],
      awards: [
        {
          id: '1',
          status: 'pending',
          date: '2026-10-05T23:00:00.000Z',
          value: 256378.74,
          currency: 'GBP',
          valueIncludesVat: true,
          relatedLots: ['1'],
          suppliers: [{ id: 'GB-PPON-PVHJ-9851-QPYJ', name: 'Chess ICT' }],
        },
      ],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-UKPRN-10006341',
      name: 'The Education Training Collective',
      sector: 'Postal and telecommunications services',
      region: 'North East',
      regionCode: 'UKC11',
      website: 'http://www.the-etc.ac.uk',
      // The capturer replaced name, email and telephone by REDACTED.
      contacts: [],
      locality: 'Thornaby',
      postalCode: 'TS176FB',
    });
  });

  it('094476-2026: UK4 tender notice, GBP tender with an AED lot', async () => {
    const mapped = await mapReal(FTS_PAGE, 'FIND_A_TENDER', '094476-2026');
    const { rest, description } = split(mapped);
    expect(description).toMatch(/^Central Bedfordshire Council is seeking to appoint/);
    expect(description).toMatch(/Questionnaire responses: Monday 2 November 2026 at 12:00 noon\.$/);
    expect(rest).toEqual({
      _id: 'FIND_A_TENDER:094476-2026',
      source: 'FIND_A_TENDER',
      noticeId: '094476-2026',
      releaseId: '094476-2026',
      ocid: 'ocds-h6vhtk-078219',
      sourceUrl: 'https://www.find-tender.service.gov.uk/Notice/094476-2026',
      title: 'Competitive Flexible Procedure (CFP)  Aldbanks Supported Living  CBC-2074-CFP-SK',
      status: 'OPEN',
      stage: 'TENDER',
      noticeType: 'UK4',
      buyerName: 'Central Bedfordshire Council',
      buyerOrg: 'GB-PPON-PVNH-1137-QJBX',
      buyerRegion: 'East of England',
      buyerRegionCode: 'UKH25',
      cpvCodes: ['85311000'],
      sector: 'Health and social work services',
      valueMin: 2772000,
      valueMax: 2772000,
      currency: 'GBP',
      publishedDate: '2026-10-06T16:59:32.000Z',
      deadlineDate: '2026-11-05T12:00:00.000Z',
      deadlineKind: 'tender',
      releaseDate: '2026-10-06T16:59:32.000Z',
      releaseOrder: '2026-10-06T16:59:32.000Z#000000000000',
      mappingVersion: MAPPING_VERSION,
      // The lot's CPV (its related item's) is the contract's: not stored twice. Its "AED" only repeats
      // the GBP tender's amounts under the form's default currency (lotCurrency.ts): GBP.
      lots: [{ id: '1', status: 'active', value: 2772000, currency: 'GBP' }],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-PPON-PVNH-1137-QJBX',
      name: 'Central Bedfordshire Council',
      sector: 'Health and social work services',
      region: 'East of England',
      regionCode: 'UKH25',
      website: 'https://in-tendhost.co.uk/centralbedfordshire/aspx/Home',
      // Name, email and telephone REDACTED by the capturer.
      contacts: [],
      locality: 'Shefford',
      postalCode: 'SG17 5TQ',
    });
  });

  it('094475-2026: stray buyerID [], award active with amount and amountGross', async () => {
    const mapped = await mapReal(FTS_PAGE, 'FIND_A_TENDER', '094475-2026');
    expect(withoutSearchFields(mapped.contract)).toEqual({
      _id: 'FIND_A_TENDER:094475-2026',
      source: 'FIND_A_TENDER',
      noticeId: '094475-2026',
      releaseId: '094475-2026',
      ocid: 'ocds-h6vhtk-078217',
      sourceUrl: 'https://www.find-tender.service.gov.uk/Notice/094475-2026',
      title: 'eSourcing Tendering Platform',
      // Short enough to compare whole: trimmed at the ends only, the inner ` \n•` kept.
      description:
        'eSourcing Tendering Platform providing:\n• Unlimited number of Notices, Tenders, RFQ, RFI and SQs through Tender Manager \n• Unlimited number of Contract Records, Documents \n• Supplier Manager Search and Supplier lists',
      status: 'AWARDED',
      stage: 'AWARD',
      noticeType: 'UK6',
      buyerName: "Durham Aged Mineworkers' Homes Association",
      buyerOrg: 'GB-PPON-PTPB-8137-MYRX',
      buyerRegion: 'North East',
      buyerRegionCode: 'UKC14',
      cpvCodes: ['72000000'],
      sector: 'IT services',
      // The award's `amount`; its amountGross (38058) is not a second value.
      valueMin: 31715,
      valueMax: 31715,
      currency: 'GBP',
      publishedDate: '2026-10-06T16:48:47.000Z',
      releaseDate: '2026-10-06T16:48:47.000Z',
      releaseOrder: '2026-10-06T16:48:47.000Z#000000000000',
      mappingVersion: MAPPING_VERSION,
      // No tenderPeriod: no deadline.
      lots: [{ id: '1', status: 'complete' }],
      awards: [
        {
          id: '1',
          status: 'active',
          date: '2026-10-05T23:00:00.000Z',
          value: 31715,
          currency: 'GBP',
          relatedLots: ['1'],
          suppliers: [{ id: 'GB-PPON-PBTM-5917-ZXVM', name: 'BiP Solutions Ltd' }],
        },
      ],
    });
    // Neither details.url nor contactPoint.url: no website; every contact value REDACTED.
    expect(mapped.buyer).toEqual({
      orgId: 'GB-PPON-PTPB-8137-MYRX',
      name: "Durham Aged Mineworkers' Homes Association",
      sector: 'IT services',
      region: 'North East',
      regionCode: 'UKC14',
      contacts: [],
      locality: 'Chester-le-Street',
      postalCode: 'DH3 3YH',
    });
  });

  it('094474-2026: UK6, supplier identified by GB-COH', async () => {
    const mapped = await mapReal(FTS_PAGE, 'FIND_A_TENDER', '094474-2026');
    const { rest, description } = split(mapped);
    expect(description).toMatch(/^for the delivery of Mentoring in Education within Nottingham City and Nottinghamshire County\.\nThe programme/);
    expect(description).toMatch(/providing wider support to families\.$/);
    expect(rest).toEqual({
      _id: 'FIND_A_TENDER:094474-2026',
      source: 'FIND_A_TENDER',
      noticeId: '094474-2026',
      releaseId: '094474-2026',
      ocid: 'ocds-h6vhtk-06d285',
      sourceUrl: 'https://www.find-tender.service.gov.uk/Notice/094474-2026',
      title: 'Mentoring in Education',
      status: 'AWARDED',
      stage: 'AWARD',
      noticeType: 'UK6',
      buyerName: 'The Police and Crime Commissioner for Nottinghamshire',
      buyerOrg: 'GB-PPON-PGLQ-4189-YYPY',
      buyerRegion: 'East Midlands',
      buyerRegionCode: 'UKF16',
      cpvCodes: ['85300000'],
      sector: 'Health and social work services',
      valueMin: 211232,
      valueMax: 211232,
      currency: 'GBP',
      publishedDate: '2026-10-06T16:47:27.000Z',
      releaseDate: '2026-10-06T16:47:27.000Z',
      releaseOrder: '2026-10-06T16:47:27.000Z#000000000000',
      mappingVersion: MAPPING_VERSION,
      lots: [{ id: '1', status: 'complete' }],
      awards: [
        {
          id: '1',
          status: 'active',
          date: '2026-10-05T23:00:00.000Z',
          value: 211232,
          currency: 'GBP',
          relatedLots: ['1'],
          suppliers: [{ id: 'GB-COH-08522643', name: 'SWITCH UP C.I.C.' }],
        },
      ],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-PPON-PGLQ-4189-YYPY',
      name: 'The Police and Crime Commissioner for Nottinghamshire',
      sector: 'Health and social work services',
      region: 'East Midlands',
      regionCode: 'UKF16',
      contacts: [],
      locality: 'Nottingham',
      postalCode: 'NG5 8PP',
    });
  });

  it('032703-2026: single notice, two item CPVs, real contact point', async () => {
    const mapped = await mapReal(FTS_NOTICE, 'FIND_A_TENDER', '032703-2026');
    const { rest, description } = split(mapped);
    expect(description).toMatch(/^It is the intention of Harrogate Town Council/);
    expect(description).toMatch(/£33,721 \(excluding VAT\)\.$/);
    expect(rest).toEqual({
      _id: 'FIND_A_TENDER:032703-2026',
      source: 'FIND_A_TENDER',
      noticeId: '032703-2026',
      releaseId: '032703-2026',
      ocid: 'ocds-h6vhtk-067fb8',
      sourceUrl: 'https://www.find-tender.service.gov.uk/Notice/032703-2026',
      title: 'HARROGATE TOWN DISTRICT HEATING PROJECT - Feasibility Study',
      status: 'OPEN',
      stage: 'TENDER',
      noticeType: 'UK4',
      buyerName: 'Harrogate Town Council',
      buyerOrg: 'GB-PPON-PDTL-7248-GWZW',
      buyerRegion: 'Yorkshire and the Humber',
      buyerRegionCode: 'UKE22',
      cpvCodes: ['09323000', '79314000'],
      sector: 'Petroleum, fuel, electricity and energy',
      valueMin: 33721,
      valueMax: 33721,
      currency: 'GBP',
      publishedDate: '2026-04-10T09:50:13.000Z',
      deadlineDate: '2026-05-08T22:59:59.000Z',
      deadlineKind: 'tender',
      releaseDate: '2026-04-10T09:50:13.000Z',
      releaseOrder: '2026-04-10T09:50:13.000Z#000000000000',
      mappingVersion: MAPPING_VERSION,
      lots: [{ id: '1', status: 'active', value: 33721, currency: 'GBP' }],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-PPON-PDTL-7248-GWZW',
      name: 'Harrogate Town Council',
      sector: 'Petroleum, fuel, electricity and energy',
      region: 'Yorkshire and the Humber',
      regionCode: 'UKE22',
      website: 'https://harrogatetowncouncil.gov.uk/',
      contacts: [
        { name: 'Mrs Iona Taylor', email: 'tenders@harrogatetowncouncil.gov.uk', telephone: '01423 642542' },
      ],
      locality: 'Harrogate',
      postalCode: 'HG1 5LT',
    });
  });
});

describe('Contracts Finder goldens', () => {
  it('awardUpdate (7d005747…): the awarded value, not the tender range', async () => {
    const mapped = await mapReal(CF_20, 'CONTRACTS_FINDER', '7d005747-1320-456e-b1fb-79919a74e44f-582356');
    expect(withoutSearchFields(mapped.contract)).toEqual({
      _id: 'CONTRACTS_FINDER:7d005747-1320-456e-b1fb-79919a74e44f',
      source: 'CONTRACTS_FINDER',
      noticeId: '7d005747-1320-456e-b1fb-79919a74e44f',
      releaseId: '7d005747-1320-456e-b1fb-79919a74e44f-582356',
      ocid: 'ocds-b5fd17-7d067852-1260-448e-b84a-186d028f9991',
      sourceUrl: 'https://www.contractsfinder.service.gov.uk/Notice/7d005747-1320-456e-b1fb-79919a74e44f',
      title: 'CON-00000309: Peakon ApS Staff survey services',
      description: 'The G-Cloud Call-off contract was awarded to one supplier',
      status: 'AWARDED',
      stage: 'AWARD',
      noticeType: 'awardUpdate',
      buyerName: 'NURSING AND MIDWIFERY COUNCIL',
      buyerOrg: 'GB-SRS-sid4gov.cabinetoffice.gov.uk/FxGd77hQ',
      // The buyer's postcode W1B 1PZ.
      buyerRegion: 'London',
      cpvCodes: ['48000000'],
      sector: 'Software and information systems',
      // The award ranks before tender.value and minValue (36,254.40–145,017.80).
      valueMin: 72508.8,
      valueMax: 72508.8,
      currency: 'GBP',
      // The award notice document's date (2020), not the update's release date (2022).
      publishedDate: '2020-11-10T11:04:19.000Z',
      deadlineDate: '2020-10-16T22:59:59.000Z',
      deadlineKind: 'tender',
      releaseDate: '2022-10-20T08:42:13.000Z',
      releaseOrder: '2022-10-20T08:42:13.000Z#000000582356',
      mappingVersion: MAPPING_VERSION,
      awards: [
        {
          id: 'ocds-b5fd17-7d067852-1260-448e-b84a-186d028f9991-1',
          status: 'active',
          date: '2020-10-15T23:00:00.000Z',
          value: 72508.8,
          currency: 'GBP',
          suppliers: [{ id: 'GB-CFS-154774', name: 'Peakon ApS' }],
        },
      ],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-SRS-sid4gov.cabinetoffice.gov.uk/FxGd77hQ',
      name: 'NURSING AND MIDWIFERY COUNCIL',
      sector: 'Software and information systems',
      region: 'London',
      contacts: [{ name: 'Tanya Kalina', email: 'tanya.kalina@nmc-uk.org', telephone: '07811267195' }],
      locality: 'LONDON',
      postalCode: 'W1B1PZ',
    });
  });

  it('tender (552c8041…): GB-CFS buyer keyed by name slug, two CPVs', async () => {
    const mapped = await mapReal(CF_20, 'CONTRACTS_FINDER', '552c8041-de65-46f7-a75b-9f5594b99753-582354');
    const { rest, description } = split(mapped);
    expect(description).toMatch(/^The London Borough of Hounslow requires an experienced Public Sector consultant/);
    expect(description).toMatch(/please refer to the specification contained within the request for quote document$/);
    expect(rest).toEqual({
      _id: 'CONTRACTS_FINDER:552c8041-de65-46f7-a75b-9f5594b99753',
      source: 'CONTRACTS_FINDER',
      noticeId: '552c8041-de65-46f7-a75b-9f5594b99753',
      releaseId: '552c8041-de65-46f7-a75b-9f5594b99753-582354',
      ocid: 'ocds-b5fd17-6cc1fffd-3481-4b95-b724-adf1be3dd1a8',
      sourceUrl: 'https://www.contractsfinder.service.gov.uk/Notice/552c8041-de65-46f7-a75b-9f5594b99753',
      title: 'Special Educational Needs and Disabilities (SEND) Employment Pathways',
      status: 'OPEN',
      stage: 'TENDER',
      noticeType: 'tender',
      buyerName: 'London Borough of Hounslow',
      buyerOrg: 'name-london-borough-of-hounslow',
      // TW3 3EB; the delivery location "England" is no buyer region.
      buyerRegion: 'London',
      cpvCodes: ['73000000', '79000000'],
      sector: 'Research and development services',
      valueMin: 30000,
      valueMax: 30000,
      currency: 'GBP',
      publishedDate: '2022-10-20T08:39:52.000Z',
      deadlineDate: '2022-11-17T23:59:59.000Z',
      deadlineKind: 'tender',
      releaseDate: '2022-10-20T08:39:52.000Z',
      releaseOrder: '2022-10-20T08:39:52.000Z#000000582354',
      mappingVersion: MAPPING_VERSION,
    });
    expect(mapped.buyer).toEqual({
      orgId: 'name-london-borough-of-hounslow',
      name: 'London Borough of Hounslow',
      sector: 'Research and development services',
      region: 'London',
      website: 'http://www.hounslow.gov.uk/',
      contacts: [{ email: 'tracey.williams@hounslow.gov.uk' }],
      locality: 'London',
      postalCode: 'TW3 3EB',
    });
  });

  it('tenderAmendment (21c21591…): published is the original notice date, release date the amendment', async () => {
    const mapped = await mapReal(CF_20, 'CONTRACTS_FINDER', '21c21591-9f65-4468-a4f4-a187ecc0411e-582355');
    const { rest, description } = split(mapped);
    expect(description).toMatch(/^When looking at the various nutrient inputs to lakes, bird faeces are often cited/);
    expect(description).toMatch(/to enable the project to be delivered by end of March 2023\.$/);
    // No awards, no lots: the fields are left out.
    expect(rest).toEqual({
      _id: 'CONTRACTS_FINDER:21c21591-9f65-4468-a4f4-a187ecc0411e',
      source: 'CONTRACTS_FINDER',
      noticeId: '21c21591-9f65-4468-a4f4-a187ecc0411e',
      releaseId: '21c21591-9f65-4468-a4f4-a187ecc0411e-582355',
      ocid: 'ocds-b5fd17-81c29e70-03bd-443f-89b9-893b5558fd4c',
      sourceUrl: 'https://www.contractsfinder.service.gov.uk/Notice/21c21591-9f65-4468-a4f4-a187ecc0411e',
      title: 'Assessing nutrient impacts on lakes from birds',
      status: 'OPEN',
      stage: 'TENDER',
      noticeType: 'tenderAmendment',
      buyerName: 'Natural England',
      buyerOrg: 'GB-SRS-sid4gov.cabinetoffice.gov.uk/hWvd872d',
      // BN11 1LD (Worthing), not the delivery location "England".
      buyerRegion: 'South East',
      cpvCodes: ['73210000'],
      sector: 'Research and development services',
      valueMin: 5000,
      valueMax: 24999,
      currency: 'GBP',
      publishedDate: '2022-10-05T14:34:44.000Z',
      deadlineDate: '2022-11-04T23:59:59.000Z',
      deadlineKind: 'tender',
      releaseDate: '2022-10-20T08:41:36.000Z',
      releaseOrder: '2022-10-20T08:41:36.000Z#000000582355',
      mappingVersion: MAPPING_VERSION,
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-SRS-sid4gov.cabinetoffice.gov.uk/hWvd872d',
      name: 'Natural England',
      sector: 'Research and development services',
      region: 'South East',
      contacts: [{ name: 'Glen Cooper', email: 'glen.cooper@naturalengland.org.uk', telephone: '+447789050916' }],
      locality: 'Worthing',
      // As published, double space included.
      postalCode: 'BN11  1LD',
    });
  });

  it('planning (c80defc1…): early engagement notice, no value, no deadline', async () => {
    const mapped = await mapReal(CF_20, 'CONTRACTS_FINDER', 'c80defc1-9081-4b74-a5b1-d85535d22a12-582109');
    const { rest, description } = split(mapped);
    expect(description).toMatch(/^\*\* THIS ADVERT IS FOR A MARKET ENGAGEMENT EVENT \*\*\r\n\r\nNHS Derby & Derbyshire Integrated Care Board/);
    expect(description).toMatch(/after which the access details will then be shared\.$/);
    expect(rest).toEqual({
      _id: 'CONTRACTS_FINDER:c80defc1-9081-4b74-a5b1-d85535d22a12',
      source: 'CONTRACTS_FINDER',
      noticeId: 'c80defc1-9081-4b74-a5b1-d85535d22a12',
      releaseId: 'c80defc1-9081-4b74-a5b1-d85535d22a12-582109',
      ocid: 'ocds-b5fd17-04448330-49ca-432b-96b7-b9cfbed6d27b',
      sourceUrl: 'https://www.contractsfinder.service.gov.uk/Notice/c80defc1-9081-4b74-a5b1-d85535d22a12',
      title: 'Market Engagement Event: Safe Haven and Crisis Beds Services for NHS Derby & Derbyshire ICB',
      status: 'OPEN',
      stage: 'PLANNING',
      noticeType: 'planning',
      buyerName: 'NHS Arden and GEM CSU',
      buyerOrg: 'GB-SRS-sid4gov.cabinetoffice.gov.uk/Ways69eB',
      // DE1 3QT.
      buyerRegion: 'East Midlands',
      cpvCodes: ['85100000'],
      sector: 'Health and social work services',
      // From planning.documents: the notice's own document.
      publishedDate: '2022-10-19T17:36:35.000Z',
      releaseDate: '2022-10-19T17:36:35.000Z',
      releaseOrder: '2022-10-19T17:36:35.000Z#000000582109',
      mappingVersion: MAPPING_VERSION,
    });
    expect(mapped.buyer).toEqual({
      orgId: 'GB-SRS-sid4gov.cabinetoffice.gov.uk/Ways69eB',
      name: 'NHS Arden and GEM CSU',
      sector: 'Health and social work services',
      region: 'East Midlands',
      contacts: [{ name: 'Tom Greenwood', email: 'thomas.Greenwood2@nhs.net' }],
      locality: 'Derby',
      postalCode: 'DE13QT',
    });
  });

  it('award (97e3ebe6…): value only on the award, buyer region from its postcode', async () => {
    const mapped = await mapReal(CF_20, 'CONTRACTS_FINDER', '97e3ebe6-fac5-49c8-90cb-461e530a3505-582357');
    const { rest, description } = split(mapped);
    expect(description).toMatch(/^The Council wishes to establish a contract for building improvements works at the Dolphin Centre, Ward End Park\./);
    expect(description).toMatch(/has awarded £1\.9 billion in three rounds of Growth Deals\.$/);
    expect(rest).toEqual({
      _id: 'CONTRACTS_FINDER:97e3ebe6-fac5-49c8-90cb-461e530a3505',
      source: 'CONTRACTS_FINDER',
      noticeId: '97e3ebe6-fac5-49c8-90cb-461e530a3505',
      releaseId: '97e3ebe6-fac5-49c8-90cb-461e530a3505-582357',
      ocid: 'ocds-b5fd17-8af6ed71-be4a-4cf4-bb4b-bbb35e04cbfa',
      sourceUrl: 'https://www.contractsfinder.service.gov.uk/Notice/97e3ebe6-fac5-49c8-90cb-461e530a3505',
      title: 'P0917 DOLPHIN CENTRE BUILDING IMPROVEMENT WORKS - AWARD',
      status: 'AWARDED',
      stage: 'AWARD',
      noticeType: 'award',
      buyerName: 'Birmingham City Council',
      // GB-CFS-43899 is CF's own record number, not a stable key: the name slug.
      buyerOrg: 'name-birmingham-city-council',
      // B4 7DJ. No code.
      buyerRegion: 'West Midlands',
      cpvCodes: ['71315000', '45112712', '45112700', '45210000', '45212000', '45211350'],
      sector: 'Architectural, engineering and inspection services',
      valueMin: 1875000,
      valueMax: 1875000,
      currency: 'GBP',
      publishedDate: '2022-10-20T08:41:49.000Z',
      deadlineDate: '2022-05-20T22:59:59.000Z',
      deadlineKind: 'tender',
      releaseDate: '2022-10-20T08:41:49.000Z',
      releaseOrder: '2022-10-20T08:41:49.000Z#000000582357',
      mappingVersion: MAPPING_VERSION,
      awards: [
        {
          id: 'ocds-b5fd17-8af6ed71-be4a-4cf4-bb4b-bbb35e04cbfa-1',
          status: 'active',
          date: '2022-06-27T23:00:00.000Z',
          value: 1875000,
          currency: 'GBP',
          suppliers: [{ id: 'GB-CFS-224746', name: 'Building Services NOW' }],
        },
      ],
    });
    // The buyer's region is its own address's: from its postcode.
    expect(mapped.buyer).toEqual({
      orgId: 'name-birmingham-city-council',
      name: 'Birmingham City Council',
      sector: 'Architectural, engineering and inspection services',
      region: 'West Midlands',
      contacts: [{ name: 'Tina Nandra', email: 'Tina.K.Nandra@birmingham.gov.uk', telephone: '0121 303 0020' }],
      locality: 'West Midlands',
      postalCode: 'B4 7DJ',
    });
  });

  it('award (4d908a59…): minValue above value, buyer region from the postcode alone', async () => {
    const mapped = await mapReal(CF_20, 'CONTRACTS_FINDER', '4d908a59-c92e-437f-acde-95cbac21bf35-582281');
    expect(withoutSearchFields(mapped.contract)).toEqual({
      _id: 'CONTRACTS_FINDER:4d908a59-c92e-437f-acde-95cbac21bf35',
      source: 'CONTRACTS_FINDER',
      noticeId: '4d908a59-c92e-437f-acde-95cbac21bf35',
      releaseId: '4d908a59-c92e-437f-acde-95cbac21bf35-582281',
      ocid: 'ocds-b5fd17-352f706f-6522-4ebf-8df1-34f9a0a15a19',
      sourceUrl: 'https://www.contractsfinder.service.gov.uk/Notice/4d908a59-c92e-437f-acde-95cbac21bf35',
      title: 'Offsite Storage of Liquid Nitrogen Vessels',
      description: 'Offsite Storage of Liquid Nitrogen Vessels',
      status: 'AWARDED',
      stage: 'AWARD',
      noticeType: 'award',
      buyerName: 'NHS Blood and Transplant',
      buyerOrg: 'name-nhs-blood-and-transplant',
      // No region anywhere in the addresses; the buyer's postcode BS34 7QH.
      buyerRegion: 'South West',
      cpvCodes: ['63726300'],
      sector: 'Supporting transport services and travel agencies',
      // The award's 600,000 ranks before tender.value 500,000 and tender.minValue 600,000.
      valueMin: 600000,
      valueMax: 600000,
      currency: 'GBP',
      publishedDate: '2022-10-19T16:08:12.000Z',
      deadlineDate: '2022-06-10T22:59:59.000Z',
      deadlineKind: 'tender',
      releaseDate: '2022-10-19T16:08:12.000Z',
      releaseOrder: '2022-10-19T16:08:12.000Z#000000582281',
      mappingVersion: MAPPING_VERSION,
      awards: [
        {
          id: 'ocds-b5fd17-352f706f-6522-4ebf-8df1-34f9a0a15a19-1',
          status: 'active',
          date: '2022-10-13T23:00:00.000Z',
          value: 600000,
          currency: 'GBP',
          suppliers: [{ id: 'GB-CFS-224737', name: 'Biodock Biobank' }],
        },
      ],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'name-nhs-blood-and-transplant',
      name: 'NHS Blood and Transplant',
      sector: 'Supporting transport services and travel agencies',
      region: 'South West',
      contacts: [{ name: 'Jo Murphy', email: 'jo.murphy@nhsbt.nhs.uk', telephone: '01179212718' }],
      locality: 'Filton, Bristol',
      postalCode: 'BS34 7QH',
    });
  });

  it('award (66f22ef7…): published is the award notice date, not the earlier tender.datePublished', async () => {
    const mapped = await mapReal(CF_22, 'CONTRACTS_FINDER', '66f22ef7-3591-4a40-8e36-e9f572b7253d-583108');
    const { rest, description } = split(mapped);
    // Narrow no-break spaces (U+202F) between some words, as published.
    expect(description).toMatch(/^The Department for Business,\u202fEnergy,\u202fand Industrial Strategy \(BEIS\);\u202fOffice for Product Safety and Standards \(OPSS\)/);
    expect(description).toMatch(/which considers the recognised state of the art\.$/);
    expect(rest).toEqual({
      _id: 'CONTRACTS_FINDER:66f22ef7-3591-4a40-8e36-e9f572b7253d',
      source: 'CONTRACTS_FINDER',
      noticeId: '66f22ef7-3591-4a40-8e36-e9f572b7253d',
      releaseId: '66f22ef7-3591-4a40-8e36-e9f572b7253d-583108',
      ocid: 'ocds-b5fd17-5e1b17dc-8804-4903-8f1d-6f0474fd1310',
      sourceUrl: 'https://www.contractsfinder.service.gov.uk/Notice/66f22ef7-3591-4a40-8e36-e9f572b7253d',
      title: 'Office for Product Safety and Standards- Testing of up to 100 Battery Chargers',
      status: 'AWARDED',
      stage: 'AWARD',
      noticeType: 'award',
      buyerName: 'Department for Business, Energy & Industrial Strategy',
      buyerOrg: 'name-department-for-business-energy-and-industrial-strategy',
      // SW1H 0ET; the delivery addresses name countries only.
      buyerRegion: 'London',
      cpvCodes: ['71600000'],
      sector: 'Architectural, engineering and inspection services',
      valueMin: 78750,
      valueMax: 78750,
      currency: 'GBP',
      publishedDate: '2022-10-21T15:25:34.000Z',
      deadlineDate: '2022-09-02T22:59:59.000Z',
      deadlineKind: 'tender',
      releaseDate: '2022-10-21T15:25:34.000Z',
      releaseOrder: '2022-10-21T15:25:34.000Z#000000583108',
      mappingVersion: MAPPING_VERSION,
      awards: [
        {
          id: 'ocds-b5fd17-5e1b17dc-8804-4903-8f1d-6f0474fd1310-1',
          status: 'active',
          date: '2022-09-19T23:00:00.000Z',
          value: 78750,
          currency: 'GBP',
          suppliers: [{ id: 'GB-COH-1193985', name: 'SGS United Kingdom Ltd' }],
        },
      ],
    });
    expect(mapped.buyer).toEqual({
      orgId: 'name-department-for-business-energy-and-industrial-strategy',
      name: 'Department for Business, Energy & Industrial Strategy',
      sector: 'Architectural, engineering and inspection services',
      region: 'London',
      contacts: [{ email: 'cara.jenkins@beis.gov.uk' }],
      locality: 'London',
      postalCode: 'SW1H 0ET',
    });
  });
});

describe('notice identity over every real release', async () => {
  const all = await allRealReleases();
  const mapped = await Promise.all(all.map(({ source, release }) => mapValid(source, release)));
  // The two 2022 pages, whose notices and versions were counted by hand.
  const pages2022 = all.map(({ file }, i) => ({ file, contract: mapped[i]!.contract })).filter(({ file }) => file === CF_20 || file === CF_22);
  const cf = pages2022.map(({ contract }) => contract);
  const versionsOf = new Map<string, MappedContract[]>();
  for (const c of cf) versionsOf.set(c._id, [...(versionsOf.get(c._id) ?? []), c]);

  it('maps each CF release to its notice, the GUID before the counter: the 2022 pages\' 200 releases are 182 notices', () => {
    for (const c of mapped.map((m) => m.contract).filter((c) => c.source === 'CONTRACTS_FINDER')) {
      expect(c.releaseId).toBe(`${c.noticeId}-${c.releaseOrder.slice(-6)}`);
      expect(c._id).toBe(`CONTRACTS_FINDER:${c.noticeId}`);
      expect(c.sourceUrl).toBe(`https://www.contractsfinder.service.gov.uk/Notice/${c.noticeId}`);
    }
    expect(cf).toHaveLength(200);
    expect(versionsOf.size).toBe(182);
  });

  it('gives the 14 CF notices with 2–3 versions one noticeId, one ocid, and versions ordered by date and counter alike', () => {
    const several = [...versionsOf.values()].filter((versions) => versions.length > 1);
    expect(several.map((versions) => versions.length).sort()).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3]);
    for (const versions of several) {
      expect(new Set(versions.map((c) => c.ocid)).size).toBe(1);
      expect(new Set(versions.map((c) => c.releaseOrder)).size).toBe(versions.length);
      const byOrder = [...versions].sort((a, b) => a.releaseOrder.localeCompare(b.releaseOrder)).map((c) => c.releaseId);
      const byCounter = [...versions].sort((a, b) => a.releaseId.localeCompare(b.releaseId)).map((c) => c.releaseId);
      expect(byOrder).toEqual(byCounter);
    }
  });

  it('b5796912…: its two versions are one notice; the newer (582334) orders after the older (582322) and carries the new title and value', () => {
    const [newer, older] = ['b5796912-1ffd-446f-abb4-82cc5e7654b3-582334', 'b5796912-1ffd-446f-abb4-82cc5e7654b3-582322'].map((id) => cf.find((c) => c.releaseId === id)!);
    expect(newer).toMatchObject({ _id: 'CONTRACTS_FINDER:b5796912-1ffd-446f-abb4-82cc5e7654b3', title: 'ITT for projects 10042837, 10045189, 10044843', valueMin: 4050, valueMax: 4050 });
    expect(older).toMatchObject({ _id: 'CONTRACTS_FINDER:b5796912-1ffd-446f-abb4-82cc5e7654b3', title: 'ITT for project 10042837', valueMin: 1350, valueMax: 1350 });
    expect(newer.releaseOrder > older.releaseOrder).toBe(true);
  });

  it('keeps an FTS notice id as it is: one release per notice, counter 0', () => {
    const fts = mapped.filter((m) => m.contract.source === 'FIND_A_TENDER').map((m) => m.contract);
    expect(new Set(fts.map((c) => c.noticeId)).size).toBeGreaterThan(1_600);
    for (const c of fts) expect(c).toMatchObject({ releaseId: c.noticeId, releaseOrder: `${c.releaseDate}#000000000000` });
  });
});
