import type { Db } from 'mongodb';
import { queueBinding } from '../shared/queue/queues.ts';
import { claimLetter, listReplayable, markReplayed, MAX_REPLAYS, parkLetter, type DeadLetterDoc } from '../shared/store/deadLetters.ts';

export interface ReplayReport {
  replayed: string[];
  parked: string[];
}

/** How long a replay may take between claiming a letter and marking it sent. */
const CLAIM_MS = 5 * 60_000;

/** What a replay does with a letter: send it again, or park it when it failed too often. Pure. */
export function replayAction(letter: Pick<DeadLetterDoc, 'replays' | 'error'>, maxReplays = MAX_REPLAYS): { kind: 'send' } | { kind: 'park'; reason: string } {
  if (letter.replays >= maxReplays) return { kind: 'park', reason: `failed again after ${letter.replays} replays: ${letter.error}` };
  return { kind: 'send' };
}

/**
 * Re-sends stored dead letters to the queue they failed on: claim (with a lease), send, then mark.
 * Two replays never both take a letter; a replay cut off midway leaves a claim that lapses, and
 * the next replay takes it over, so no letter is ever stranded. A letter re-sent twice that way is
 * harmless: the consumers are idempotent, and a stale fetch message is recognised and dropped.
 */
export async function replayDeadLetters(env: Env, db: Db, now: Date): Promise<ReplayReport> {
  const report: ReplayReport = { replayed: [], parked: [] };
  for (const letter of await listReplayable(db, now)) {
    const action = replayAction(letter);
    if (action.kind === 'park') {
      await parkLetter(db, letter, action.reason, now);
      report.parked.push(letter._id);
      continue;
    }
    if (!(await claimLetter(db, letter, CLAIM_MS, now))) continue;
    await queueBinding(env, letter.queue).send(letter.body, { contentType: 'json' });
    await markReplayed(db, letter._id);
    report.replayed.push(letter._id);
  }
  return report;
}
