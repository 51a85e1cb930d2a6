import { MongoClient } from 'mongodb';
import { expect } from 'vitest';
import { freePort } from '../../scripts/local/freePort.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { SOURCE_NAMES } from '../../shared/sources/sourceName.ts';
import { expectNothingFailed } from './nothingFailed.ts';
import { startRestartableMongo, type Row } from './scenario.ts';
import { midBackfill, npmStart, removeNpmStartState } from './startResumes.ts';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long the server is stopped: long enough for the consumers' waiting and the display to show. */
const OUTAGE_SECONDS = 45;

/**
 * `npm start` on a MongoDB of the user, whose server stops mid-backfill for OUTAGE_SECONDS and
 * starts again: the run rides it out (its display says since when MongoDB is unreachable, the
 * Worker keeps answering), then carries on to its normal end: exit 0, every notice the simulator
 * served stored, no dead letter, no window failed.
 */
export async function npmStartRidesOutMongo(): Promise<Row> {
  const started = Date.now();
  const mongo = await startRestartableMongo();
  const database = { uri: mongo.uri, name: `chaos_rideout_${Date.now().toString(36)}` };
  const client = await new MongoClient(mongo.uri).connect();
  const db = client.db(database.name);
  let workerAnsweredDuringOutage = false;
  try {
    const port = await freePort();
    const run = await npmStart(database, port, {
      whileRunning: async (running) => {
        while (running() && !(await midBackfill(db))) await sleep(500);
        if (!running()) return;
        await mongo.stop();
        await sleep((OUTAGE_SECONDS / 2) * 1000);
        // /gates needs no MongoDB: the Worker is still up.
        workerAnsweredDuringOutage = (await fetch(`http://127.0.0.1:${port}/gates`).catch(() => null))?.ok ?? false;
        await sleep((OUTAGE_SECONDS / 2) * 1000);
        await mongo.start();
      },
    });
    const tail = run.output.slice(-3000);
    expect(run.code, tail).toBe(0);
    expect(run.output, 'the display line').toMatch(/MongoDB unreachable since \d\d:\d\d:\d\d/);
    expect(run.output).not.toMatch(/local run failed/);
    expect(workerAnsweredDuringOutage, 'the Worker answered /gates while MongoDB was stopped').toBe(true);
    // Every notice served is stored, by npm start's own account and by the database's.
    let served = 0;
    for (const source of SOURCE_NAMES) {
      const line = new RegExp(`${source}\\s+([\\d,]+) contracts \\(simulator served [\\d,]+ distinct releases of ([\\d,]+) notices\\)`).exec(run.output);
      expect(line, `${source}'s report line\n${tail}`).not.toBeNull();
      const [contracts, notices] = [line![1], line![2]].map((n) => Number(n.replaceAll(',', '')));
      expect(contracts, `${source}: contracts against notices served`).toBe(notices);
      expect(await db.collection(COLLECTIONS.contracts).countDocuments({ source }), `${source}: contracts in MongoDB`).toBe(notices);
      served += notices;
    }
    await expectNothingFailed(db);
    return {
      fault: `npm start on the user's MongoDB, its server stopped ${OUTAGE_SECONDS} s mid-backfill`,
      injected: 1,
      landed: { landed: 1, of: 1 },
      expected: served,
      stored: await db.collection(COLLECTIONS.contracts).countDocuments(),
      duplicates: { FIND_A_TENDER: 0, CONTRACTS_FINDER: 0, PUBLIC_CONTRACTS_SCOTLAND: 0 },
      overBudget: 0,
      seconds: Math.round((Date.now() - started) / 1000),
      notes: `display said "${/MongoDB unreachable since \d\d:\d\d:\d\d/.exec(run.output)![0]}"; Worker up throughout; 0 dead letters, 0 windows failed; exit 0`,
    };
  } finally {
    removeNpmStartState(database.name);
    await db.dropDatabase().catch(() => {});
    await client.close();
    await mongo.dispose();
  }
}
