import { describe, expect, it } from 'vitest';
import { oneWholeMonthAtATime } from './oneWholeMonthAtATime.ts';

describe('oneWholeMonthAtATime', () => {
  it('runs one window after another, whatever the first one does', async () => {
    const events: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = oneWholeMonthAtATime(async () => {
      events.push('first starts');
      await held;
      events.push('first ends');
      throw new Error('first failed');
    });
    const second = oneWholeMonthAtATime(async () => {
      events.push('second starts');
      return 2;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(events).toEqual(['first starts']);
    release();
    await expect(first).rejects.toThrow('first failed');
    await expect(second).resolves.toBe(2);
    expect(events).toEqual(['first starts', 'first ends', 'second starts']);
  });
});
