import type { SlotBook } from './slotBook.ts';

/** The gate's RPC methods: each call is one billed Durable Object request. */
export const GATE_METHODS = ['reserve', 'pause', 'failed', 'served', 'hold', 'release', 'status'] as const;
export type GateMethod = (typeof GATE_METHODS)[number];

/**
 * What one instance of a gate has served since it started: kept in memory only (counting must
 * not cost a storage write), so it restarts with the object. `startedAt` tells a reader whether two
 * readings come from the same instance.
 */
export interface GateUsage {
  startedAt: number;
  /** Calls served, by method; a `status` call counts itself. */
  calls: Record<GateMethod, number>;
  /** Storage writes (`storage.put` of the book): one SQLite row each. */
  rowsWritten: number;
}

/** A gate's answer to `status`: its book, and what it has served. */
export type GateStatus = SlotBook & { usage: GateUsage };

export function newUsage(startedAt: number): GateUsage {
  return { startedAt, calls: { reserve: 0, pause: 0, failed: 0, served: 0, hold: 0, release: 0, status: 0 }, rowsWritten: 0 };
}

export function countCall(usage: GateUsage, method: GateMethod): GateUsage {
  return { ...usage, calls: { ...usage.calls, [method]: usage.calls[method] + 1 } };
}

export function countRowWritten(usage: GateUsage): GateUsage {
  return { ...usage, rowsWritten: usage.rowsWritten + 1 };
}

export function totalCalls(usage: GateUsage): number {
  return GATE_METHODS.reduce((n, m) => n + usage.calls[m], 0);
}

/** What a gate served between two readings, without the reader's own `status` calls. */
export interface UsageBetween {
  calls: Record<GateMethod, number>;
  total: number;
  rowsWritten: number;
  /** False when the instance restarted in between: its earlier calls are lost, the figures are a lower bound. */
  complete: boolean;
}

/**
 * `first` and `last`: the readings; `ownReads`: the reader's `status` calls after `first`, `last`
 * included (each counted by the gate like any other call).
 */
export function usageBetween(first: GateUsage, last: GateUsage, ownReads: number): UsageBetween {
  const complete = first.startedAt === last.startedAt;
  const base = complete ? first : newUsage(last.startedAt);
  const calls = Object.fromEntries(GATE_METHODS.map((m) => [m, last.calls[m] - base.calls[m]])) as Record<GateMethod, number>;
  // After a restart only some of the reader's calls reached the new instance: taking all off keeps a lower bound.
  calls.status = Math.max(0, calls.status - ownReads);
  return { calls, total: GATE_METHODS.reduce((n, m) => n + calls[m], 0), rowsWritten: last.rowsWritten - base.rowsWritten, complete };
}
