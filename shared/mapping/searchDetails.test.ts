import { describe, expect, it } from 'vitest';
import type { Release } from '../ocds/releaseSchema.ts';
import { documentsOf, submissionOf } from './documentLinks.ts';
import { contractPeriodOf, enquiryPeriodOf } from './periods.ts';
import { procurementMethodOf } from './procurementMethod.ts';
import { relatedNoticesOf } from './relatedNotices.ts';
import { suitabilityOf } from './suitability.ts';

const base = { id: 'x', ocid: 'o', date: '2026-01-01T00:00:00Z' };
const r = (rest: Partial<Release>): Release => ({ ...base, ...rest });

describe('suitabilityOf: the tender’s, else any lot’s', () => {
  it.each<[string, Release, object]>([
    ['CF tender', r({ tender: { suitability: { sme: true, vcse: false } } }), { suitableForSme: true, suitableForVcse: false }],
    ['lots: suitable when any lot is', r({ tender: { lots: [{ suitability: { sme: false } }, { suitability: { sme: true, vcse: false } }] } }), { suitableForSme: true, suitableForVcse: false }],
    ['the tender wins over its lots', r({ tender: { suitability: { sme: false }, lots: [{ suitability: { sme: true } }] } }), { suitableForSme: false }],
    ['nobody says', r({ tender: { lots: [{}] } }), {}],
  ])('%s', (_, release, expected) => {
    expect(suitabilityOf(release)).toEqual(expected);
  });
});

describe('procurementMethodOf', () => {
  it.each<[string, Release, object]>([
    ['tender', r({ tender: { procurementMethod: 'open', procurementMethodDetails: 'Open procedure', mainProcurementCategory: 'works' } }), { procurementMethod: 'open', procurementMethodDetails: 'Open procedure', mainProcurementCategory: 'works' }],
    ['category from the award (FTS award notices)', r({ tender: { procurementMethod: 'direct' }, awards: [{}, { mainProcurementCategory: 'services' }] }), { procurementMethod: 'direct', mainProcurementCategory: 'services' }],
    ['none', r({}), {}],
  ])('%s', (_, release, expected) => {
    expect(procurementMethodOf(release)).toEqual(expected);
  });
});

describe('contractPeriodOf and enquiryPeriodOf', () => {
  const period = { startDate: '2026-05-14T00:00:00+01:00', endDate: 'not a date' };
  it.each<[string, Release, object | undefined]>([
    ['the tender’s, unparseable dates left out', r({ tender: { contractPeriod: period, lots: [{ contractPeriod: { startDate: '2030-01-01' } }] } }), { startDate: '2026-05-13T23:00:00.000Z' }],
    ['else the first lot’s', r({ tender: { lots: [{}, { contractPeriod: { endDate: '2030-10-31T23:59:59+00:00', maxExtentDate: '2034-10-31T23:59:59+00:00' } }] } }), { endDate: '2030-10-31T23:59:59.000Z', maxExtentDate: '2034-10-31T23:59:59.000Z' }],
    ['else the first award’s', r({ awards: [{ contractPeriod: { startDate: '2026-11-01T00:00:00Z' } }] }), { startDate: '2026-11-01T00:00:00.000Z' }],
    ['else the signed contract’s period', r({ contracts: [{ period: { endDate: '2027-01-01T00:00:00Z' } }] }), { endDate: '2027-01-01T00:00:00.000Z' }],
    ['none', r({ tender: { contractPeriod: { endDate: 'soon' } } }), undefined],
  ])('contract period: %s', (_, release, expected) => {
    expect(contractPeriodOf(release)).toEqual(expected);
  });

  it('enquiry period: the tender’s', () => {
    expect(enquiryPeriodOf(r({ tender: { enquiryPeriod: { endDate: '2026-10-26T17:00:00+00:00' } } }))).toEqual({ endDate: '2026-10-26T17:00:00.000Z' });
    expect(enquiryPeriodOf(r({}))).toBeUndefined();
  });
});

describe('documentsOf and submissionOf', () => {
  it('documents with an address, once each, titled by title else description', () => {
    const release = r({
      planning: { documents: [{ id: '1', description: 'Early engagement', url: 'https://a/1' }] },
      tender: { documents: [{ id: 'c', documentType: 'conflictOfInterest' }, { id: '2', documentType: 'tenderNotice', title: 'Notice', description: 'd', url: 'https://a/2' }] },
      awards: [{ documents: [{ id: '3', url: 'https://a/1' }] }],
    });
    expect(documentsOf(release)).toEqual([
      { url: 'https://a/1', id: '1', title: 'Early engagement' },
      { url: 'https://a/2', id: '2', type: 'tenderNotice', title: 'Notice' },
    ]);
  });

  it.each<[string, Release, object]>([
    ['a web address', r({ tender: { submissionMethod: ['electronicSubmission'], submissionMethodDetails: 'https://supplier.in-tend.co.uk/x/home' } }), { submissionMethods: ['electronicSubmission'], submissionUrl: 'https://supplier.in-tend.co.uk/x/home' }],
    ['an e-mail address is details, not a link', r({ tender: { submissionMethodDetails: 'tenders@harrogatetowncouncil.gov.uk' } }), { submissionDetails: 'tenders@harrogatetowncouncil.gov.uk' }],
    ['none', r({}), {}],
  ])('submission: %s', (_, release, expected) => {
    expect(submissionOf(release)).toEqual(expected);
  });
});

describe('relatedNoticesOf: links to the other service’s notices', () => {
  const links = r({
    planning: {
      documents: [
        { url: 'https://www.contractsfinder.service.gov.uk/Notice/fc69005c-e7ad-497c-ac5b-30ad2c8f4228' },
        { url: 'https://www.find-tender.service.gov.uk/Notice/029846-2022?' },
      ],
    },
    tender: { documents: [{ url: 'https://www.find-tender.service.gov.uk/Notice/029846-2022' }, { url: 'https://in-tendhost.co.uk/x' }] },
    relatedProcesses: [{ uri: 'https://www.contractsfinder.service.gov.uk/Notice/FC69005C-E7AD-497C-AC5B-30AD2C8F4228' }],
  });
  it.each<[string, string, object[]]>([
    ['from CF: the FTS notice, once', 'CONTRACTS_FINDER', [{ source: 'FIND_A_TENDER', noticeId: '029846-2022', url: 'https://www.find-tender.service.gov.uk/Notice/029846-2022?' }]],
    [
      'from FTS: the CF notice, from documents and relatedProcesses alike',
      'FIND_A_TENDER',
      [{ source: 'CONTRACTS_FINDER', noticeId: 'fc69005c-e7ad-497c-ac5b-30ad2c8f4228', url: 'https://www.contractsfinder.service.gov.uk/Notice/fc69005c-e7ad-497c-ac5b-30ad2c8f4228' }],
    ],
  ])('%s', (_, own, expected) => {
    expect(relatedNoticesOf(links, own)).toEqual(expected);
  });

  it('an attachment is no notice; a notice page without a readable id keeps its address only', () => {
    const release = r({
      tender: {
        documents: [
          { url: 'https://www.find-tender.service.gov.uk/Notice/Attachment/A-14581' },
          { url: 'https://www.find-tender.service.gov.uk/Notice/NOTICE-X' },
        ],
      },
    });
    expect(relatedNoticesOf(release, 'CONTRACTS_FINDER')).toEqual([{ source: 'FIND_A_TENDER', url: 'https://www.find-tender.service.gov.uk/Notice/NOTICE-X' }]);
  });
});
