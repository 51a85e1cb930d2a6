/**
 * Runs the Worker for real: `wrangler dev` (workerd, local queues, Durable Objects, cron through
 * /__scheduled) with its variables given on the command line, so tests and the local run need no
 * .dev.vars.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { freePort } from './freePort.ts';
import { stopProcess, stopWithThisProcess } from './stopProcess.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export interface WorkerProcess {
  url: string;
  /** Fires the cron handler once, as the hourly trigger would. */
  runCron(): Promise<void>;
  /** Everything wrangler and the Worker printed so far. */
  output(): string;
  /** Stops wrangler and workerd and waits for them to exit. */
  stop(): Promise<void>;
  /** SIGKILL to wrangler and workerd at once, as in a crash: nothing is drained. */
  kill(): Promise<void>;
}

const projectRoot = resolve(import.meta.dirname, '../..');

/** The port `npm start` gives the Worker (wrangler dev's own default), where `npm run status` looks. */
export const DEFAULT_WORKER_PORT = 8787;

/**
 * Sent unless `vars` say otherwise, instead of wrangler.toml's Atlas figure: the local server may be
 * FerretDB, which hangs on one update matching 100 documents (scripts/local/ferretdb/FERRETDB.md).
 */
// RECONCILE off: a local run ends when every window is closed, and reconciliation never ends (a
// pass follows a pass); `RECONCILE=… npm start` turns it on.
const LOCAL_VARS = { WRITE_CHUNK_SIZE: '20', RECONCILE: 'off' };

export interface WorkerOptions {
  quiet?: boolean;
  port?: number;
  /**
   * A CA certificate (PEM file) workerd's outbound TLS trusts beside the public ones, as the
   * Worker's sockets trust Atlas's CA on Cloudflare. The Worker cannot read a CA file (the
   * driver's `tlsCAFile` fails there: "[unenv] fs.readFile is not implemented yet!"): miniflare
   * reads NODE_EXTRA_CA_CERTS when wrangler loads it and lists its certificates in the
   * `trustedCertificates` of workerd's "internet" network service, which carries the Worker's sockets.
   */
  trustCaFile?: string;
}

/**
 * `stateDir` keeps local Durable Object state (the RateGate's book) across a restart, as Cloudflare
 * does; queue messages in flight are lost with the process, as in a crash.
 */
export async function startWorker(vars: Record<string, string>, stateDir: string, options: WorkerOptions = {}): Promise<WorkerProcess> {
  const port = options.port ?? (await freePort());
  const inspectorPort = await freePort();
  const args = [
    join(projectRoot, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
    'dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--inspector-port', String(inspectorPort),
    '--persist-to', stateDir,
    '--test-scheduled',
    '--show-interactive-dev-session=false',
    '--log-level', 'log',
    ...Object.entries({ ...LOCAL_VARS, ...vars }).flatMap(([key, value]) => ['--var', `${key}:${value}`]),
  ];
  // wrangler and workerd run on the Node 22 that npm installed into node_modules/.bin.
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1', ...(options.trustCaFile && { NODE_EXTRA_CA_CERTS: options.trustCaFile }) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it also stops the workerd it started.
    detached: true,
  });
  stopWithThisProcess(child, { group: true });
  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    if (!options.quiet) process.stdout.write(text.split('\n').filter((line) => line && !line.includes('ENOTFOUND')).map((line) => `[worker] ${line}\n`).join(''));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, child, () => output);
  } catch (error) {
    await stopProcess(child, { group: true, graceMs: 0 });
    throw error;
  }
  return {
    url,
    output: () => output,
    async runCron() {
      const response = await fetch(`${url}/__scheduled?cron=${encodeURIComponent('7 * * * *')}`);
      if (!response.ok) throw new Error(`cron trigger answered ${response.status}: ${await response.text()}`);
    },
    async stop() {
      await stopProcess(child, { group: true });
    },
    async kill() {
      await stopProcess(child, { group: true, graceMs: 0 });
    },
  };
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output().slice(-3000)}`);
    if (/Ready on/.test(output())) {
      try {
        await fetch(`${url}/__health`);
        return;
      } catch {
        // not listening yet
      }
    }
    await sleep(200);
  }
  throw new Error(`wrangler dev did not get ready in 90 s:\n${output().slice(-3000)}`);
}
