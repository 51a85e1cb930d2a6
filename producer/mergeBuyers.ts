import type { Db } from 'mongodb';
import { buyerCounts } from '../shared/buyers/buyerCounts.ts';
import { moveKeys, readRegistryKeys } from '../shared/store/buyerKeys.ts';
import { groupLinks } from '../shared/store/buyerLinks.ts';
import { markMergeDone, readMergesOf, readMergesToRun, type MergeDoc } from '../shared/store/buyerMerges.ts';
import { writeBuyers } from '../shared/store/buyers.ts';
import { appendBuyerMergeChanges } from '../shared/store/changes.ts';
import { joinBuyer, moveJointLinks, moveLinks, pointContractBuyersAt, pointContractsAt, readBuyerDocs, type BuyerJoin, type StoredBuyer } from '../shared/store/registryMoves.ts';

/**
 * A merge done this recently is carried out again: a write batch that read the registry's keys
 * just before they moved may have stored contracts under `from` just after (a batch lasts minutes).
 */
export const RERUN_MS = 2 * 3_600_000;

/**
 * The merges to carry out now, each to its last survivor (`to` may itself have merged since): the
 * pending ones, and those done within RERUN_MS. Undone merges are not read. The survivor rule
 * (consumer/write/resolveBuyers.ts survivorOf) orders entries, so merges never form a cycle; one
 * made by hand merges nothing. Pure.
 */
export function planMerges(merges: readonly MergeDoc[], now: Date): Pick<MergeDoc, 'from' | 'to' | 'rule'>[] {
  const into = new Map(merges.map((m) => [m.from, m.to]));
  const last = (id: string, seen: Set<string>): string | undefined => (!into.has(id) ? id : seen.has(id) ? undefined : last(into.get(id)!, seen.add(id)));
  return merges
    .filter((m) => m.state === 'pending' || (m.doneAt !== undefined && now.getTime() - m.doneAt.getTime() < RERUN_MS))
    .flatMap((m) => {
      const to = last(m.to, new Set([m.from]));
      return to === undefined ? [] : [{ from: m.from, to, rule: m.rule }];
    });
}

/** The survivors the merges name whose own merge, if any, is not among them yet. Pure. */
export function survivorsToFollow(merges: readonly MergeDoc[], asked: ReadonlySet<string>): string[] {
  return [...new Set(merges.map((m) => m.to))].filter((id) => !asked.has(id) && !merges.some((m) => m.from === id));
}

/**
 * The merges to plan from: those to run now, and the older merges of their survivors, down each
 * chain (one query a link of the longest chain; a chain is as long as an organisation has entries).
 */
async function readMergesToPlan(db: Db, now: Date): Promise<MergeDoc[]> {
  const merges = await readMergesToRun(db, new Date(now.getTime() - RERUN_MS));
  const asked = new Set<string>();
  for (let ids = survivorsToFollow(merges, asked); ids.length > 0; ids = survivorsToFollow(merges, asked)) {
    for (const id of ids) asked.add(id);
    merges.push(...(await readMergesOf(db, ids)));
  }
  return merges;
}

/** Fields a buyer holds once, filled in from the merged entry where the survivor lacks them. */
const DESCRIPTIVE = ['website', 'description', 'locality', 'postalCode', 'contacts'] as const;

/**
 * What `from`'s document gives `to`'s: its names, source ids and services; the fields a person
 * locked on `from` that `to` has not locked (a locked field of `to` wins); descriptive fields `to`
 * lacks; the wider first/last seen. `sector` and `region` are not copied: they follow from the
 * links when both are recounted. Pure.
 */
export function joinedBuyer(to: StoredBuyer | undefined, from: StoredBuyer): BuyerJoin {
  const lockedByTo = new Set(to?.locked ?? []);
  const locked = (from.locked ?? []).filter((field) => !lockedByTo.has(field) && hasValue(from[field]));
  const lacking = DESCRIPTIVE.filter((field) => hasValue(from[field]) && !hasValue(to?.[field]));
  return {
    nameIfNew: from.name ?? from._id,
    set: Object.fromEntries([...lacking, ...locked].map((field) => [field, from[field]])),
    lists: { aliases: from.aliases ?? [], sourceIds: from.sourceIds ?? [], sources: from.sources ?? [], locked },
    min: from.firstSeen ? { firstSeen: from.firstSeen } : {},
    max: from.lastSeen ? { lastSeen: from.lastSeen } : {},
  };
}

const hasValue = (value: unknown): boolean => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);

/** A tombstone already left for `to` with nothing more to give: a run again writes nothing. */
const givesNothing = (from: StoredBuyer, to: string, join: BuyerJoin): boolean =>
  from.mergedInto === to && Object.keys(join.set).length === 0 && Object.values(join.lists).every((list) => list.length === 0);

export interface MergeReport {
  merged: { from: string; to: string; contractsMoved: number }[];
}

/**
 * Carries out the merges the write path recorded (store/buyerMerges.ts), the mirror of an admin's
 * unmerge (unmergeBuyer.ts), one merge at a time:
 *   1. every key of `from` points at `to` (the merge's rule, `mergedFrom`): from then on the write
 *      path sends their releases to `to`;
 *   2. `from`'s links move to `to`, and their contracts' `buyerOrg` with them; so do the joint
 *      procurements `from` co-buys (the link's `joint`, the contract's `buyers`); each contract
 *      gets a `buyer merged` entry in the change feed;
 *   3. `from`'s document joins `to`'s and stays as a tombstone (`mergedInto`);
 *   4. both are recounted from their links, as the write path counts;
 *   5. the merge is marked done.
 * Every step is idempotent, so a run cut off anywhere is finished by the next. Undo with POST
 * /admin/buyers/unmerge and the source ids `from` had.
 */
export async function mergeBuyers(db: Db, chunkSize: number, now: Date): Promise<MergeReport> {
  const report: MergeReport = { merged: [] };
  for (const { from, to, rule } of planMerges(await readMergesToPlan(db, now), now)) {
    const keys = (await readRegistryKeys(db, from)).filter((k) => k.registryId === from).map((k) => k.key);
    await moveKeys(db, keys, from, to, { rule, mergedFrom: from }, chunkSize, now);
    const moved = await moveLinks(db, from, to, chunkSize);
    await pointContractsAt(db, moved, to, chunkSize, now);
    // A joint procurement's co-buyers move the same way, and its contract's `buyers` (the lead's entry too).
    const movedJoint = await moveJointLinks(db, from, to, chunkSize);
    await pointContractBuyersAt(db, [...new Set([...moved, ...movedJoint])], from, to, chunkSize, now);
    await appendBuyerMergeChanges(db, from, to, moved, movedJoint, chunkSize);
    const docs = await readBuyerDocs(db, [from, to]);
    const fromDoc = docs.get(from);
    const join = fromDoc && joinedBuyer(docs.get(to), fromDoc);
    if (fromDoc && join && !givesNothing(fromDoc, to, join)) await joinBuyer(db, from, to, join, now);
    const entries = [to, from];
    await writeBuyers(db, [], buyerCounts(await groupLinks(db, entries), entries), chunkSize, now);
    await markMergeDone(db, from, now);
    report.merged.push({ from, to, contractsMoved: new Set([...moved, ...movedJoint]).size });
  }
  return report;
}
