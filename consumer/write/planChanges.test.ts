import { describe, expect, it } from 'vitest';
import type { RecordDoc } from '../../shared/store/records.ts';
import { contractChange, planChanges, procurementChange, type WrittenContract } from './planChanges.ts';

const day = (d: number) => new Date(Date.UTC(2026, 0, d));
const stored: WrittenContract = {
  _id: 'FIND_A_TENDER:000001-2026',
  source: 'FIND_A_TENDER',
  ocid: 'ocds-h6vhtk-000001',
  noticeId: '000001-2026',
  releaseId: 'R-1',
  releaseDate: day(1),
  releaseOrder: '2026-01-01T00:00:00.000Z#000000000000',
  mappingVersion: 4,
  title: 'Road repairs',
  status: 'OPEN',
  noticeStatus: 'OPEN',
  statusVersion: 1,
  deadlineDate: day(20),
  buyerOrg: 'GB-LEEDS',
  cpvCodes: ['45000000'],
  lots: [{ id: '1', title: 'North' }],
  createdAt: day(1),
  updatedAt: day(1),
};
const newerRelease = { releaseId: 'R-2', releaseDate: day(2), releaseOrder: '2026-01-02T00:00:00.000Z#000000000000', updatedAt: day(2) };

describe('contractChange: the fields that changed, and the kind', () => {
  it.each<[string, Record<string, unknown>, { kind: string; fields: string[] } | null]>([
    ['the same release again (a replay): nothing', {}, null],
    ['only bookkeeping (a newer mapping that changes no field, timestamps, raw data)', { mappingVersion: 5, updatedAt: day(9), statusVersion: 2, rawData: { x: 1 } }, null],
    ['same values, keys in another order, dates as new objects', { lots: [{ title: 'North', id: '1' }], deadlineDate: new Date(day(20).getTime()) }, null],
    ['a newer release with a new title', { ...newerRelease, title: 'Road repairs (amended)' }, { kind: 'updated', fields: ['releaseDate', 'releaseId', 'title'] }],
    ['a field the newer release lacks', { ...newerRelease, lots: undefined }, { kind: 'updated', fields: ['lots', 'releaseDate', 'releaseId'] }],
    ['a field it adds', { ...newerRelease, valueMax: 50_000 }, { kind: 'updated', fields: ['releaseDate', 'releaseId', 'valueMax'] }],
    ['the deadline moved', { ...newerRelease, deadlineDate: day(27) }, { kind: 'deadline changed', fields: ['deadlineDate', 'releaseDate', 'releaseId'] }],
    ['awarded: its procurement\'s status and its own', { ...newerRelease, status: 'AWARDED', noticeStatus: 'AWARDED', awards: [{ id: 'A' }] }, { kind: 'awarded', fields: ['awards', 'noticeStatus', 'releaseDate', 'releaseId', 'status'] }],
    ['cancelled', { ...newerRelease, status: 'CANCELLED', noticeStatus: 'CANCELLED' }, { kind: 'cancelled', fields: ['noticeStatus', 'releaseDate', 'releaseId', 'status'] }],
    ['closed: status changed', { ...newerRelease, status: 'CLOSED' }, { kind: 'status changed', fields: ['releaseDate', 'releaseId', 'status'] }],
    ['its own status only, its procurement\'s kept', { ...newerRelease, noticeStatus: 'CANCELLED' }, { kind: 'cancelled', fields: ['noticeStatus', 'releaseDate', 'releaseId'] }],
    ['awards changed, status kept', { ...newerRelease, awards: [{ id: 'A', suppliers: [{ name: 'Acme' }] }] }, { kind: 'awarded', fields: ['awards', 'releaseDate', 'releaseId'] }],
    ['the same release, its buyer\'s registry entry moved', { buyerOrg: 'GB-LEEDS-CC' }, { kind: 'buyer merged', fields: ['buyerOrg'] }],
    ['a buyer and a title', { ...newerRelease, buyerOrg: 'GB-LEEDS-CC', title: 'x' }, { kind: 'updated', fields: ['buyerOrg', 'releaseDate', 'releaseId', 'title'] }],
  ])('%s', (_, change, expected) => {
    const written = Object.fromEntries(Object.entries({ ...stored, ...change }).filter(([, value]) => value !== undefined));
    expect(contractChange(stored, written)).toEqual(expected);
  });
});

const record = (over: Partial<RecordDoc>): RecordDoc =>
  ({ _id: 'FIND_A_TENDER:ocds-h6vhtk-000001', source: 'FIND_A_TENDER', ocid: 'ocds-h6vhtk-000001', status: 'OPEN', deadlineDate: day(20), awardedSuppliers: [], stage: 'TENDER', v: 3, lastUpdated: day(1), ...over }) as RecordDoc;

describe('procurementChange: a procurement\'s status, deadline and awards', () => {
  it.each<[string, Partial<RecordDoc>, { kind: string; fields: string[] } | null]>([
    ['another notice, nothing of its own moved', { lastUpdated: day(5), v: 4 }, null],
    ['awarded', { status: 'AWARDED', awardedSuppliers: [{ name: 'Acme' }] }, { kind: 'awarded', fields: ['awardedSuppliers', 'status'] }],
    ['cancelled', { status: 'CANCELLED' }, { kind: 'cancelled', fields: ['status'] }],
    ['closed', { status: 'CLOSED' }, { kind: 'status changed', fields: ['status'] }],
    ['a supplier added to an award', { awardedSuppliers: [{ name: 'Acme' }] }, { kind: 'awarded', fields: ['awardedSuppliers'] }],
    ['the deadline moved', { deadlineDate: day(30) }, { kind: 'deadline changed', fields: ['deadlineDate'] }],
  ])('%s', (_, change, expected) => {
    expect(procurementChange(record({}), record(change))).toEqual(expected);
  });
});

describe('planChanges: the entries of a batch', () => {
  const fresh = { ...stored, _id: 'FIND_A_TENDER:000002-2026', noticeId: '000002-2026' };
  const moved = { ...stored, ...newerRelease, status: 'AWARDED', awards: [{ id: 'A' }] };
  const batch = {
    fresh: [fresh],
    newer: [{ doc: moved, readVersion: 2 }],
    storedContracts: new Map([[stored._id, stored]]),
    records: [{ doc: record({ status: 'AWARDED', v: 4 }), readVersion: 3 }, { doc: record({ _id: 'FIND_A_TENDER:ocds-new', ocid: 'ocds-new' }), readVersion: null }],
    storedRecords: new Map([[record({})._id, record({})]]),
  };

  it('a new notice, a contract moved on, a procurement awarded; a new procurement only through its notice', () => {
    expect(planChanges(batch)).toEqual([
      { _id: 'FIND_A_TENDER:000002-2026|new', source: 'FIND_A_TENDER', ocid: 'ocds-h6vhtk-000001', noticeId: '000002-2026', kind: 'new', fields: [] },
      {
        _id: 'FIND_A_TENDER:000001-2026|2026-01-02T00:00:00.000Z#000000000000|m4|v2|awarded',
        source: 'FIND_A_TENDER',
        ocid: 'ocds-h6vhtk-000001',
        noticeId: '000001-2026',
        kind: 'awarded',
        fields: ['awards', 'releaseDate', 'releaseId', 'status'],
      },
      { _id: 'FIND_A_TENDER:ocds-h6vhtk-000001|v3|awarded', source: 'FIND_A_TENDER', ocid: 'ocds-h6vhtk-000001', kind: 'awarded', fields: ['status'] },
    ]);
  });

  it('the same batch again decides the same ids; once its contract is stored, it has no entry for it', () => {
    expect(planChanges(batch).map((e) => e._id)).toEqual(planChanges(batch).map((e) => e._id));
    const repeated = planChanges({ ...batch, fresh: [], storedContracts: new Map([[stored._id, moved]]), records: [] });
    expect(repeated).toEqual([]);
  });
});
