/**
 * The platform edge of the Worker, faked for the handler tests, and nothing else: queue bindings
 * that record what is sent, message batches that record what is acked and retried, and a RATE_GATE
 * namespace that runs the Durable Object's own calls (shared/rateGate/gateCalls.ts) on a book in
 * memory. MongoDB (test/stack) and upstream (test/simulator) stay real.
 */
import type { ConfigName } from '../../shared/config.ts';
import { pauseCall, reserveCall, type RateGateCalls } from '../../shared/rateGate/gateCalls.ts';
import { countCall, countRowWritten, newUsage, type GateMethod, type GateStatus, type GateUsage } from '../../shared/rateGate/gateUsage.ts';
import type { RateGate } from '../../shared/rateGate/rateGate.ts';
import { emptyBook, failed, hold, release, served, type OutageCause, type ProbePolicy, type Reservation, type SlotBook } from '../../shared/rateGate/slotBook.ts';

const noBacklog = { backlogCount: 0, backlogBytes: 0 };

export interface SentMessage {
  body: unknown;
  contentType?: QueueContentType;
  delaySeconds?: number;
}

/** A queue binding that keeps each message as the queue would deliver it: a copy, taken at send time. */
export class RecordingQueue implements Queue {
  readonly sent: SentMessage[] = [];

  async send(body: unknown, options: QueueSendOptions = {}): Promise<QueueSendResponse> {
    this.sent.push({ ...options, body: copy(body, options.contentType) });
    return { metadata: { metrics: noBacklog } };
  }

  async sendBatch(messages: Iterable<MessageSendRequest>, options: QueueSendBatchOptions = {}): Promise<QueueSendBatchResponse> {
    for (const m of messages) this.sent.push({ body: copy(m.body, m.contentType), contentType: m.contentType, delaySeconds: m.delaySeconds ?? options.delaySeconds });
    return { metadata: { metrics: noBacklog } };
  }

  async metrics(): Promise<QueueMetrics> {
    return noBacklog;
  }

  bodies(): unknown[] {
    return this.sent.map((m) => m.body);
  }

  /** The bodies sent so far, forgotten here: to deliver them to the next consumer. */
  take(): unknown[] {
    return this.sent.splice(0).map((m) => m.body);
  }

  /** The bodies sent without a delay, forgotten here; delayed ones stay. */
  takeUndelayed(): unknown[] {
    return this.takeWhere((m) => !m.delaySeconds).map((m) => m.body);
  }

  /** The messages that `pick` chooses, forgotten here, in the order sent. */
  takeWhere(pick: (message: SentMessage) => boolean): SentMessage[] {
    const taken = this.sent.filter(pick);
    this.sent.splice(0, this.sent.length, ...this.sent.filter((m) => !pick(m)));
    return taken;
  }
}

const copy = (body: unknown, contentType?: QueueContentType): unknown => (contentType === 'json' ? JSON.parse(JSON.stringify(body)) : structuredClone(body));

/** One source's gate in memory: the RateGate's calls on a book that is not persisted, counted as the DO counts them. */
export class InMemoryRateGate implements RateGateCalls {
  private book: SlotBook = emptyBook;
  private usage: GateUsage = newUsage(Date.now());

  async reserve(requestsPerMinute: number, maxWaitMs: number, answerWithinMs: number): Promise<Reservation> {
    const result = reserveCall(this.book, Date.now(), requestsPerMinute, maxWaitMs, answerWithinMs);
    this.keep('reserve', result.book);
    return result.reservation;
  }

  async pause(pauseMs: number, reason: string): Promise<void> {
    this.keep('pause', pauseCall(this.book, Date.now(), pauseMs, reason));
  }

  async failed(reason: string, policy: ProbePolicy, cause?: OutageCause): Promise<SlotBook> {
    return this.keep('failed', failed(this.book, Date.now(), reason, policy, cause));
  }

  async served(): Promise<void> {
    this.keep('served', served(this.book));
  }

  async hold(reason: string): Promise<SlotBook> {
    return this.keep('hold', hold(this.book, Date.now(), reason));
  }

  async release(): Promise<SlotBook> {
    return this.keep('release', release(this.book));
  }

  async status(): Promise<GateStatus> {
    this.usage = countCall(this.usage, 'status');
    return { ...this.book, usage: this.usage };
  }

  /** A call served, and its book kept: a changed book is a row the DO would write. */
  private keep(method: GateMethod, book: SlotBook): SlotBook {
    this.usage = countCall(this.usage, method);
    if (book !== this.book) this.usage = countRowWritten(this.usage);
    return (this.book = book);
  }
}

class NamedId implements DurableObjectId {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  toString(): string {
    return this.name;
  }
  equals(other: DurableObjectId): boolean {
    return other.toString() === this.name;
  }
}

/** RATE_GATE: one in-memory gate per name, as `idFromName(source)` gives one object per source. */
export class InMemoryRateGates implements DurableObjectNamespace<RateGate> {
  private readonly gates = new Map<string, InMemoryRateGate>();

  /** The gate of a source, to look at its book. */
  gate(name: string): InMemoryRateGate {
    const gate = this.gates.get(name) ?? new InMemoryRateGate();
    this.gates.set(name, gate);
    return gate;
  }

  get(id: DurableObjectId): DurableObjectStub<RateGate> {
    // An RPC stub's types (thenable results that are also Disposable) cannot be built by hand; the
    // gate implements RateGateCalls, as RateGate does, so its methods are still checked against the DO's.
    return this.gate(id.toString()) as unknown as DurableObjectStub<RateGate>;
  }

  getByName(name: string): DurableObjectStub<RateGate> {
    return this.get(this.idFromName(name));
  }

  idFromName(name: string): DurableObjectId {
    return new NamedId(name);
  }

  idFromString(id: string): DurableObjectId {
    return new NamedId(id);
  }

  newUniqueId(): DurableObjectId {
    return new NamedId(crypto.randomUUID());
  }

  jurisdiction(): DurableObjectNamespace<RateGate> {
    return this;
  }
}

/** Env with its bindings as the recording fakes, so a test can read what each one saw. */
export interface FakeEnv extends Env {
  FETCH_QUEUE: RecordingQueue;
  WRITE_QUEUE: RecordingQueue;
  FETCH_DLQ: RecordingQueue;
  WRITE_DLQ: RecordingQueue;
  NOTIFY_QUEUE: RecordingQueue;
  NOTIFY_DLQ: RecordingQueue;
  RATE_GATE: InMemoryRateGates;
}

/** Upstream nobody listens on: a test that means to fetch passes the simulator's URL. */
const NOWHERE = 'http://127.0.0.1:9';

/**
 * A Worker env on fresh fakes. `vars` are the Worker's variables as strings, as wrangler passes
 * them (any of shared/config.ts); an empty string counts as unset, as it does there.
 */
export function fakeEnv(vars: Partial<Record<ConfigName, string>> & { MONGODB_URI: string; MONGODB_DB: string }): FakeEnv {
  return {
    FTS_API_URL: NOWHERE,
    CF_API_URL: NOWHERE,
    FTS_REQUESTS_PER_MINUTE: '6',
    CF_REQUESTS_PER_MINUTE: '6',
    FTS_START_DATE: '2021-01-01',
    CF_START_DATE: '2016-11-01',
    // The handler tests were written for two sources: those about Public Contracts Scotland turn it on.
    PCS_ENABLED: 'false',
    PCS_API_URL: NOWHERE,
    PCS_REQUESTS_PER_MINUTE: '6',
    PCS_START_DATE: '2019-01-01',
    STORE_RAW: 'object',
    // The local Worker's (scripts/local/workerProcess.ts), not wrangler.toml's: the tests' server is FerretDB.
    WRITE_CHUNK_SIZE: '20',
    // Reconciliation walks the history for ever once a backfill is done: the tests about it turn it on.
    RECONCILE: 'off',
    // A walk's record door asks a random sample: the tests about it turn it on, so the others' walks stay the same.
    RECONCILE_RECORDS: '0',
    ADMIN_TOKEN: '',
    ...vars,
    FETCH_QUEUE: new RecordingQueue(),
    WRITE_QUEUE: new RecordingQueue(),
    FETCH_DLQ: new RecordingQueue(),
    WRITE_DLQ: new RecordingQueue(),
    NOTIFY_QUEUE: new RecordingQueue(),
    NOTIFY_DLQ: new RecordingQueue(),
    RATE_GATE: new InMemoryRateGates(),
  };
}

export type Decision = { kind: 'ack' } | { kind: 'retry'; delaySeconds?: number };

/** A delivered message that remembers what the consumer decided; of two decisions it keeps the first. */
export interface RecordedMessage extends Message<unknown> {
  readonly decision: Decision | null;
}

export interface RecordedBatch extends MessageBatch<unknown> {
  readonly messages: readonly RecordedMessage[];
}

let delivered = 0;

/** The id Cloudflare gives a message as it is sent: new for each. */
export const newMessageId = (): string => `msg-${++delivered}`;

/** A batch of `bodies` on `queue`, each message with a fresh id. */
export function fakeBatch(queue: string, bodies: readonly unknown[], options: { attempts?: number } = {}): RecordedBatch {
  return deliveryOf(queue, bodies.map((body) => ({ id: newMessageId(), body, attempts: options.attempts ?? 1 })));
}

/** What Cloudflare delivers after a batch: the messages it retried, same ids and bodies, one attempt more. */
export function redeliver(batch: RecordedBatch): RecordedBatch {
  const retried = batch.messages.filter((m) => m.decision?.kind === 'retry');
  return deliveryOf(batch.queue, retried.map((m) => ({ id: m.id, body: m.body, attempts: m.attempts + 1 })));
}

/** A batch of messages as Cloudflare keeps them between deliveries (id, body, attempts so far). */
export function deliveryOf(queue: string, messages: readonly Pick<Message, 'id' | 'body' | 'attempts'>[]): RecordedBatch {
  return batchOf(queue, messages.map((m) => recordedMessage(m.id, m.body, m.attempts)));
}

/** Each message's decision, in order: what the assertions compare. */
export const decisionsOf = (batch: RecordedBatch): (Decision | null)[] => batch.messages.map((m) => m.decision);

function batchOf(queue: string, messages: RecordedMessage[]): RecordedBatch {
  return {
    queue,
    messages,
    metadata: { metrics: noBacklog },
    // As on Cloudflare, a message's own ack or retry takes precedence over the batch's.
    retryAll: (retry?: QueueRetryOptions) => messages.forEach((m) => m.retry(retry)),
    ackAll: () => messages.forEach((m) => m.ack()),
  };
}

function recordedMessage(id: string, body: unknown, attempts: number): RecordedMessage {
  let decision: Decision | null = null;
  return {
    id,
    body: structuredClone(body),
    attempts,
    timestamp: new Date(),
    get decision() {
      return decision;
    },
    ack: () => void (decision ??= { kind: 'ack' }),
    retry: (retry?: QueueRetryOptions) => void (decision ??= { kind: 'retry', delaySeconds: retry?.delaySeconds }),
  };
}
