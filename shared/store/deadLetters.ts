import type { Db } from 'mongodb';
import type { WorkQueueName } from '../queue/messages.ts';
import { COLLECTIONS } from './db.ts';
import { messageKey } from './messageFailures.ts';

/**
 * A message that failed for good, kept until replayed. Keyed by queue and body, so the same
 * message failing again after a replay comes back to the same document, its `replays` raised.
 *   dead → (replay) → replayed → (fails again) → dead → ... → parked after MAX_REPLAYS
 */
export interface DeadLetterDoc {
  _id: string;
  queue: WorkQueueName;
  body: unknown;
  error: string;
  attempts: number;
  state: 'dead' | 'replayed' | 'parked';
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

/**
 * Takes one dead letter for replay: marks it replayed (raising its count) or, past MAX_REPLAYS,
 * parks it with its reason. Returns it only when it should be re-sent. The state check makes a
 * second replay run skip what the first already took.
 */
export async function takeForReplay(db: Db, id: string, now: Date): Promise<DeadLetterDoc | null> {
  const letters = deadLettersCollection(db);
  const letter = await letters.findOne({ _id: id, state: 'dead' });
  if (!letter) return null;
  if (letter.replays >= MAX_REPLAYS) {
    await letters.updateOne(
      { _id: id, state: 'dead' },
      { $set: { state: 'parked', parkedReason: `failed again after ${letter.replays} replays: ${letter.error}`, lastFailedAt: now } },
    );
    return null;
  }
  const taken = await letters.findOneAndUpdate({ _id: id, state: 'dead', replays: letter.replays }, { $set: { state: 'replayed' }, $inc: { replays: 1 } }, { returnDocument: 'after' });
  return taken;
}

/** Undoes a take whose send failed, so the letter is not lost from the next replay. */
export async function returnToDead(db: Db, id: string): Promise<void> {
  await deadLettersCollection(db).updateOne({ _id: id, state: 'replayed' }, { $set: { state: 'dead' }, $inc: { replays: -1 } });
}
