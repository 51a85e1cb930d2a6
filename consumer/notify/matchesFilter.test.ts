import { describe, expect, it } from 'vitest';
import type { WebhookFilter } from '../../shared/store/webhooks.ts';
import { contractsOf, matchesFilter, type FilterFields } from './matchesFilter.ts';

const contract = (fields: Partial<FilterFields> = {}): FilterFields => ({ _id: 'FIND_A_TENDER:1-2026', source: 'FIND_A_TENDER', ocid: 'ocds-1', cpvCodes: ['45233140'], buyerRegion: 'Wales', deliveryRegions: ['London'], valueMin: 100_000, valueMax: 250_000, ...fields });
const NEW = { source: 'FIND_A_TENDER', kind: 'new' as const };

describe('matchesFilter: which changes a subscription wants', () => {
  it.each<[string, WebhookFilter, Partial<FilterFields> | null, boolean]>([
    ['no filter: every change', {}, {}, true],
    ['no filter, contract not stored: still', {}, null, true],
    ['source named', { sources: ['FIND_A_TENDER'] }, {}, true],
    ['another source', { sources: ['CONTRACTS_FINDER'] }, {}, false],
    ['kind named', { kinds: ['new', 'awarded'] }, {}, true],
    ['another kind', { kinds: ['awarded'] }, {}, false],
    ['CPV division prefix', { cpvPrefixes: ['45'] }, {}, true],
    ['CPV class prefix of another code', { cpvPrefixes: ['4524'] }, {}, false],
    ['CPV filter, contract without codes', { cpvPrefixes: ['45'] }, { cpvCodes: [] }, false],
    ['buyer region', { regions: ['Wales'] }, {}, true],
    ['delivery region', { regions: ['London', 'Scotland'] }, {}, true],
    ['neither region', { regions: ['Scotland'] }, {}, false],
    ['value range overlapping', { valueMin: 200_000, valueMax: 1_000_000 }, {}, true],
    ['value range above', { valueMin: 300_000 }, {}, false],
    ['value range below', { valueMax: 50_000 }, {}, false],
    ['a single value inside', { valueMin: 100, valueMax: 200 }, { valueMin: undefined, valueMax: 150 }, true],
    ['value filter, contract without a value', { valueMin: 0 }, { valueMin: undefined, valueMax: undefined }, false],
    ['every condition holding', { sources: ['FIND_A_TENDER'], kinds: ['new'], cpvPrefixes: ['452'], regions: ['Wales'], valueMin: 200_000 }, {}, true],
    ['every condition but one', { sources: ['FIND_A_TENDER'], kinds: ['new'], cpvPrefixes: ['452'], regions: ['Wales'], valueMin: 300_000 }, {}, false],
    ['a contract condition, contract not stored', { regions: ['Wales'] }, null, false],
  ])('%s', (_, filter, fields, expected) => {
    expect(matchesFilter(filter, NEW, fields === null ? [] : [contract(fields)])).toBe(expected);
  });

  it('a procurement\'s entry is about each of its contracts; a notice\'s about its own', () => {
    const stored = [contract(), contract({ _id: 'FIND_A_TENDER:2-2026', buyerRegion: 'Scotland', deliveryRegions: [] }), contract({ _id: 'FIND_A_TENDER:9-2026', ocid: 'ocds-9' })];
    expect(contractsOf({ source: 'FIND_A_TENDER', ocid: 'ocds-1' }, stored).map((c) => c._id)).toEqual(['FIND_A_TENDER:1-2026', 'FIND_A_TENDER:2-2026']);
    expect(contractsOf({ source: 'FIND_A_TENDER', ocid: 'ocds-1', noticeId: '2-2026' }, stored).map((c) => c._id)).toEqual(['FIND_A_TENDER:2-2026']);
    expect(matchesFilter({ regions: ['Scotland'] }, { source: 'FIND_A_TENDER', kind: 'awarded' }, contractsOf({ source: 'FIND_A_TENDER', ocid: 'ocds-1' }, stored))).toBe(true);
  });
});
