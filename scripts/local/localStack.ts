/**
 * The whole pipeline on this machine: a MongoDB-compatible server, the upstream simulator and the
 * Worker under wrangler dev, wired together. Used by `npm start`, the end-to-end and chaos tests
 * and the benchmark, so they all run the same stack.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { generateDataset, type Dataset } from '../../test/simulator/dataset.ts';
import { startSimulator, type Simulator } from '../../test/simulator/server.ts';
import type { Faults } from '../../test/simulator/faults.ts';
import { startMongo, type MongoServer } from './mongoServer.ts';
import { startWorker, type WorkerProcess } from './workerProcess.ts';

export interface LocalStackOptions {
  /** History served by the simulator and asked for by the pipeline, per source. */
  startDates: { fts: string; cf: string };
  /** Releases the simulator generates per day. */
  perDay: { fts: number; cf: number };
  /**
   * Public Contracts Scotland: its history's start and its notices a day (test/simulator/pcsReleases.ts).
   * Absent: the source is off (PCS_ENABLED=false), as the end-to-end and chaos stacks keep it (but chaos row 16).
   */
  pcs?: { startDate: string; perDay: number };
  /**
   * Which real captured releases the simulator serves beside the generated ones (dataset.ts): all
   * (default: whole captured days, up to 530 FTS releases a day), or one of each kind and tag set,
   * for tests whose point is the pipeline rather than the volume.
   */
  realReleases?: 'all' | 'eachKind';
  seed?: number;
  /** The simulator's limit and the pipeline's budget, raised together; per source if given so. */
  requestsPerMinute: number | { fts: number; cf: number; pcs?: number };
  defectLongWindowLoss?: boolean;
  /** Waits after a refusal, for the pipeline and for the simulator's politeness check alike. */
  pauseSeconds?: { ftsDefaultRetry: number; cfBlock: number };
  /** Requests arriving this soon after a refusal are not counted early (SimulatorOptions.inFlightGraceMs). */
  inFlightGraceMs?: number;
  /** Any further Worker variables (see shared/config.ts). */
  workerVars?: Record<string, string>;
  /** A server already running (tests share one); else startMongo() picks one. */
  mongoUri?: string;
  /** The CA of that server's TLS certificate (startMongo's `caFile`): the Worker and the stack's own client trust it. */
  mongoCaFile?: string;
  /** The database; default a new one per run (`tendhunt_<time>_<random>`), so tests never meet each other's data, even started in the same millisecond. */
  dbName?: string;
  /** wrangler's local state (queues, Durable Objects), kept after stop so a later run resumes; default a temporary folder, removed. */
  stateDir?: string;
  /** Real or other upstreams instead of the simulator. */
  ftsApiUrl?: string;
  cfApiUrl?: string;
  pcsApiUrl?: string;
  quiet?: boolean;
  /** The Worker's port; default a free one (tests run stacks side by side). */
  workerPort?: number;
  faults?: Partial<Faults>;
  /** Changes the generated history before it is served (a bad or huge release, say). */
  editDataset?: (dataset: Dataset) => void;
}

export interface LocalStack {
  db: Db;
  dbName: string;
  simulator: Simulator | null;
  dataset: Dataset | null;
  worker: WorkerProcess;
  adminToken: string;
  /**
   * Kills the Worker (as a crash would: in-flight messages and invocations are lost) and starts it
   * again, with `changedVars` over its variables from then on (the bench turns RECONCILE on so).
   */
  restartWorker(changedVars?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const pauses = options.pauseSeconds ?? { ftsDefaultRetry: 30, cfBlock: 300 };
  const given = typeof options.requestsPerMinute === 'number' ? { fts: options.requestsPerMinute, cf: options.requestsPerMinute } : options.requestsPerMinute;
  // PCS has CF's budget unless given: neither service publishes a limit.
  const rpm = { ...given, pcs: given.pcs ?? given.cf };
  const mongo: MongoServer | null = options.mongoUri ? null : await startMongo();
  const mongoUri = options.mongoUri ?? mongo!.uri;
  const caFile = options.mongoCaFile ?? mongo?.caFile;
  const workerOptions = { quiet: options.quiet, port: options.workerPort, trustCaFile: caFile };
  const { pcs } = options;
  const needSimulator = !options.ftsApiUrl || !options.cfApiUrl || (pcs !== undefined && !options.pcsApiUrl);
  const dataset = needSimulator
    ? generateDataset({
        seed: options.seed ?? 1,
        from: new Date(`${[options.startDates.fts, options.startDates.cf, pcs?.startDate ?? options.startDates.fts].sort()[0]}T00:00:00Z`),
        to: new Date(),
        ftsPerDay: options.perDay.fts,
        cfPerDay: options.perDay.cf,
        pcsPerDay: pcs?.perDay ?? 0,
        real: options.realReleases ?? 'all',
      })
    : null;
  // The simulator serves each source from its own start date, as the pipeline asks for it.
  if (dataset) {
    dataset.FIND_A_TENDER = dataset.FIND_A_TENDER.filter((r) => r.date >= new Date(options.startDates.fts));
    dataset.CONTRACTS_FINDER = dataset.CONTRACTS_FINDER.filter((r) => r.date >= new Date(options.startDates.cf));
    if (pcs) dataset.PUBLIC_CONTRACTS_SCOTLAND = dataset.PUBLIC_CONTRACTS_SCOTLAND.filter((r) => r.date >= new Date(pcs.startDate));
    options.editDataset?.(dataset);
  }
  const simulator = dataset
    ? await startSimulator({
        dataset,
        rateLimit: {
          FIND_A_TENDER: { requests: rpm.fts, periodMs: 60_000 },
          CONTRACTS_FINDER: { requests: rpm.cf, periodMs: 60_000 },
          PUBLIC_CONTRACTS_SCOTLAND: { requests: rpm.pcs, periodMs: 60_000 },
        },
        defectLongWindowLoss: options.defectLongWindowLoss ?? false,
        pauseAfterRefusalMs: { FIND_A_TENDER: pauses.ftsDefaultRetry * 1000, CONTRACTS_FINDER: pauses.cfBlock * 1000, PUBLIC_CONTRACTS_SCOTLAND: pauses.cfBlock * 1000 },
        inFlightGraceMs: options.inFlightGraceMs,
      })
    : null;
  if (simulator && options.faults) simulator.setFaults(options.faults);

  const dbName = options.dbName ?? `tendhunt_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const adminToken = randomBytes(16).toString('hex');
  const vars: Record<string, string> = {
    MONGODB_URI: mongoUri,
    MONGODB_DB: dbName,
    FTS_API_URL: options.ftsApiUrl ?? simulator!.url,
    CF_API_URL: options.cfApiUrl ?? simulator!.url,
    FTS_REQUESTS_PER_MINUTE: String(rpm.fts),
    CF_REQUESTS_PER_MINUTE: String(rpm.cf),
    FTS_START_DATE: options.startDates.fts,
    CF_START_DATE: options.startDates.cf,
    FTS_DEFAULT_RETRY_SECONDS: String(pauses.ftsDefaultRetry),
    CF_BLOCK_PAUSE_SECONDS: String(pauses.cfBlock),
    // PCS has CF's pause here: neither service publishes one.
    ...(pcs
      ? { PCS_ENABLED: 'true', PCS_API_URL: options.pcsApiUrl ?? simulator!.url, PCS_REQUESTS_PER_MINUTE: String(rpm.pcs), PCS_START_DATE: pcs.startDate, PCS_BLOCK_PAUSE_SECONDS: String(pauses.cfBlock) }
      : { PCS_ENABLED: 'false' }),
    ADMIN_TOKEN: adminToken,
    ...options.workerVars,
  };
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'tender-sync-wrangler-'));
  let worker: WorkerProcess;
  try {
    worker = await startWorker(vars, stateDir, workerOptions);
  } catch (error) {
    await simulator?.close();
    await mongo?.stop();
    throw error;
  }
  const client = await new MongoClient(mongoUri, caFile ? { tlsCAFile: caFile } : {}).connect();
  return {
    db: client.db(dbName),
    dbName,
    simulator,
    dataset,
    get worker() {
      return worker;
    },
    adminToken,
    async restartWorker(changedVars = {}) {
      await worker.kill();
      Object.assign(vars, changedVars);
      worker = await startWorker(vars, stateDir, workerOptions);
    },
    async stop() {
      await worker.stop();
      await simulator?.close();
      await client.close();
      await mongo?.stop();
      if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
