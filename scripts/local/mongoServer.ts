/**
 * The one place that provides a MongoDB wire-protocol server for tests, the local run and the
 * benchmark, in this order: MONGODB_URI if set; a `mongod` on PATH; else FerretDB v1.24.2 with its
 * SQLite backend, built once from scripts/local/ferretdb into .cache/ (see scripts/local/ferretdb/FERRETDB.md:
 * the upstream `cmd/ferretdb` binary panics at start, so we build our own tiny main, with a patch
 * that lets `_id` lookups use their index). Asked for Atlas's shape (TLS only, a password), it
 * always starts a FerretDB of its own, whatever MONGODB_URI or the PATH hold.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { buildFerretDb } from './ferretdb/buildFerretDb.ts';
import { freePort } from './freePort.ts';
import { stopProcess, stopWithThisProcess } from './stopProcess.ts';
import { makeTestCertificates } from './testCertificates.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export interface MongoServer {
  uri: string;
  /** What is serving: 'external' (MONGODB_URI), 'mongod' or 'ferretdb'. */
  kind: 'external' | 'mongod' | 'ferretdb';
  /** With `tls`: the CA that signed the server's certificate, which a client must trust (Node: the `tlsCAFile` option). */
  caFile?: string;
  /** Stops a server this module started and deletes its data folder; leaves an external one alone. */
  stop(): Promise<void>;
}


export interface StartMongoOptions {
  /** Start a server of our own (never MONGODB_URI) on this port, e.g. to restart one on the same port. */
  port?: number;
  /** Data folder to use (created if missing); with keepData, a restart finds the same data. */
  dataDir?: string;
  /** stop() leaves the data folder in place. */
  keepData?: boolean;
  /**
   * Atlas's shape (FerretDB only, never MONGODB_URI or mongod): TLS only on the port, with a
   * certificate signed by a CA made for this server (`caFile`), and the URI says `tls=true`.
   */
  tls?: boolean;
  /** FerretDB only: every command but the handshake needs this user's SCRAM login (admin database); the URI carries them. */
  credentials?: { username: string; password: string };
}

export async function startMongo(options: StartMongoOptions = {}): Promise<MongoServer> {
  const atlasShape = options.tls || options.credentials;
  const external = options.port === undefined && !atlasShape ? process.env.MONGODB_URI : undefined;
  if (external) {
    await waitForPing(external, 10_000);
    return { uri: external, kind: 'external', stop: async () => {} };
  }
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tender-sync-mongo-'));
  mkdirSync(dataDir, { recursive: true });
  const certificates = options.tls ? makeTestCertificates() : undefined;
  const [kind, command, args] = onPath('mongod') && !atlasShape
    ? (['mongod', 'mongod', ['--port', String(port), '--bind_ip', '127.0.0.1', '--dbpath', dataDir, '--quiet']] as const)
    : ([
        'ferretdb',
        buildFerretDb(),
        [
          ...['-listen', `127.0.0.1:${port}`, '-data', dataDir],
          ...(certificates ? ['-tls-cert', certificates.certFile, '-tls-key', certificates.keyFile] : []),
          ...(options.credentials ? ['-user', options.credentials.username] : []),
        ],
      ] as const);
  const child = spawn(command, [...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...(options.credentials && { FERRETDB_PASSWORD: options.credentials.password }) } });
  stopWithThisProcess(child);
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const login = options.credentials ? `${encodeURIComponent(options.credentials.username)}:${encodeURIComponent(options.credentials.password)}@` : '';
  // The certificate names localhost, as an Atlas host's names its host: the URI dials that name.
  const uri = certificates ? `mongodb://${login}localhost:${port}/?tls=true` : `mongodb://${login}127.0.0.1:${port}/`;
  try {
    await waitForPing(uri, 60_000, child, certificates?.caFile);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${kind} did not start: ${(error as Error).message}\n${stderr}`);
  }
  return {
    uri,
    kind,
    ...(certificates && { caFile: certificates.caFile }),
    stop: async () => {
      await stopProcess(child);
      // Only after the process exited: a live FerretDB answers with stale metadata for a deleted folder.
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
      if (certificates) rmSync(certificates.dir, { recursive: true, force: true });
    },
  };
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

async function waitForPing(uri: string, timeoutMs: number, child?: ChildProcess, caFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1000, ...(caFile && { tlsCAFile: caFile }) });
    try {
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      lastError = error;
      await sleep(250);
    } finally {
      await client.close().catch(() => {});
    }
  }
  // Without the login: the message ends up in test output and the local run's log.
  throw new Error(`no answer to ping at ${uri.replace(/\/\/[^/@]*@/, '//')}: ${String(lastError)}`);
}
