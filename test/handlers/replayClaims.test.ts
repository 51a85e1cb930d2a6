import { beforeEach, describe, expect, it } from 'vitest';
import { replayDeadLetters } from '../../producer/replayDeadLetters.ts';
import { claimLetter, deadLettersCollection, storeDeadLetter } from '../../shared/store/deadLetters.ts';
import { messageKey } from '../../shared/store/messageFailures.ts';
import { makeWriteMessage } from '../factories.ts';
import { RecordingQueue } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';

/**
 * A replay claims a letter with a lease, sends it, then marks it: a replay cut off anywhere in
 * between never strands a letter, because the next replay takes an expired claim over.
 */
const stack = handlerStack({ prefix: 'h_claims', perTest: 'database' });
const body = makeWriteMessage({ windowId: 'FIND_A_TENDER:2018-03' });
const id = messageKey('write', body);
const t0 = new Date('2026-11-25T10:00:00Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

beforeEach(async () => {
  await storeDeadLetter(stack.db, { queue: 'write', body, error: 'HTTP 500', attempts: 9, messageId: 'm1' }, t0);
});

const letter = () => deadLettersCollection(stack.db).findOne({ _id: id });

/** A write queue whose first send fails, as a replay cut off between claiming and sending would. */
class FailingOnceQueue extends RecordingQueue {
  private failed = false;
  override async send(message: unknown, options?: QueueSendOptions): Promise<QueueSendResponse> {
    if (!this.failed) {
      this.failed = true;
      throw new Error('connection reset');
    }
    return super.send(message, options);
  }
}

describe('replay claims', () => {
  it('a claim left by a replay that died is taken over once it lapses, not before', async () => {
    const dead = (await letter())!;
    expect(await claimLetter(stack.db, dead, 5 * 60_000, t0)).toBe(true);

    expect(await replayDeadLetters(stack.env, stack.db, minutes(1))).toEqual({ replayed: [], parked: [] });
    expect(stack.env.WRITE_QUEUE.sent).toHaveLength(0);
    expect(await letter()).toMatchObject({ state: 'claimed', replays: 1 });

    expect(await replayDeadLetters(stack.env, stack.db, minutes(6))).toEqual({ replayed: [id], parked: [] });
    expect(stack.env.WRITE_QUEUE.bodies()).toEqual([body]);
    expect(await letter()).toMatchObject({ state: 'replayed', replays: 2 });
  });

  it('a send that fails leaves the letter claimed, and a later replay sends it', async () => {
    const failing = { ...stack.env, WRITE_QUEUE: new FailingOnceQueue() };
    await expect(replayDeadLetters(failing, stack.db, t0)).rejects.toThrow('connection reset');
    expect(await letter()).toMatchObject({ state: 'claimed' });

    expect(await replayDeadLetters(failing, stack.db, minutes(6))).toEqual({ replayed: [id], parked: [] });
    expect(failing.WRITE_QUEUE.bodies()).toEqual([body]);
    expect(await letter()).toMatchObject({ state: 'replayed' });
  });

  it('two replays at once send a letter once', async () => {
    const [a, b] = await Promise.all([replayDeadLetters(stack.env, stack.db, t0), replayDeadLetters(stack.env, stack.db, t0)]);
    expect([...a.replayed, ...b.replayed]).toEqual([id]);
    expect(stack.env.WRITE_QUEUE.sent).toHaveLength(1);
  });
});
