import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { openTestDb } from '../stack/testDb.ts';

/**
 * The pipeline's guarded writes (a buyer's count under its stamp, a link under its version, a
 * window under its seq) rely on MongoDB applying an update to a document atomically. FerretDB reads
 * and writes back in two steps; the local server's front (scripts/local/ferretdb/serializeWrites.go)
 * lets one modifying command through at a time so that it holds there too. Without it, 16 guarded
 * updates at once lost one in 19 rounds of 20, and the two-writer count tests failed now and then.
 */
let db: Db;
let close: () => Promise<void>;
const WRITERS = 16;
const ROUNDS = 10;

beforeAll(async () => {
  ({ db, close } = await openTestDb('localserver', { maxPoolSize: WRITERS }));
});
afterAll(() => close());

describe('the local MongoDB-compatible server', () => {
  it('applies guarded updates of one document one after the other, as MongoDB does', async () => {
    const buyers = db.collection<{ _id: string; stamp: number }>('stamps');
    const lost: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await buyers.deleteMany({});
      await buyers.insertOne({ _id: 'buyer', stamp: 0 });
      // Stamps in an order of their own each round: the highest must win whoever comes last.
      const stamps = Array.from({ length: WRITERS }, (_, i) => ((i * 7 + round) % WRITERS) + 1);
      await Promise.all(stamps.map((stamp) => buyers.updateOne({ _id: 'buyer', stamp: { $not: { $gte: stamp } } }, { $set: { stamp } })));
      const stored = await buyers.findOne({ _id: 'buyer' });
      if (stored?.stamp !== WRITERS) lost.push(round);
    }
    expect(lost, 'rounds whose highest stamp was overwritten by a lower one').toEqual([]);
  });
});
