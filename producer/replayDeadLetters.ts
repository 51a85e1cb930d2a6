import type { Db } from 'mongodb';
import { queueBinding } from '../shared/queue/queues.ts';
import { deadLettersCollection, returnToDead, takeForReplay } from '../shared/store/deadLetters.ts';

export interface ReplayReport {
  replayed: string[];
  parked: string[];
}

/**
 * Re-sends stored dead letters to the queue they failed on. Idempotent: a letter is taken (state
 * dead → replayed) before it is sent, so two replays never send it twice; one that failed too many
 * times is parked with its reason instead of looping. A replayed fetch message whose window moved
 * on is recognised as stale by the fetch consumer and changes nothing.
 */
export async function replayDeadLetters(env: Env, db: Db, now: Date): Promise<ReplayReport> {
  const report: ReplayReport = { replayed: [], parked: [] };
  const dead = await deadLettersCollection(db).find({ state: 'dead' }, { projection: { _id: 1 } }).toArray();
  for (const { _id } of dead) {
    const letter = await takeForReplay(db, _id, now);
    if (!letter) {
      const after = await deadLettersCollection(db).findOne({ _id });
      if (after?.state === 'parked') report.parked.push(_id);
      continue;
    }
    try {
      await queueBinding(env, letter.queue).send(letter.body, { contentType: 'json' });
      report.replayed.push(_id);
    } catch (error) {
      await returnToDead(db, _id);
      throw error;
    }
  }
  return report;
}
