import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check, DoctorReport } from '../../producer/doctor/check.ts';
import { FIXES } from '../../producer/doctor/fixFor.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/localStack.ts';
import { startMongo, type MongoServer } from '../../scripts/local/mongoServer.ts';
import { waitForWindows } from '../../scripts/local/progress.ts';
import { adminHeaders } from '../../scripts/local/workerHeaders.ts';
import { startWorker } from '../../scripts/local/workerProcess.ts';
import { expectEveryServedReleaseStoredOnce } from '../stack/expectations.ts';
import { daysAgo } from '../stack/history.ts';

/**
 * The way the Worker reaches Atlas, on this machine: a MongoDB-compatible server that takes TLS
 * only, with a certificate signed by a CA made for the run, and wants a SCRAM login (FerretDB's
 * own, scripts/local/mongoServer.ts), and the Worker under wrangler dev connecting with
 * `tls=true`, a user and a password, verifying the certificate (its workerd trusts the run's CA, as
 * Cloudflare's trusts Atlas's). The doctor passes its MongoDB checks from inside workerd and a
 * window of work is stored; a wrong password, a URI without `tls=true` and a `mongodb+srv://` name
 * whose lookup fails each get the doctor's sentence for them.
 */
const credentials = { username: 'tender-sync', password: 'p@ss:w/rd 1' };
let mongo: MongoServer;
let stack: LocalStack;

beforeAll(async () => {
  mongo = await startMongo({ tls: true, credentials });
  stack = await startLocalStack({
    startDates: { fts: daysAgo(3), cf: daysAgo(3) },
    perDay: { fts: 2, cf: 2 },
    realReleases: 'eachKind',
    requestsPerMinute: 1200,
    mongoUri: mongo.uri,
    mongoCaFile: mongo.caFile,
    quiet: true,
    workerVars: { DELTA_TICK_MINUTES: '0' },
  });
}, 3 * 60_000);

afterAll(async () => {
  await stack?.stop();
  await mongo?.stop();
});

async function askDoctor(url: string, adminToken: string): Promise<Record<string, Check>> {
  const response = await fetch(`${url}/admin/doctor`, { method: 'POST', headers: adminHeaders(adminToken) });
  expect(response.status).toBe(200);
  const report = (await response.json()) as DoctorReport;
  return Object.fromEntries(report.checks.map((check) => [check.name, check]));
}

/** The doctor of a Worker of its own given this MONGODB_URI (its sources point nowhere: only its MongoDB check is read). */
async function mongoCheckWith(uri: string): Promise<Check> {
  const stateDir = mkdtempSync(join(tmpdir(), 'tender-sync-atlas-path-'));
  const adminToken = 'atlas-path-admin-token';
  const worker = await startWorker(
    { MONGODB_URI: uri, ADMIN_TOKEN: adminToken, MONGODB_TIMEOUT_MS: '3000', FTS_API_URL: 'http://127.0.0.1:9', CF_API_URL: 'http://127.0.0.1:9' },
    stateDir,
    { quiet: true, trustCaFile: mongo.caFile },
  );
  try {
    return (await askDoctor(worker.url, adminToken))['mongodb connect'];
  } finally {
    await worker.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

describe('the Atlas connection path, from inside workerd', () => {
  it('passes the doctor’s MongoDB checks over verified TLS with a password, and stores a window of work', async () => {
    expect(mongo.uri).toMatch(/^mongodb:\/\/[^@]+@localhost:\d+\/\?tls=true$/);
    const checks = await askDoctor(stack.worker.url, stack.adminToken);
    expect(checks['mongodb connect'], JSON.stringify(checks['mongodb connect'])).toMatchObject({ ok: true, detail: expect.stringMatching(/^MongoDB \d+\.\d+/) });
    expect(checks['probe document']).toMatchObject({ ok: true, detail: expect.stringMatching(/^inserted, read back and deleted doctor:/) });
    expect(checks.indexes.ok).toBe(true);
    expect(JSON.stringify(checks)).not.toContain(credentials.password);

    await stack.worker.runCron();
    await waitForWindows(stack.db, { until: 'closed', timeoutMs: 3 * 60_000, onIdle: () => stack.worker.runCron() });
    const counts = await expectEveryServedReleaseStoredOnce(stack.db, stack.simulator!, stack.dataset!);
    expect(counts.FIND_A_TENDER.stored + counts.CONTRACTS_FINDER.stored).toBeGreaterThan(0);
  }, 4 * 60_000);
});

/** URIs that must fail, each with a Worker of its own, started side by side. */
describe('what the doctor says inside workerd when the URI is wrong', () => {
  const wrong = {
    password: () => mongo.uri.replace(encodeURIComponent(credentials.password), 'not-the-password'),
    withoutTls: () => mongo.uri.replace('?tls=true', ''),
    srvLookupFails: () => `mongodb+srv://${encodeURIComponent(credentials.username)}:x@cluster0.tender-sync.invalid/?authSource=admin`,
  };
  let checks: Record<keyof typeof wrong, Check>;

  beforeAll(async () => {
    const entries = Object.entries(wrong) as [keyof typeof wrong, () => string][];
    checks = Object.fromEntries(await Promise.all(entries.map(async ([name, uri]) => [name, await mongoCheckWith(uri())]))) as typeof checks;
  }, 2 * 60_000);

  it('a wrong password: the password sentence', () => {
    expect(checks.password).toMatchObject({ ok: false, detail: expect.stringContaining('Authentication failed'), fix: FIXES.password });
  });

  it('plain TCP to the TLS-only port: the tls=true sentence', () => {
    expect(checks.withoutTls).toMatchObject({ ok: false, detail: expect.stringMatching(/connection .* closed/), fix: FIXES.tls });
  });

  it('a mongodb+srv:// name whose lookup fails: the seed-list sentence', () => {
    // workerd's node:dns asks DNS over HTTPS: EBADQUERY where that fetch fails (no internet), ENOTFOUND where the name is looked up and missing.
    expect(checks.srvLookupFails).toMatchObject({ ok: false, detail: expect.stringMatching(/querySrv E(BADQUERY|NOTFOUND) _mongodb\._tcp\.cluster0\.tender-sync\.invalid/i), fix: FIXES.srv });
    expect(checks.srvLookupFails.fix).toContain('mongodb://host1,host2,host3/?tls=true&replicaSet=');
  });
});
