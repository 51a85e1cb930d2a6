import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../worker.ts';
import { produce } from '../../producer/scheduled.ts';
import type { ConfigName } from '../../shared/config.ts';
import { readStatus } from '../../producer/status/readStatus.ts';
import { renderStatusPage } from '../../producer/status/renderStatusPage.ts';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import type { FindingDoc } from '../../shared/store/reconciliation.ts';
import { windowsCollection } from '../../shared/store/windows.ts';
import { generateDataset, type SimRelease } from '../simulator/dataset.ts';
import { newVersionKeepingPublication, republished } from '../simulator/republish.ts';
import { deliverAll } from './deliverAll.ts';
import { decisionsOf, fakeBatch, fakeEnv, type FakeEnv } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';

/**
 * Continuous reconciliation against the simulator hiding releases the three ways the services do
 * (UPSTREAM.md, "Hidden losses"): a list page that leaves a release out, a release indexed after
 * the deltas' overlap had passed, a CF notice's new version listed under its old publication date.
 * The backfill and the deltas miss each; one reconciliation pass finds and stores each, with its
 * finding; a second pass over the unchanged history sends nothing to the write queue and reads
 * contracts once per page. Cron, fetch and write handlers in process; simulator and MongoDB real.
 */
const backfillAt = new Date('2024-03-10T12:00:00Z');
const nextHour = new Date('2024-03-10T13:00:00Z');
const dataset = generateDataset({ seed: 22, from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-03-10T11:00:00Z'), ftsPerDay: 6, cfPerDay: 4 });
const stack = handlerStack({ prefix: 'h_reconcile', upstream: { dataset }, vars: { FTS_START_DATE: '2024-01-01', CF_START_DATE: '2024-01-01' } });
/** Three months a pass per source: January, February, and March up to an hour before the deltas' cursor (12:59: 11:00). */
const WALKS = 6;

const titled = (r: SimRelease) => (r.release.tender as { title?: unknown } | undefined)?.title !== undefined;
const singleVersion = (r: SimRelease) => dataset.CONTRACTS_FINDER.filter((other) => other.notice === r.notice).length === 1;
const inMonth = (month: string) => (r: SimRelease) => r.date.toISOString().startsWith(month);
/** Left out of the backfill's list page (omittedRelease, once). */
const omittedFts = dataset.FIND_A_TENDER.filter(inMonth('2024-01')).filter(titled)[3];
const omittedCf = dataset.CONTRACTS_FINDER.filter(inMonth('2024-01')).filter(singleVersion)[2];
/** Published once the deltas have passed its time: a new FTS notice dated inside an earlier delta. */
const lateFts = republished(dataset.FIND_A_TENDER.filter(titled)[10], new Date('2024-03-10T10:30:00Z'), { id: '900022-2024', title: 'Indexed late' });
/** A CF notice's next version, published after the backfill, listed under its first version's date. */
const changedCf = dataset.CONTRACTS_FINDER.filter(inMonth('2024-02')).filter(titled).filter(singleVersion)[1];
const keptPublication = newVersionKeepingPublication(changedCf, new Date('2024-03-10T12:30:00Z'), { title: 'Changed, publication date kept' });

const contract = (source: SourceName, noticeId: string) => stack.db.collection(COLLECTIONS.contracts).findOne({ source, noticeId });
const findings = () => stack.db.collection<FindingDoc>(COLLECTIONS.reconciliation).find({}).sort({ noticeId: 1 }).toArray();
/** The month walks (closer looks at a slice aside). */
const walks = () => windowsCollection(stack.db).find({ span: 'reconcile', closerOf: { $exists: false } }).sort({ _id: 1 }).toArray();
const closerLooks = () => windowsCollection(stack.db).find({ closerOf: { $exists: true } }).sort({ from: 1 }).toArray();

/** An hourly run and everything it sends, until a run sends nothing more (its later delta ticks dropped). */
async function runHour(env: FakeEnv, now: Date): Promise<void> {
  for (let run = 0; run < 20; run++) {
    await produce(env, now);
    env.FETCH_QUEUE.takeWhere((m) => (m.body as { type?: string }).type === 'tick');
    if (env.FETCH_QUEUE.sent.length === 0) return;
    await deliverAll(env);
  }
  throw new Error('the pipeline did not settle in 20 runs');
}

/**
 * Reconciliation runs for ever (a pass follows a pass): delivers every message, with a cron when
 * the queues are empty (a walk closed by the writer is followed by the next cron or tick), until
 * every month of both sources has been walked `passes` times. A walk of the pass after is held
 * back (one source may finish first). Returns the write messages sent.
 */
async function walkUntil(env: FakeEnv, passes: number): Promise<{ writesSent: number }> {
  let writesSent = 0;
  for (let round = 0; round < 200; round++) {
    const walked = new Set((await walks()).filter((w) => (w.verification?.passes ?? 0) >= passes).map((w) => w._id));
    if (walked.size === WALKS) return { writesSent };
    const due = (m: { body: unknown }) => !walked.has((m.body as { windowId?: string }).windowId ?? '');
    if (env.FETCH_QUEUE.sent.filter(due).length + env.WRITE_QUEUE.sent.length === 0) {
      await produce(env, nextHour);
      env.FETCH_QUEUE.takeWhere((m) => (m.body as { type?: string }).type === 'tick');
    }
    const fetches = env.FETCH_QUEUE.takeWhere(due).map((m) => m.body);
    // Handed-on walks are delivered at once: this test keeps no clock.
    for (const [queue, bodies] of [['fetch', fetches], ['write', env.WRITE_QUEUE.take()]] as const) {
      if (bodies.length === 0) continue;
      if (queue === 'write') writesSent += bodies.length;
      const batch = fakeBatch(queue, bodies);
      await worker.queue(batch, env);
      expect(decisionsOf(batch).every((d) => d?.kind === 'ack'), `${queue} batch acked`).toBe(true);
    }
  }
  const left = (await windowsCollection(stack.db).find({ span: 'reconcile' }).toArray()).map((w) => `${w._id} ${w.state} ${w.verification?.passes ?? 0}`);
  throw new Error(`reconciliation did not reach pass ${passes} in 200 rounds: ${left.join('; ')}`);
}

/** The contracts reads of every MongoDB client opened from now on (command monitoring switched on as it connects). */
function countContractReads(): { reads: () => number } {
  let reads = 0;
  const connect = MongoClient.prototype.connect;
  vi.spyOn(MongoClient.prototype, 'connect').mockImplementation(function (this: MongoClient) {
    this.options.monitorCommands = true;
    this.on('commandStarted', (event: CommandStartedEvent) => {
      if (event.commandName === 'find' && event.command.find === COLLECTIONS.contracts) reads++;
    });
    return connect.call(this);
  });
  return { reads: () => reads };
}

afterEach(() => vi.restoreAllMocks());

describe('continuous reconciliation', () => {
  let reconciling: FakeEnv;
  /** Reconciliation with the record door on, the sample as large as a month's procurements (so it holds every one). */
  let withRecords: FakeEnv;

  it('the backfill and the deltas miss every kind of hidden release', { timeout: 120_000 }, async () => {
    expect([omittedFts, omittedCf, changedCf].every(Boolean)).toBe(true);
    stack.simulator.setFaults({ omittedRelease: { source: 'FIND_A_TENDER', releaseId: omittedFts.id, count: 1 } });
    stack.simulator.setFaults({ omittedRelease: { source: 'CONTRACTS_FINDER', releaseId: omittedCf.id, count: 1 } });
    await runHour(stack.env, backfillAt);
    expect(await windowsCollection(stack.db).countDocuments({ kind: 'window', state: { $ne: 'done' } })).toBe(0);

    stack.simulator.publish('FIND_A_TENDER', [lateFts]);
    stack.simulator.publish('CONTRACTS_FINDER', [keptPublication]);
    await runHour(stack.env, nextHour);

    expect(await contract('FIND_A_TENDER', omittedFts.id)).toBeNull();
    expect(await contract('CONTRACTS_FINDER', omittedCf.notice)).toBeNull();
    expect(await contract('FIND_A_TENDER', lateFts.id)).toBeNull();
    expect(await contract('CONTRACTS_FINDER', changedCf.notice)).toMatchObject({ releaseId: changedCf.id });
    // RECONCILE=off (the handler tests' default): nothing walked.
    expect(await walks()).toEqual([]);
  });

  it('one pass finds and stores each, and keeps each finding with its month and slice', { timeout: 300_000 }, async () => {
    // The same Worker with reconciliation on, at a pace the simulator's generous limit allows.
    const { FETCH_QUEUE: _f, WRITE_QUEUE: _w, FETCH_DLQ: _fd, WRITE_DLQ: _wd, RATE_GATE: _g, ...vars } = stack.env;
    reconciling = fakeEnv({ ...(vars as unknown as Record<ConfigName, string>), RECONCILE: '6000' });
    const { writesSent } = await walkUntil(reconciling, 1);
    expect(writesSent).toBeGreaterThan(0);

    expect(await contract('FIND_A_TENDER', omittedFts.id)).toMatchObject({ releaseId: omittedFts.id });
    expect(await contract('CONTRACTS_FINDER', omittedCf.notice)).toMatchObject({ releaseId: omittedCf.id });
    expect(await contract('FIND_A_TENDER', lateFts.id)).toMatchObject({ title: 'Indexed late' });
    expect(await contract('CONTRACTS_FINDER', changedCf.notice)).toMatchObject({ releaseId: keptPublication.id, title: 'Changed, publication date kept' });

    const found = await findings();
    expect(found.map((f) => [f.source, f.noticeId, f.kind])).toEqual(
      [
        ['FIND_A_TENDER', omittedFts.id, 'missing'],
        ['CONTRACTS_FINDER', omittedCf.notice, 'missing'],
        ['FIND_A_TENDER', lateFts.id, 'missing'],
        ['CONTRACTS_FINDER', changedCf.notice, 'newer'],
      ].sort((a, b) => (a[1] < b[1] ? -1 : 1)),
    );
    for (const f of found) {
      const at = f.noticeId === lateFts.id ? lateFts.date : f.noticeId === changedCf.notice ? changedCf.date : f.noticeId === omittedFts.id ? omittedFts.date : omittedCf.date;
      expect(f.window.from <= at && at < f.window.to, `${f.noticeId}'s month holds it`).toBe(true);
      expect(f.slice.from <= at && at < f.slice.to, `${f.noticeId}'s slice holds it`).toBe(true);
    }
    expect(found.find((f) => f.kind === 'newer')).toMatchObject({ storedReleaseId: changedCf.id, releaseId: keptPublication.id, changedFields: expect.arrayContaining(['title']) });

    const walked = await walks();
    // Each source's next pass may have begun: its first month pending again.
    expect(walked.map((w) => [w._id, w.verification?.passes])).toEqual(
      ['CONTRACTS_FINDER', 'FIND_A_TENDER'].flatMap((s) => ['2024-01', '2024-02', '2024-03'].map((m) => [`${s}:reconcile:${m}`, 1])),
    );
    expect(walked.find((w) => w._id === 'FIND_A_TENDER:reconcile:2024-03')).toMatchObject({ to: new Date('2024-03-10T11:00:00Z'), verification: { missing: 1, newer: 0 } });
    expect(walked.find((w) => w._id === 'CONTRACTS_FINDER:reconcile:2024-02')).toMatchObject({ verification: { missing: 0, newer: 1 } });

    const status = await readStatus(stack.db, new Map(), nextHour);
    const fts = status.sources.find((s) => s.source === 'FIND_A_TENDER')!.figures.reconciliation;
    expect(fts).toMatchObject({ months: 3, pass: 2, verifiedInPass: 0, missing: 2, newer: 0, lastFinding: expect.objectContaining({ kind: 'missing' }) });
    expect(fts?.lastFullPassAt).toBeInstanceOf(Date);
    const page = renderStatusPage(status);
    expect(page).toContain('data-figure="findings"');
    expect(page).toMatch(/last full pass 2\d{3}-.*2 missing and 0 changed found \(last: missing/);
  });

  it('a pass over the unchanged history sends nothing to the write queue and reads contracts once a page', { timeout: 300_000 }, async () => {
    const before = (await findings()).length;
    stack.simulator.resetLog();
    const { reads } = countContractReads();
    const { writesSent } = await walkUntil(reconciling, 2);

    expect(writesSent).toBe(0);
    expect(await findings()).toHaveLength(before);
    const pages = stack.simulator.requests.filter((r) => r.status === 200);
    expect(pages.length).toBe((await walks()).reduce((sum, w) => sum + (w.verification?.pages ?? 0), 0));
    expect(reads()).toBe(pages.filter((r) => r.releases > 0).length);
    expect((await walks()).every((w) => w.verification?.passes === 2 && w.verification.missing + w.verification.newer === 0)).toBe(true);
  });

  it('looks closer at a slice that held what the copy lacked: halves down to an hour, a release only a shorter window returns found with that slice', { timeout: 300_000 }, async () => {
    // Two new FTS notices in the slice 06:00-12:00 of 14 February: one every window returns, one
    // that windows longer than 4 hours leave out (as FTS's long windows do).
    const template = dataset.FIND_A_TENDER.filter(titled)[12];
    const seen = republished(template, new Date('2024-02-14T07:00:00Z'), { id: '900031-2024', title: 'Seen by the 6 h walk' });
    const hidden = republished(template, new Date('2024-02-14T10:00:00Z'), { id: '900032-2024', title: 'Only in shorter windows' });
    stack.simulator.publish('FIND_A_TENDER', [seen, hidden]);
    stack.simulator.setFaults({ omittedRelease: { source: 'FIND_A_TENDER', releaseId: hidden.id, count: 1000, longerThanMs: 4 * 3_600_000 } });

    await walkUntil(reconciling, 3);

    expect(await contract('FIND_A_TENDER', seen.id)).toMatchObject({ title: 'Seen by the 6 h walk' });
    expect(await contract('FIND_A_TENDER', hidden.id)).toMatchObject({ title: 'Only in shorter windows' });
    const found = (await findings()).filter((f) => f.noticeId === seen.id || f.noticeId === hidden.id);
    const span = (f: FindingDoc) => [f.noticeId, f.slice.from.toISOString().slice(11, 16), f.slice.to.toISOString().slice(11, 16)];
    expect(found.map(span)).toEqual([
      [seen.id, '06:00', '12:00'],
      [hidden.id, '09:00', '12:00'],
    ]);
    // The 6 h slice in halves; the half that found the hidden one in halves again (1.5 h: not again).
    const looks = (await closerLooks()).filter((w) => w.from.toISOString().startsWith('2024-02-14')).sort((a, b) => a.from.getTime() - b.from.getTime() || a.to.getTime() - b.to.getTime());
    expect(looks.map((w) => [w.from.toISOString().slice(11, 16), w.to.toISOString().slice(11, 16), w.state, w.closerOf?.walkId])).toEqual([
      ['06:00', '09:00', 'done', 'FIND_A_TENDER:reconcile:2024-02'],
      ['09:00', '10:30', 'done', 'FIND_A_TENDER:reconcile:2024-02'],
      ['09:00', '12:00', 'done', 'FIND_A_TENDER:reconcile:2024-02'],
      ['10:30', '12:00', 'done', 'FIND_A_TENDER:reconcile:2024-02'],
    ]);
  });

  it('asks a sample of stored procurements through the record endpoint: a later notice no list returns is found there and stored', { timeout: 300_000 }, async () => {
    // A new notice of a procurement stored since the backfill, dated in January, left out of every list answer.
    const procurement = dataset.FIND_A_TENDER.filter(inMonth('2024-01')).filter(titled)[5];
    const unlisted = republished(procurement, new Date('2024-01-20T09:00:00Z'), { id: '900041-2024', title: 'Only on the record' });
    stack.simulator.publish('FIND_A_TENDER', [unlisted]);
    stack.simulator.setFaults({ omittedRelease: { source: 'FIND_A_TENDER', releaseId: unlisted.id, count: 1000 } });
    stack.simulator.resetLog();
    const { FETCH_QUEUE: _f, WRITE_QUEUE: _w, FETCH_DLQ: _fd, WRITE_DLQ: _wd, RATE_GATE: _g, ...vars } = stack.env;
    withRecords = fakeEnv({ ...(vars as unknown as Record<ConfigName, string>), RECONCILE: '6000', RECONCILE_RECORDS: '999' });
    // The next pass's first walks, already planned, are delivered to it.
    for (const queue of ['FETCH_QUEUE', 'WRITE_QUEUE'] as const) withRecords[queue].sent.push(...reconciling[queue].sent.splice(0));

    await walkUntil(withRecords, 4);

    expect(await contract('FIND_A_TENDER', unlisted.id)).toMatchObject({ title: 'Only on the record', ocid: procurement.release.ocid });
    const recordPath = `/api/1.0/ocdsReleasePackages/${String(procurement.release.ocid)}`;
    expect(stack.simulator.requests.filter((r) => r.path === recordPath && r.status === 200)).toHaveLength(1);
    const found = (await findings()).filter((f) => f.noticeId === unlisted.id);
    const january = { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-02-01T00:00:00Z') };
    expect(found).toEqual([expect.objectContaining({ kind: 'missing', door: 'record', windowId: 'FIND_A_TENDER:reconcile:2024-01', window: january, slice: january })]);
    expect((await walks()).find((w) => w._id === 'FIND_A_TENDER:reconcile:2024-01')).toMatchObject({ verification: { passes: 4, missing: 1 } });
    // No list walk returned it, so no slice was looked at closer this pass.
    expect((await closerLooks()).filter((w) => w.closerOf?.generation === 3)).toEqual([]);
  });

  it("asks Contracts Finder's record endpoint too: a notice's new version that no search returns is found in the procurement's record package and stored", { timeout: 300_000 }, async () => {
    // A new version of a February notice, listed under its first version's date and left out of every search answer.
    const first = dataset.CONTRACTS_FINDER.filter(inMonth('2024-02')).filter(titled).filter(singleVersion)[4];
    const unlisted = newVersionKeepingPublication(first, new Date('2024-03-10T12:40:00Z'), { title: 'Only on the CF record' });
    stack.simulator.publish('CONTRACTS_FINDER', [unlisted]);
    stack.simulator.setFaults({ omittedRelease: { source: 'CONTRACTS_FINDER', releaseId: unlisted.id, count: 1000 } });
    stack.simulator.resetLog();

    await walkUntil(withRecords, 5);

    expect(await contract('CONTRACTS_FINDER', first.notice)).toMatchObject({ releaseId: unlisted.id, title: 'Only on the CF record', ocid: first.release.ocid });
    const asked = stack.simulator.requests.filter((r) => r.path === `/Published/OCDS/Record/${String(first.release.ocid)}`);
    expect(asked).toEqual([expect.objectContaining({ status: 200, releaseIds: expect.arrayContaining([first.id, unlisted.id]) })]);
    expect(stack.simulator.requests.filter((r) => r.path === '/Published/Notices/OCDS/Search' && r.releaseIds.includes(unlisted.id))).toEqual([]);
    const february = { from: new Date('2024-02-01T00:00:00Z'), to: new Date('2024-03-01T00:00:00Z') };
    expect((await findings()).filter((f) => f.releaseId === unlisted.id)).toEqual([
      expect.objectContaining({ kind: 'newer', door: 'record', storedReleaseId: first.id, changedFields: expect.arrayContaining(['title']), windowId: 'CONTRACTS_FINDER:reconcile:2024-02', window: february, slice: february }),
    ]);
  });

  it("a pass through Contracts Finder's record door over unchanged procurements sends nothing to the write queue", { timeout: 300_000 }, async () => {
    const before = (await findings()).length;
    stack.simulator.resetLog();
    const { writesSent } = await walkUntil(withRecords, 6);

    expect(writesSent).toBe(0);
    expect(await findings()).toHaveLength(before);
    const records = stack.simulator.requests.filter((r) => r.path.startsWith('/Published/OCDS/Record/'));
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.status === 200 && r.releases > 0)).toBe(true);
  });

  it('an unreadable record answer is quarantined with its reason and the walk goes on to close its month', { timeout: 300_000 }, async () => {
    // A January procurement whose record is cut off every time it is asked (its new version is on no list).
    const first = dataset.CONTRACTS_FINDER.filter(inMonth('2024-01')).filter(titled).filter(singleVersion)[3];
    const cutOff = newVersionKeepingPublication(first, new Date('2024-03-10T12:50:00Z'), { title: 'Behind a cut-off record' });
    stack.simulator.publish('CONTRACTS_FINDER', [cutOff]);
    stack.simulator.setFaults({
      omittedRelease: { source: 'CONTRACTS_FINDER', releaseId: cutOff.id, count: 1000 },
      unreadablePage: { source: 'CONTRACTS_FINDER', releaseId: cutOff.id, count: 'always' },
    });
    stack.simulator.resetLog();

    await walkUntil(withRecords, 7);

    const recordUrl = `${stack.simulator.url}/Published/OCDS/Record/${String(first.release.ocid)}`;
    const kept = await stack.db.collection(COLLECTIONS.quarantine).find({ pageUrl: recordUrl }).toArray();
    expect(kept).toEqual([expect.objectContaining({ source: 'CONTRACTS_FINDER', windowId: 'CONTRACTS_FINDER:reconcile:2024-01', reason: expect.stringMatching(/JSON/), rawText: expect.any(String) })]);
    // Asked again twice before it was set aside; the copy keeps what it had.
    expect(stack.simulator.requests.filter((r) => `${stack.simulator.url}${r.path}` === recordUrl).map((r) => r.fault)).toEqual(['unreadablePage', 'unreadablePage', 'unreadablePage']);
    expect(await contract('CONTRACTS_FINDER', first.notice)).toMatchObject({ releaseId: first.id });
    // The month's walk went on past it and closed (its events, where the skip is noted, begin afresh with the next pass).
    expect((await walks()).find((w) => w._id === 'CONTRACTS_FINDER:reconcile:2024-01')).toMatchObject({ verification: { passes: 7, missing: 0, newer: 0 } });
  });
});
