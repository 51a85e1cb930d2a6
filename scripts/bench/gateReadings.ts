/**
 * The RateGate Durable Objects' own count of the calls they served during a run, read through the
 * Worker's GET /gates. The count lives in the object's memory, and workerd evicts an object after
 * 10 s without a call (FTS's gate sits idle once FTS is done and CF is not): so the gates are read
 * every few seconds, which keeps them in memory, and those reads are taken off the count.
 */
import * as v from 'valibot';
import { setTimeout as sleep } from 'node:timers/promises';
import { usageBetween, type GateUsage, type UsageBetween } from '../../shared/rateGate/gateUsage.ts';
import { SOURCE_NAMES, type SourceName } from '../../shared/sources/sourceName.ts';
import { statusHeaders } from '../local/workerHeaders.ts';

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Usage = v.object({
  startedAt: v.number(),
  calls: v.object({ reserve: count, pause: count, failed: count, served: count, hold: count, release: count, status: count }),
  rowsWritten: count,
});
const Gates = v.object(Object.fromEntries(SOURCE_NAMES.map((source) => [source, v.object({ usage: Usage })])) as Record<SourceName, v.ObjectSchema<{ usage: typeof Usage }, undefined>>);

/** Well inside workerd's 10 s eviction of an idle object. */
const READ_EVERY_MS = 4_000;

export interface GateReadings {
  /** The latest reading (at most READ_EVERY_MS old) and the reads made so far: two marks give what was served between them (usageBetween). */
  mark(): GateMark;
  /** Stops reading; what each gate served since the first reading, the readings themselves taken off. */
  stop(): Promise<Record<SourceName, UsageBetween>>;
}

export interface GateMark {
  usage: Record<SourceName, GateUsage>;
  reads: number;
}

/** What a source's gate served between two marks, the reader's own reads taken off. */
export function servedBetween(a: GateMark, b: GateMark, source: SourceName): UsageBetween {
  return usageBetween(a.usage[source], b.usage[source], b.reads - a.reads);
}

export async function readGatesThroughout(workerUrl: string): Promise<GateReadings> {
  const first = await readGates(workerUrl);
  let last = first;
  let reads = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      // Unreferenced: if the run fails before `stop`, this loop does not keep the bench alive.
      await sleep(READ_EVERY_MS, undefined, { ref: false });
      if (stopped) break;
      // Counted before the answer: a read that failed may still have reached the gate (a lower bound then).
      reads++;
      last = await readGates(workerUrl).catch(() => last);
    }
  })();
  return {
    mark: () => ({ usage: last, reads }),
    async stop() {
      stopped = true;
      await loop;
      reads++;
      last = await readGates(workerUrl);
      return Object.fromEntries(SOURCE_NAMES.map((s) => [s, usageBetween(first[s], last[s], reads)])) as Record<SourceName, UsageBetween>;
    },
  };
}

async function readGates(workerUrl: string): Promise<Record<SourceName, GateUsage>> {
  const response = await fetch(`${workerUrl}/gates`, { headers: statusHeaders(), signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`GET /gates answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  const gates = v.parse(Gates, await response.json());
  return Object.fromEntries(SOURCE_NAMES.map((s) => [s, gates[s].usage])) as Record<SourceName, GateUsage>;
}
