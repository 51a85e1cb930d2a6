import { ConnectionCount } from '../../test/integration/tcpRelay.ts';

/**
 * What one invocation holds open at once, by kind: MongoDB's sockets (by a TCP relay, open to
 * closed), upstream requests, queue sends and RateGate calls (from the call to its end).
 */
export const OUTBOUND_KINDS = ['mongo', 'upstream', 'queue', 'gate'] as const;
export type OutboundKind = (typeof OUTBOUND_KINDS)[number];
export type ByKind = Record<OutboundKind, number>;

/** Cloudflare's list of what counts toward the six (workers/platform/limits): sockets, fetch(), queue sends. Durable Object calls are not on it. */
const LISTED: readonly OutboundKind[] = ['mongo', 'upstream', 'queue'];
const BESIDE_MONGO: readonly OutboundKind[] = ['upstream', 'queue'];

const zero = (): ByKind => ({ mongo: 0, upstream: 0, queue: 0, gate: 0 });
const sum = (counts: ByKind, kinds: readonly OutboundKind[]) => kinds.reduce((n, kind) => n + counts[kind], 0);

export interface OutboundPeak {
  /** The most open at once of what Cloudflare counts, and what was open then. */
  listed: number;
  listedAt: ByKind;
  /** The same with the RateGate calls counted too. */
  withGate: number;
  withGateAt: ByKind;
  /** The most upstream requests and queue sends open at once, MongoDB's sockets left out. */
  besideMongo: number;
  /** The most open at once of each kind on its own. */
  mostOf: ByKind;
  /** Opened (or called) in all, by kind. */
  opened: ByKind;
}

export class OutboundTally {
  private readonly open = zero();
  private peak: OutboundPeak = { listed: 0, listedAt: zero(), withGate: 0, withGateAt: zero(), besideMongo: 0, mostOf: zero(), opened: zero() };

  /** A count for startRelay whose connections are tallied as `kind`. */
  relayCount(kind: OutboundKind): ConnectionCount {
    const tally = this;
    // Connections of one kind are alike: whichever closes, one fewer is open.
    const closers: (() => void)[] = [];
    return new (class extends ConnectionCount {
      override add() {
        super.add();
        closers.push(tally.opened(kind));
      }
      override remove() {
        super.remove();
        closers.pop()?.();
      }
    })();
  }

  /** `call`, counted open as `kind` until it answers (after `latencyMs`: what the platform takes to answer it). */
  async during<T>(kind: OutboundKind, latencyMs: number, call: () => Promise<T>): Promise<T> {
    const done = this.opened(kind);
    try {
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
      return await call();
    } finally {
      done();
    }
  }

  /** One more open as `kind`; the function returned closes it (once, however often called). */
  opened(kind: OutboundKind): () => void {
    this.open[kind]++;
    this.peak.opened[kind]++;
    this.peak.mostOf[kind] = Math.max(this.peak.mostOf[kind], this.open[kind]);
    this.peak.besideMongo = Math.max(this.peak.besideMongo, sum(this.open, BESIDE_MONGO));
    if (sum(this.open, LISTED) > this.peak.listed) Object.assign(this.peak, { listed: sum(this.open, LISTED), listedAt: { ...this.open } });
    if (sum(this.open, OUTBOUND_KINDS) > this.peak.withGate) Object.assign(this.peak, { withGate: sum(this.open, OUTBOUND_KINDS), withGateAt: { ...this.open } });
    let closed = false;
    return () => {
      if (!closed) this.open[kind]--;
      closed = true;
    };
  }

  /** The peaks since the last reset. */
  result(): OutboundPeak {
    return structuredClone(this.peak);
  }

  /** Starts a new measure from what is open now. */
  reset(): void {
    const now = { ...this.open };
    this.peak = { listed: sum(now, LISTED), listedAt: now, withGate: sum(now, OUTBOUND_KINDS), withGateAt: { ...now }, besideMongo: sum(now, BESIDE_MONGO), mostOf: { ...now }, opened: zero() };
  }

}
