import type { Db } from 'mongodb';
import { buyerCounts } from '../shared/buyers/buyerCounts.ts';
import { moveKeys, readRegistryKeys, type BuyerKeyDoc } from '../shared/store/buyerKeys.ts';
import { groupLinks } from '../shared/store/buyerLinks.ts';
import { markMergesUndone } from '../shared/store/buyerMerges.ts';
import { writeBuyers } from '../shared/store/buyers.ts';
import { buyerNamesOf, moveJointLinks, moveLinks, pointContractBuyersAt, pointContractsAt, splitBuyer } from '../shared/store/registryMoves.ts';

/** Take these source ids (keys) out of a registry entry, into an entry of their own. */
export interface UnmergeRequest {
  registryId: string;
  sourceIds: string[];
}

export type UnmergePlan = { ok: true; to: string; moving: BuyerKeyDoc[]; staying: BuyerKeyDoc[] } | { ok: false; reason: string };

/**
 * Which keys move where: the new entry is named by the first source id. `keys` are the entry's and
 * those an unmerge took from it; one taken to the same new entry counts as the entry's, so a run
 * cut off midway can be run again. Refused when a source id is not a key of the entry, when it is
 * the entry's own id, or when nothing would stay. Pure.
 */
export function planUnmerge({ registryId, sourceIds }: UnmergeRequest, stored: readonly BuyerKeyDoc[]): UnmergePlan {
  const keys = stored.filter((k) => k.registryId === registryId || k.registryId === sourceIds[0]);
  const unknown = sourceIds.filter((id) => !keys.some((k) => k.key === id));
  if (unknown.length > 0) return { ok: false, reason: `not keys of buyer ${registryId}: ${unknown.join(', ')}` };
  const to = sourceIds[0];
  if (to === registryId) return { ok: false, reason: `${to} is the id of buyer ${registryId} itself: unmerge the other source ids instead` };
  const staying = keys.filter((k) => k.registryId === registryId && !sourceIds.includes(k.key));
  if (staying.length === 0) return { ok: false, reason: `every key of buyer ${registryId} would move: nothing to unmerge from` };
  return { ok: true, to, moving: keys.filter((k) => sourceIds.includes(k.key)), staying };
}

export type UnmergeReport = { ok: true; registryId: string; unmergedTo: string; sourceIds: string[]; contractsMoved: number } | { ok: false; reason: string };

/**
 * Undoes a merge (a join by name, or entries merged by mergeBuyers.ts): the keys move to the new
 * entry first (from then on the write path sends their releases there), then the contracts that
 * came through them, their links, and both entries' counts, recounted from the links as the write
 * path counts. Running it again after a crash finishes the move.
 */
export async function unmergeBuyer(db: Db, request: UnmergeRequest, chunkSize: number, now: Date): Promise<UnmergeReport> {
  const keys = await readRegistryKeys(db, request.registryId);
  const plan = planUnmerge(request, keys);
  if (!plan.ok) return plan;
  // First, so a cut-off unmerge is not merged back by the hourly run: an entry merged automatically
  // and split off again stays apart (its merge is not carried out or made again).
  await markMergesUndone(db, request.sourceIds, chunkSize);
  await moveKeys(db, request.sourceIds, request.registryId, plan.to, { rule: 'unmerged', unmergedFrom: request.registryId }, chunkSize, now);
  const movedLead = await moveLinks(db, request.registryId, plan.to, chunkSize, request.sourceIds);
  await pointContractsAt(db, movedLead, plan.to, chunkSize, now);
  // The joint procurements it co-buys through those source ids move the same way.
  const movedJoint = await moveJointLinks(db, request.registryId, plan.to, chunkSize, request.sourceIds);
  const moved = [...new Set([...movedLead, ...movedJoint])];
  await pointContractBuyersAt(db, moved, request.registryId, plan.to, chunkSize, now);
  // Names as the moved contracts spell them: a key keeps only the name it was first seen with.
  const aliases = moved.length > 0 ? await buyerNamesOf(db, plan.to, moved) : [plan.moving[0].name];
  const aliasesLeft = await buyerNamesOf(db, request.registryId);
  await splitBuyer(
    db,
    { registryId: request.registryId, aliasesGone: aliases.filter((alias) => !aliasesLeft.includes(alias)) },
    { registryId: plan.to, name: aliases[0], aliases, sourceIds: request.sourceIds, sources: [...new Set(moved.map((id) => id.split(':')[0]))] },
    now,
  );
  const entries = [request.registryId, plan.to];
  await writeBuyers(db, [], buyerCounts(await groupLinks(db, entries), entries), chunkSize, now);
  return { ok: true, registryId: request.registryId, unmergedTo: plan.to, sourceIds: request.sourceIds, contractsMoved: moved.length };
}
