import type { Db } from 'mongodb';
import type { WorkQueueName } from '../queue/messages.ts';
import { COLLECTIONS } from './db.ts';
import { insertNew } from './insertNew.ts';
import { messageKey } from './messageFailures.ts';

/**
 * A message that failed for good, kept until replayed. Keyed by queue and body, so the same
 * message failing again after a replay comes back to the same document, its `replays` raised.
 *   dead → (claim) → claimed → (sent) → replayed → (fails again) → dead → ... → parked after MAX_REPLAYS
 * A claim has a lease: a replay cut off between claiming and marking never strands the letter,
 * the next replay takes the expired claim over (and sends it again: consumers are idempotent).
 */
export interface DeadLetterDoc {
  _id: string;
  queue: WorkQueueName;
  body: unknown;
  error: string;
  attempts: number;
  state: 'dead' | 'claimed' | 'replayed' | 'parked';
  /** While claimed: when the claim lapses and another replay may take the letter. */
  claimedUntil?: Date | null;
  replays: number;
  parkedReason: string | null;
  /** Queue message ids seen, so a redelivery of the same dead letter is not counted twice. */
  messageIds: string[];
  firstFailedAt: Date;
  lastFailedAt: Date;
}

export const MAX_REPLAYS = 3;

export function deadLettersCollection(db: Db) {
  return db.collection<DeadLetterDoc>(COLLECTIONS.deadLetters);
}

export async function storeDeadLetter(
  db: Db,
  letter: { queue: WorkQueueName; body: unknown; error: string; attempts: number; messageId: string },
  now: Date,
): Promise<void> {
  await deadLettersCollection(db).updateOne(
    { _id: messageKey(letter.queue, letter.body) },
    {
      $setOnInsert: { queue: letter.queue, body: letter.body, replays: 0, parkedReason: null, firstFailedAt: now },
      $set: { error: letter.error, attempts: letter.attempts, state: 'dead', lastFailedAt: now },
      $addToSet: { messageIds: letter.messageId },
    },
    { upsert: true },
  );
}

/** Letters a replay may take: dead ones, and claims a replay that died left behind (expired). */
export async function listReplayable(db: Db, now: Date): Promise<DeadLetterDoc[]> {
  return deadLettersCollection(db)
    .find({ $or: [{ state: 'dead' }, { state: 'claimed', claimedUntil: { $lt: now } }] })
    .toArray();
}

/**
 * Claims a letter for one replay, counting the replay now: if the re-sent message fails again
 * before the replay marks it, the letter is dead again with the count already raised. False when
 * another replay took it first. Who wins is decided by inserting the claim under a key of its own
 * (letter and replay number): a unique key is atomic on every server, where a conditional update
 * is not on FerretDB.
 */
export async function claimLetter(db: Db, letter: Pick<DeadLetterDoc, '_id' | 'replays'>, leaseMs: number, now: Date): Promise<boolean> {
  const claims = db.collection<{ _id: string; letterId: string; claimedAt: Date }>(COLLECTIONS.deadLetterClaims);
  const taken = await insertNew(claims, [{ _id: `${letter._id}#${letter.replays}`, letterId: letter._id, claimedAt: now }]);
  if (taken.size > 0) return false;
  await deadLettersCollection(db).updateOne(
    { _id: letter._id, replays: letter.replays },
    { $set: { state: 'claimed', claimedUntil: new Date(now.getTime() + leaseMs) }, $inc: { replays: 1 } },
  );
  return true;
}

/** The claimed letter was sent: replayed, unless it already failed again (then it is dead, as stored). */
export async function markReplayed(db: Db, id: string): Promise<void> {
  await deadLettersCollection(db).updateOne({ _id: id, state: 'claimed' }, { $set: { state: 'replayed', claimedUntil: null } });
}

/** Stops replaying a letter: it stays, visible, with why. */
export async function parkLetter(db: Db, letter: Pick<DeadLetterDoc, '_id' | 'state' | 'replays'>, reason: string, now: Date): Promise<void> {
  await deadLettersCollection(db).updateOne(
    { _id: letter._id, state: letter.state, replays: letter.replays },
    { $set: { state: 'parked', parkedReason: reason, claimedUntil: null, lastFailedAt: now } },
  );
}
