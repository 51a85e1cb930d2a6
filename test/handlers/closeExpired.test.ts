import { describe, expect, it } from 'vitest';
import { produce } from '../../producer/scheduled.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { chunks } from '../../shared/store/chunks.ts';
import { makeMappedRelease, makeWriteMessage } from '../factories.ts';
import { deliverAll } from './deliverAll.ts';
import { handlerStack } from './handlerStack.ts';

/**
 * The hourly run closes the tenders whose deadline passed since their records were written
 * (producer/scheduled.ts through `produce(env, now)`): each such OPEN record becomes CLOSED, and so
 * does every contract of the procurement; awarded ones and ones still before their deadline stay as
 * they are. More than one chunk of WRITE_CHUNK_SIZE (FerretDB hangs on 100 matched updates in one
 * command). Records are written by the write consumer (worker.queue), a run later than the clock.
 */
const stack = handlerStack({ prefix: 'h_close', vars: { WRITE_CHUNK_SIZE: '20', FTS_START_DATE: '2026-01-01', CF_START_DATE: '2026-01-01' } });
const written = new Date();
const inHours = (h: number) => new Date(written.getTime() + h * 3_600_000).toISOString();

const tender = (n: number, deadlineHours: number, extra: Partial<MappedRelease['contract']> = {}) =>
  makeMappedRelease({ contract: { noticeId: `${String(500_000 + n)}-2026`, ocid: `ocds-h6vhtk-close-${n}`, deadlineDate: inHours(deadlineHours), releaseDate: inHours(-48), ...extra } });

// 45 tenders due in an hour; one of two notices (tender and a clarification); one awarded; one due in ten hours.
const expiring = Array.from({ length: 45 }, (_, n) => tender(n, 1));
const twoNotices = [tender(100, 1), tender(101, 2, { ocid: 'ocds-h6vhtk-close-100', releaseDate: inHours(-24) })];
const awarded = [tender(200, 1), tender(201, 1, { ocid: 'ocds-h6vhtk-close-200', status: 'AWARDED', stage: 'AWARD', releaseDate: inHours(-24) })];
const later = tender(300, 10);

const statuses = async (collection: string) =>
  Object.fromEntries((await stack.db.collection(collection).find({}, { projection: { status: 1 } }).toArray()).map((d) => [String(d._id), d.status as string]));

describe('the hourly close of tenders past their deadline', () => {
  it('stores the records OPEN (or AWARDED) while the deadlines are ahead', async () => {
    for (const releases of chunks([...expiring, ...twoNotices, ...awarded, later], 20)) await stack.env.WRITE_QUEUE.send(makeWriteMessage({ releases }));
    await deliverAll(stack.env);
    const records = await statuses(COLLECTIONS.records);
    expect(Object.values(records).filter((s) => s === 'OPEN')).toHaveLength(47);
    expect(records['FIND_A_TENDER:ocds-h6vhtk-close-200']).toBe('AWARDED');
    expect(new Set(Object.values(await statuses(COLLECTIONS.contracts)))).toEqual(new Set(['OPEN', 'AWARDED']));
  });

  it('closes every OPEN record past its deadline and all its contracts, in chunks; the rest stay', async () => {
    await produce(stack.env, new Date(inHours(3)));

    const records = await statuses(COLLECTIONS.records);
    const contracts = await statuses(COLLECTIONS.contracts);
    for (const r of [...expiring, ...twoNotices]) {
      expect(records[`FIND_A_TENDER:${r.contract.ocid}`], r.contract.ocid).toBe('CLOSED');
      expect(contracts[r.contract._id], r.contract._id).toBe('CLOSED');
    }
    expect(records['FIND_A_TENDER:ocds-h6vhtk-close-200']).toBe('AWARDED');
    expect(awarded.map((r) => contracts[r.contract._id])).toEqual(['AWARDED', 'AWARDED']);
    expect(records[`FIND_A_TENDER:${later.contract.ocid}`]).toBe('OPEN');
    expect(contracts[later.contract._id]).toBe('OPEN');
    // Each notice keeps its own status.
    expect(await stack.db.collection(COLLECTIONS.contracts).findOne({ _id: twoNotices[0].contract._id as never })).toMatchObject({ status: 'CLOSED', noticeStatus: 'OPEN' });
  });

  it('changes nothing when it runs again', async () => {
    const snapshot = () => Promise.all([COLLECTIONS.records, COLLECTIONS.contracts].map((c) => stack.db.collection(c).find({}).sort({ _id: 1 }).toArray()));
    const before = await snapshot();
    await produce(stack.env, new Date(inHours(4)));
    expect(await snapshot()).toEqual(before);
  });
});
