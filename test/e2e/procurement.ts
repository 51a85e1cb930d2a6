import { describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { waitForWindows } from '../../scripts/local/progress.ts';
import { adminHeaders } from '../../scripts/local/workerHeaders.ts';
import { readConfig } from '../../shared/config.ts';
import { mapRelease } from '../../shared/mapping/mapRelease.ts';
import { parseRelease } from '../../shared/ocds/releaseSchema.ts';
import { SOURCE_NAMES } from '../../shared/sources/sourceName.ts';
import { sources } from '../../shared/sources/sources.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import type { RecordDoc } from '../../shared/store/records.ts';
import { makeWriteBatches } from '../factories.ts';
import type { SimRelease } from '../simulator/dataset.ts';
import type { BackfillRun } from './backfillRun.ts';

/**
 * One procurement followed end to end under wrangler dev: after the shared backfill (backfillRun.ts), FTS publishes an
 * amendment of a tender notice (a new release of the same notice: new title and value) and then an
 * award notice on the same ocid. An operator's replan of that range fetches them; then the tender's contract has the
 * newest values and reads AWARDED, one record holds both notices with a history entry for the
 * changed value, and writing every served release again changes nothing.
 *
 * A new delta window needs 15 minutes of wall clock after the last one (the cron cannot be given
 * another clock under wrangler dev), so the two releases are published inside the last delta window
 * the backfill fetched, and that range is planned again (`POST /admin/replan`, as an operator would:
 * a failed window restarted by the cron resumes from its checkpoint, so it would not ask those pages
 * again), which also writes every other release of the window a second time.
 * The tender is the backfill's own (`ownTender`).
 */
const NEW_TITLE = 'Road gritting (amended: value corrected)';
const NEW_AMOUNT = 123_456.78;
const SUPPLIER = 'End To End Gritters Ltd';

export function describeProcurement(run: BackfillRun): void {
  describe('a procurement amended and awarded after the backfill', () => {
    let tender: SimRelease;
    let amendment: SimRelease;
    let award: SimRelease;
    const db = (): Db => run.stack.db;
    const contractOf = (noticeId: string) => db().collection(COLLECTIONS.contracts).findOne({ source: 'FIND_A_TENDER', noticeId });
    const recordOf = (ocid: string) => db().collection<RecordDoc>(COLLECTIONS.records).findOne({ _id: `FIND_A_TENDER:${ocid}` });
    const snapshot = () => Promise.all([COLLECTIONS.contracts, COLLECTIONS.records, COLLECTIONS.buyers, COLLECTIONS.buyerLinks].map((c) => db().collection(c).find({}).sort({ _id: 1 }).toArray()));

    it('fetches the amendment and the award at the next cron run', async () => {
      const delta = (await db().collection(COLLECTIONS.syncJobs).find({ kind: 'window', source: 'FIND_A_TENDER', span: 'delta' }).sort({ to: -1 }).limit(1).toArray())[0];
      const from = delta.from.getTime();
      const to = delta.to.getTime();
      tender = run.stack.dataset!.FIND_A_TENDER.find((r) => r.id === run.ownTender.id)!;
      // In the last delta window, early enough to be amended after, alone on its ocid.
      expect(tender.date.getTime(), 'the tender in the last delta window').toBeGreaterThanOrEqual(from);
      expect(tender.date.getTime()).toBeLessThan(to - 120_000);
      expect(run.stack.dataset!.FIND_A_TENDER.filter((r) => r.release.ocid === run.ownTender.release.ocid)).toHaveLength(1);
      expect(await contractOf(tender.id)).toMatchObject({ noticeStatus: 'OPEN' });

      const at = (share: number) => new Date(tender.date.getTime() + (to - tender.date.getTime()) * share);
      amendment = republished(tender, tender.id, at(0.3), (r) => {
        const t = r.tender as { title: string; value: { amount: number } };
        t.title = NEW_TITLE;
        t.value.amount = NEW_AMOUNT;
      });
      award = republished(amendment, `${String(990_000 + Math.floor(Math.random() * 9_999)).padStart(6, '0')}-${new Date().getUTCFullYear()}`, at(0.6), (r) => {
        r.tag = ['award'];
        (r.tender as { status?: string }).status = 'complete';
        r.awards = [{ id: '1', status: 'active', date: at(0.6).toISOString(), value: { amount: 118_000, currency: 'GBP' }, suppliers: [{ id: 'GB-COH-E2E00001', name: SUPPLIER }] }];
      });
      run.stack.simulator!.publish('FIND_A_TENDER', [amendment, award]);

      // The operator's way to fetch a range again: a window restarted after a failure resumes from its checkpoint.
      const replan = await fetch(`${run.stack.worker.url}/admin/replan`, {
        method: 'POST',
        headers: adminHeaders(run.stack.adminToken),
        body: JSON.stringify({ source: 'FIND_A_TENDER', from: amendment.date.toISOString(), to: new Date(award.date.getTime() + 1).toISOString() }),
      });
      expect(replan.status, await replan.clone().text()).toBe(200);
      await waitForWindows(db(), { until: 'closed', timeoutMs: 100_000, idleMs: 30_000, onIdle: () => run.stack.worker.runCron() });
      expect(await db().collection(COLLECTIONS.syncJobs).findOne({ _id: delta._id })).toMatchObject({ state: 'done' });
    }, 120_000);

    it('keeps one contract per notice, with the newest values, and the tender reads AWARDED', async () => {
      const tenderContracts = await db().collection(COLLECTIONS.contracts).find({ source: 'FIND_A_TENDER', ocid: tender.release.ocid }).sort({ releaseDate: 1 }).toArray();
      expect(tenderContracts.map((c) => c.noticeId)).toEqual([tender.id, award.id]);
      expect(tenderContracts[0]).toMatchObject({ title: NEW_TITLE, releaseDate: amendment.date, status: 'AWARDED', noticeStatus: 'OPEN' });
      expect(tenderContracts[1]).toMatchObject({ status: 'AWARDED', noticeStatus: 'AWARDED', stage: 'AWARD' });
    });

    it('holds both notices in one record, AWARDED, with the changed value in its history', async () => {
      const record = (await recordOf(String(tender.release.ocid)))!;
      expect(record.notices.map((n) => [n.noticeId, n.noticeStatus, n.date])).toEqual([
        [tender.id, 'OPEN', amendment.date],
        [award.id, 'AWARDED', award.date],
      ]);
      expect(record).toMatchObject({ status: 'AWARDED', stage: 'AWARD', awardedSuppliers: [{ id: 'GB-COH-E2E00001', name: SUPPLIER }], lastUpdated: award.date });
      expect(record.compiledRelease).toMatchObject({ tender: { title: NEW_TITLE, value: { amount: NEW_AMOUNT } }, awards: [{ id: '1', status: 'active' }] });
      const oldAmount = (tender.release.tender as { value: { amount: number } }).value.amount;
      expect(record.history).toContainEqual({ path: 'tender.value.amount', old: oldAmount, new: NEW_AMOUNT, noticeId: tender.id, date: amendment.date });
      // One record per procurement.
      const ocids = await db().collection(COLLECTIONS.contracts).distinct('ocid', { source: 'FIND_A_TENDER' });
      expect(await db().collection(COLLECTIONS.records).countDocuments({ source: 'FIND_A_TENDER' })).toBe(ocids.length);
    });

    it('changes nothing when every served release is written again', async () => {
      const started = new Date();
      const before = await snapshot();
      const config = readConfig({ MONGODB_URI: 'mongodb://unused', WRITE_CHUNK_SIZE: '20' });
      for (const source of SOURCE_NAMES) {
        const served = new Set(run.stack.simulator!.stats().servedReleaseIds[source]);
        const latest = new Map([...run.stack.dataset![source], ...(source === 'FIND_A_TENDER' ? [amendment, award] : [])].map((r) => [r.id, r]));
        const mapped = await Promise.all(
          [...latest.values()].filter((r) => served.has(r.id)).map(async (r) => {
            const parsed = parseRelease(r.release);
            if (!parsed.ok) throw new Error(`${r.id}: ${parsed.reason}`);
            return mapRelease(sources[source], parsed.release, { storeRaw: 'object' });
          }),
        );
        for (const batch of makeWriteBatches(mapped, { windowId: `${source}:rewrite`, pageSize: 100 })) await storeWriteBatch(db(), config, batch);
      }
      // A tender whose deadline passed while this ran is rightly CLOSED now: left out of the comparison.
      const passing = (docs: Awaited<ReturnType<typeof snapshot>>) => {
        const ocids = new Set(docs[1].filter((r) => r.deadlineDate >= started && r.deadlineDate <= new Date()).map((r) => r.ocid));
        return docs.map((list) => list.filter((d) => !ocids.has(d.ocid)));
      };
      expect(passing(await snapshot())).toEqual(passing(before));
    });
  });
}

/** A release of `from`'s procurement published again: a new version of the notice (same id) or another notice. */
function republished(from: SimRelease, id: string, date: Date, change: (release: Record<string, unknown>) => void): SimRelease {
  const release = structuredClone(from.release);
  Object.assign(release, { id, date: date.toISOString() });
  change(release);
  return { id, notice: id, date, release };
}
