import { describe, expect, it } from 'vitest';
import { replayAction } from './replayDeadLetters.ts';

describe('replayAction', () => {
  it.each([
    { replays: 0, kind: 'send' },
    { replays: 2, kind: 'send' },
    { replays: 3, kind: 'park' },
    { replays: 7, kind: 'park' },
  ])('after $replays replays of at most 3: $kind', ({ replays, kind }) => {
    expect(replayAction({ replays, error: 'HTTP 400' }, 3).kind).toBe(kind);
  });

  it('parks with the last error, so the reason stays visible', () => {
    expect(replayAction({ replays: 3, error: 'HTTP 400 for https://x' }, 3)).toEqual({ kind: 'park', reason: 'failed again after 3 replays: HTTP 400 for https://x' });
  });
});
