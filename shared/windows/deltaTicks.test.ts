import { describe, expect, it } from 'vitest';
import { DELTA_MIN_NEW_MS, tickNow, ticksAfterCron } from './deltaTicks.ts';
import { planDeltaWindow } from './planWindows.ts';
import { readConfig } from '../config.ts';
import { ukLocalIsAmbiguous } from '../time/ukTime.ts';

const MINUTE = 60_000;

describe('ticksAfterCron', () => {
  it('sends the rest of the hour, every five minutes, each at the instant it is due', () => {
    const cron = new Date('2026-11-25T10:07:00Z');
    const ticks = ticksAfterCron(cron, 5);
    expect(ticks.map((t) => t.delaySeconds)).toEqual([300, 600, 900, 1200, 1500, 1800, 2100, 2400, 2700, 3000, 3300]);
    expect(ticks.map((t) => t.at.toISOString().slice(11, 16))).toEqual(['10:12', '10:17', '10:22', '10:27', '10:32', '10:37', '10:42', '10:47', '10:52', '10:57', '11:02']);
  });

  it.each([
    [15, ['10:22', '10:37', '10:52']],
    [30, ['10:37']],
    [0, []],
  ])('every %i minutes: %j', (every, times) => {
    expect(ticksAfterCron(new Date('2026-11-25T10:07:00Z'), every).map((t) => t.at.toISOString().slice(11, 16))).toEqual(times);
  });
});

describe('tickNow', () => {
  it.each([
    // due, clock, plans as of, why
    ['10:12', '10:12', '10:12', 'on time'],
    ['10:12', '10:40', '10:12', 'late: no further than it was due (the later ticks cover the rest)'],
    ['10:12', '10:11', '10:11', 'delivered early: never past the clock'],
  ])('due %s, clock %s: plans as of %s (%s)', (due, clock, expected) => {
    const at = (hhmm: string) => new Date(`2026-11-25T${hhmm}:00Z`);
    expect(tickNow(at(due), at(clock))).toEqual(at(expected));
  });
});

/**
 * The schedule and the bounds together: a release published at any second of an hour is inside a
 * delta window planned within ten minutes of it, whatever the ticks' lateness or duplication, and
 * every window overlaps the one before by at least 15 minutes.
 */
describe('ticks and delta windows together', () => {
  function run(ticks: { at: number; times: number }[], start = '2026-11-25T10:00:00Z') {
    let cursor = new Date(start);
    const windows: { from: Date; to: Date; plannedAt: Date }[] = [];
    for (const { at, times } of ticks) {
      for (let i = 0; i < times; i++) {
        const now = new Date(Date.parse(start) + at * MINUTE);
        const window = planDeltaWindow('FIND_A_TENDER', cursor, now, DELTA_MIN_NEW_MS);
        if (!window) continue;
        windows.push({ ...window, plannedAt: now });
        cursor = window.to;
      }
    }
    return windows;
  }
  const everyFive = (from: number, to: number) => Array.from({ length: (to - from) / 5 + 1 }, (_, i) => ({ at: from + i * 5, times: 1 }));

  it.each([
    { name: 'every tick on time, once', ticks: everyFive(7, 127) },
    { name: 'every tick delivered twice', ticks: everyFive(7, 127).map((t) => ({ ...t, times: 2 })) },
    { name: 'one tick lost', ticks: everyFive(7, 127).filter((t) => t.at !== 42) },
    { name: 'ticks 3 minutes late', ticks: everyFive(7, 127).map((t) => ({ ...t, at: t.at + 3 })) },
  ])('$name: contiguous coverage with ≥15 min overlap and no window twice', ({ name, ticks }) => {
    const windows = run(ticks);
    for (let i = 1; i < windows.length; i++) {
      expect(windows[i - 1].to.getTime() - windows[i].from.getTime()).toBeGreaterThanOrEqual(15 * MINUTE);
      expect(windows[i].to > windows[i - 1].to).toBe(true);
    }
    // Every minute between the first and the last window is covered within 10 minutes (a lost tick: 15).
    const bound = name === 'one tick lost' ? 15 * MINUTE : 10 * MINUTE;
    for (let t = windows[0].to.getTime(); t < windows.at(-1)!.to.getTime(); t += 30_000) {
      const first = windows.find((w) => w.from.getTime() <= t && t < w.to.getTime());
      expect(first, `published at ${new Date(t).toISOString()}`).toBeDefined();
      expect(first!.plannedAt.getTime() - t).toBeLessThanOrEqual(bound);
    }
  });

  it('across the autumn night: no bound in the repeated hour, still contiguous and overlapping; the night waits out the two ambiguous UTC hours', () => {
    const windows = run(everyFive(7, 6 * 60), '2024-10-26T22:00:00Z');
    for (const w of windows) expect([w.from, w.to].some(ukLocalIsAmbiguous), `${w.from.toISOString()}..${w.to.toISOString()}`).toBe(false);
    for (let i = 1; i < windows.length; i++) {
      expect(windows[i - 1].to.getTime() - windows[i].from.getTime()).toBeGreaterThanOrEqual(15 * MINUTE);
    }
    // 00:00-02:00 UTC is local 01:00-02:00 twice: nothing ends there, the first window after ends at 02:xx UTC.
    const gap = windows.find((w, i) => i > 0 && w.plannedAt.getTime() - windows[i - 1].plannedAt.getTime() > 10 * MINUTE);
    expect(gap?.to.toISOString().slice(0, 13)).toBe('2024-10-27T02');
  });
});

/**
 * Ten-minute freshness as the Worker runs by default: the hourly cron (wrangler.toml: minute 7)
 * plans a delta itself and sends `ticksAfterCron` at the default DELTA_TICK_MINUTES; the queue
 * delivers each tick after its `delaySeconds` (here also some minutes late), and the tick plans as
 * of `tickNow`. Every instant must lie in a window planned within 10 minutes of it.
 */
describe('the default tick schedule', () => {
  const everyMinutes = readConfig({ MONGODB_URI: 'mongodb://localhost/' }).DELTA_TICK_MINUTES;

  function windowsOver(hours: number, lateMinutes: number) {
    const deliveries: { clock: Date; now: Date }[] = [];
    for (let h = 0; h < hours; h++) {
      const cron = new Date(Date.parse('2026-11-25T10:07:00Z') + h * 60 * MINUTE);
      deliveries.push({ clock: cron, now: cron });
      for (const tick of ticksAfterCron(cron, everyMinutes)) {
        const clock = new Date(cron.getTime() + tick.delaySeconds * 1000 + lateMinutes * MINUTE);
        deliveries.push({ clock, now: tickNow(tick.at, clock) });
      }
    }
    deliveries.sort((a, b) => a.clock.getTime() - b.clock.getTime());
    let cursor = new Date('2026-11-25T10:00:00Z');
    const windows: { from: Date; to: Date; plannedAt: Date }[] = [];
    for (const { clock, now } of deliveries) {
      const window = planDeltaWindow('FIND_A_TENDER', cursor, now, DELTA_MIN_NEW_MS);
      if (!window) continue;
      windows.push({ ...window, plannedAt: clock });
      cursor = window.to;
    }
    return windows;
  }

  it.each([0, 3])('ticks delivered %i minutes after their delay: every instant planned within 10 minutes', (lateMinutes) => {
    const windows = windowsOver(3, lateMinutes);
    expect(windows.length).toBeGreaterThanOrEqual(3);
    let worst = { lag: 0, at: windows[0].to };
    for (let t = windows[0].to.getTime(); t < windows.at(-1)!.to.getTime(); t += 30_000) {
      const first = windows.find((w) => w.from.getTime() <= t && t < w.to.getTime());
      expect(first, `published at ${new Date(t).toISOString()}`).toBeDefined();
      const lag = first!.plannedAt.getTime() - t;
      if (lag > worst.lag) worst = { lag, at: new Date(t) };
    }
    expect(worst.lag / MINUTE, `every ${everyMinutes} min: published at ${worst.at.toISOString()}, planned ${worst.lag / MINUTE} min later`).toBeLessThanOrEqual(10);
  });
});
