import { describe, expect, it } from 'vitest';
import { produce } from '../../producer/scheduled.ts';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { sources } from '../../shared/sources/sources.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { listDoneDeltas, readNewestFold, recordFold, type DeltaFoldDoc } from '../../shared/store/deltaFolds.ts';
import { sourceStatusId, type SourceStatusDoc } from '../../shared/store/sourceStatus.ts';
import { recordWindows, recordWrittenParts, windowsCollection } from '../../shared/store/windows.ts';
import { firstCheckpoint } from '../../shared/windows/advanceCheckpoint.ts';
import { writtenPartKey } from '../../shared/windows/isWindowComplete.ts';
import { FOLD_AFTER_MS, planDeltaFold } from '../../shared/windows/planDeltaFold.ts';
import { fakeEnv } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';
import { SOURCES_ON } from '../stack/sourcesOn.ts';

/**
 * The hourly cron folds finished delta windows away (producer/foldDeltaWindows.ts): two crons
 * running at the same moment on one database fold each window once, into one fold, and a run cut
 * off between recording a fold and deleting its windows is finished by the next cron, nothing
 * counted twice. The cron's handler (producer/scheduled.ts) runs in process on the real database.
 */
const stack = handlerStack({ prefix: 'h_fold', vars: { FTS_START_DATE: '2026-02-01', CF_START_DATE: '2026-02-01' }, perTest: 'database' });
const HOUR = 3_600_000;
const firstCron = new Date('2026-03-15T12:07:00Z');
const RELEASES_PER_WINDOW = 3;

/**
 * `count` done delta windows of `source`, 5 minutes each, the last ending `endedAgoMs` before `now`,
 * as the consumers leave them (each with the record of its one stored part).
 */
async function doneDeltas(source: SourceName, count: number, now: Date, endedAgoMs: number): Promise<string[]> {
  const planned = Array.from({ length: count }, (_, i) => {
    const to = new Date(now.getTime() - endedAgoMs - (count - 1 - i) * 5 * 60_000);
    const from = new Date(to.getTime() - 20 * 60_000);
    return { _id: `${source}:delta:test:${to.toISOString()}`, source, span: 'delta' as const, from, to };
  });
  const ids = planned.map((w) => w._id);
  await recordWindows(stack.db, planned, (w) => firstCheckpoint(w, sources[source].maxSliceMs), now);
  await windowsCollection(stack.db).updateMany({ _id: { $in: ids } }, { $set: { state: 'done', releasesWritten: RELEASES_PER_WINDOW, quarantined: 1, doneAt: now } });
  await recordWrittenParts(stack.db, ids.map((windowId) => ({ windowId, generation: 0, key: writtenPartKey(0, 0, 0), releases: RELEASES_PER_WINDOW })), now);
  return ids;
}

const foldsOf = (source: SourceName) => stack.db.collection<DeltaFoldDoc>(COLLECTIONS.syncJobs).find({ kind: 'deltaFold', source }).sort({ seq: 1 }).toArray();
const remaining = async (ids: readonly string[]) => [
  ...(await windowsCollection(stack.db).find({ _id: { $in: [...ids] } }).toArray()).map((w) => w._id),
  ...(await stack.db.collection(COLLECTIONS.windowParts).find({ windowId: { $in: [...ids] } }).toArray()).map((p) => p._id),
];
const summaryOf = (source: SourceName) => stack.db.collection<SourceStatusDoc>(COLLECTIONS.syncJobs).findOne({ _id: sourceStatusId(source) });

describe('folding finished delta windows', () => {
  it('two crons at the same moment, three hours running: each window folded once, into one fold, none lost; totals exact', async () => {
    const otherCron = fakeEnv({ MONGODB_URI: stack.testDb.uri, MONGODB_DB: stack.testDb.name, FTS_START_DATE: '2026-02-01', CF_START_DATE: '2026-02-01' });
    const folded = new Map<SourceName, string[]>(SOURCES_ON.map((source) => [source, []]));
    // Done, but ended within the hour before the last cron: due at the next.
    const notYetDue = new Map<SourceName, string[]>(SOURCES_ON.map((source) => [source, []]));
    for (let hour = 1; hour <= 3; hour++) {
      const now = new Date(firstCron.getTime() + (hour - 1) * HOUR);
      const due = new Map<SourceName, string[]>();
      for (const source of SOURCES_ON) {
        due.set(source, [...notYetDue.get(source)!, ...(await doneDeltas(source, 6, now, FOLD_AFTER_MS))]);
        notYetDue.set(source, await doneDeltas(source, 1, now, FOLD_AFTER_MS - 10 * 60_000));
      }

      await Promise.all([produce(stack.env, now), produce(otherCron, now)]);

      for (const source of SOURCES_ON) {
        folded.get(source)!.push(...due.get(source)!);
        const everFolded = folded.get(source)!;
        const folds = await foldsOf(source);
        // One fold a cron hour (three are kept), each naming the windows due then: none in two folds, none left out.
        expect(folds.map((f) => [f.seq, [...f.folded].sort()]), `${source} folds after cron ${hour}`).toEqual(
          Array.from({ length: hour }, (_, i) => [i + 1, expect.any(Array)]),
        );
        expect([...folds[hour - 1].folded].sort()).toEqual([...due.get(source)!].sort());
        expect(folds.flatMap((f) => f.folded).sort()).toEqual([...everFolded].sort());
        const windows = everFolded.length;
        expect(folds[hour - 1]).toMatchObject({ windows, releasesWritten: windows * RELEASES_PER_WINDOW, quarantined: windows });
        expect(await remaining(everFolded), 'folded windows and their parts deleted').toEqual([]);
        expect(await remaining(notYetDue.get(source)!)).toHaveLength(2);
        // The source's summary counts each window once: the fold's totals and the windows still there.
        expect(await summaryOf(source)).toMatchObject({ totalFetched: (windows + 1) * RELEASES_PER_WINDOW, windows: { done: windows + 1 } });
      }
    }
  });

  it('a cron cut off after recording its fold, before deleting the windows, is finished by the next: nothing folded twice', async () => {
    const source = 'FIND_A_TENDER';
    const cutOff = await doneDeltas(source, 6, firstCron, FOLD_AFTER_MS);
    // The cut-off run's first step, as foldDeltaWindows takes it; it went no further.
    const fold = planDeltaFold(await readNewestFold(stack.db, source), await listDoneDeltas(stack.db, source), firstCron, FOLD_AFTER_MS);
    expect(fold?.folded).toEqual(cutOff);
    expect(await recordFold(stack.db, source, fold!, firstCron)).toBe(true);
    const nextCron = new Date(firstCron.getTime() + HOUR);
    const later = await doneDeltas(source, 4, nextCron, FOLD_AFTER_MS);

    await produce(stack.env, nextCron);

    const folds = await foldsOf(source);
    expect(folds.map((f) => [f.seq, [...f.folded].sort()])).toEqual([
      [1, [...cutOff].sort()],
      [2, [...later].sort()],
    ]);
    expect(folds[1]).toMatchObject({ windows: 10, releasesWritten: 10 * RELEASES_PER_WINDOW, quarantined: 10 });
    expect(await remaining([...cutOff, ...later]), 'folded windows and their parts deleted').toEqual([]);
    expect(await summaryOf(source)).toMatchObject({ totalFetched: 10 * RELEASES_PER_WINDOW, windows: { done: 10 } });
  });
});
