import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { logCommands } from '../../scripts/local/commandLog.ts';
import { readConfig } from '../../shared/config.ts';
import { mapRelease } from '../../shared/mapping/mapRelease.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { parseRelease } from '../../shared/ocds/releaseSchema.ts';
import { findATender } from '../../shared/sources/findATender.ts';
import { publicContractsScotland } from '../../shared/sources/publicContractsScotland.ts';
import { COLLECTIONS, MAX_POOL_SIZE } from '../../shared/store/db.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { makeWriteBatches } from '../factories.ts';
import { realRelease } from '../fixtures/realFixtures.ts';
import { pcsRelease, readPcsCaptures } from '../fixtures/realPcs.ts';
import { expectBuyersExact } from '../stack/expectations.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * A Public Contracts Scotland notice and the Find a Tender notice PCS sent on ("its twin") name each
 * other in `relatedNotices`, joined by the SC Ref both carry (docs/data-model.md, "Twins"), whichever
 * is stored first, through replays, in one batch or two.
 *
 * The twin is real: 076867-2026, Renfrewshire Council's tender, "(SC Ref:839457)", canonical link
 * ocds-r6ebe6-0000839457 (test/fixtures/real/fts-2026-08-12-page-002.json). Its PCS notice is not
 * captured (the captures are of 2019: no twin pair is in the corpus), so it is a real capture of the
 * same buyer, Renfrewshire Council's APR351853, given that notice's ocid and SC Ref.
 */
let db: Db;
let close: () => Promise<void>;
let commands: ReturnType<typeof logCommands>;
const config = readConfig({ MONGODB_URI: 'mongodb://unused', WRITE_CHUNK_SIZE: '20' });

beforeEach(async () => {
  const opened = await openTestDb('pcstwins', { monitorCommands: true, maxPoolSize: MAX_POOL_SIZE, minPoolSize: MAX_POOL_SIZE });
  ({ db, close } = opened);
  commands = logCommands(opened.client);
  await ensureIndexes(db);
});
afterEach(() => close());

const SC_REF = 839457;
const FTS_ID = 'FIND_A_TENDER:076867-2026';
const PCS_ID = 'PUBLIC_CONTRACTS_SCOTLAND:APR351853';
const FTS_NAMED = { source: 'FIND_A_TENDER', noticeId: '076867-2026', url: 'https://www.find-tender.service.gov.uk/Notice/076867-2026' };
const PCS_NAMED = { source: 'PUBLIC_CONTRACTS_SCOTLAND', url: `https://www.publiccontractsscotland.gov.uk/Search/Search_Switch.aspx?ID=${SC_REF}` };

async function twin(): Promise<MappedRelease> {
  const parsed = parseRelease(await realRelease('fts-2026-08-12-page-002.json', '076867-2026'));
  if (!parsed.ok) throw new Error(parsed.reason);
  return mapRelease(findATender, parsed.release, { storeRaw: 'off' });
}

async function pcsNotice(): Promise<MappedRelease> {
  const capture = readPcsCaptures().find((c) => c.release.tender.documents.some((d) => d.id === 'APR351853'))!.release;
  const description = capture.description!.replace(/\(SC Ref:\d+\)\s*$/, `(SC Ref:${SC_REF})`);
  return mapRelease(publicContractsScotland, pcsRelease({ ...capture, ocid: `ocds-r6ebe6-000${SC_REF}`, description }), { storeRaw: 'off' });
}

async function write(...batches: MappedRelease[][]): Promise<number[]> {
  const roundTrips: number[] = [];
  for (const releases of batches) {
    for (const batch of makeWriteBatches(releases, { pageSize: 100, batchSize: 10 })) {
      commands.take();
      await storeWriteBatch(db, config, batch);
      roundTrips.push(commands.take().roundTrips);
    }
  }
  return roundTrips;
}

const relatedNotices = async () =>
  Object.fromEntries(
    (await db.collection(COLLECTIONS.contracts).find({}, { projection: { relatedNotices: 1, scRef: 1 } }).sort({ _id: 1 }).toArray()).map((c) => [c._id, { scRef: c.scRef, relatedNotices: c.relatedNotices }]),
  );

const JOINED = {
  [FTS_ID]: { scRef: SC_REF, relatedNotices: [PCS_NAMED] },
  [PCS_ID]: { scRef: SC_REF, relatedNotices: [FTS_NAMED] },
};

describe('a PCS notice and its Find a Tender twin name each other', () => {
  it('the PCS notice stored first, then its twin: both named; replayed in any order, still once each', async () => {
    const [pcs, fts] = [await pcsNotice(), await twin()];
    await write([pcs], [fts]);
    expect(await relatedNotices()).toEqual(JOINED);

    await write([fts, pcs], [pcs], [fts]);
    expect(await relatedNotices()).toEqual(JOINED);
    await expectBuyersExact(db);
  });

  it('the twin stored first, then the PCS notice: the same documents', async () => {
    const [pcs, fts] = [await pcsNotice(), await twin()];
    await write([fts], [pcs]);
    expect(await relatedNotices()).toEqual(JOINED);

    await write([pcs], [fts, pcs]);
    expect(await relatedNotices()).toEqual(JOINED);
  });

  it('both in one batch: the same documents', async () => {
    await write([await twin(), await pcsNotice()]);
    expect(await relatedNotices()).toEqual(JOINED);
  });

  it('the join costs no round trip: each notice in as many as one that is no twin, in either order', async () => {
    const [pcs, fts] = [await pcsNotice(), await twin()];
    const fresh = async () => {
      await db.dropDatabase();
      await ensureIndexes(db);
    };
    // The same notices without an SC Ref: what a batch costs when there is nothing to join.
    const noTwin = ({ contract: { scRef: _scRef, relatedNotices: _named, ...contract }, ...release }: MappedRelease): MappedRelease => ({ ...release, contract });
    const [pcsAlone] = await write([noTwin(pcs)]);
    await fresh();
    const [ftsAlone] = await write([noTwin(fts)]);
    await fresh();
    expect(await write([fts], [pcs])).toEqual([ftsAlone, pcsAlone]);
    expect(await relatedNotices()).toEqual(JOINED);
    await fresh();
    expect(await write([pcs], [fts])).toEqual([pcsAlone, ftsAlone]);
    expect(await relatedNotices()).toEqual(JOINED);
  });
});
