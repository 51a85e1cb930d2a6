import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchMessage } from '../../shared/queue/messages.ts';
import { TLS_PROBE_MS } from '../../shared/rateGate/tlsFailure.ts';
import { SOURCE_NAMES, type SourceName } from '../../shared/sources/sourceName.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { claimWindow, windowsCollection } from '../../shared/store/windows.ts';
import worker from '../../worker.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { callWorker } from './callWorker.ts';
import { decisionsOf, fakeBatch, InMemoryRateGates, type FakeEnv } from './fakeEnv.ts';
import { deliverAll } from './deliverAll.ts';
import { handlerStack } from './handlerStack.ts';
import { monthWindow, recordWindow } from './recordWindow.ts';
import { startUntrustedServer } from './untrustedServer.ts';

/**
 * Find a Tender's URL pointed at an https server whose certificate the runtime cannot verify (the
 * chain a server leaves incomplete), Contracts Finder at the simulator: the TLS failure holds FTS in
 * its gate for an hour, only the requests already on their way reaching the server, its windows handed on without a
 * retry spent or a window failed, CF's backfill completing meanwhile, the status figures and the
 * doctor naming cause and remedy. Then the server is fixed (FTS's URL back at the simulator) and an
 * operator's resume lets the held windows run to the end.
 */
const dataset = generateDataset({ seed: 25, from: new Date('2024-02-26T00:00:00Z'), to: new Date('2024-03-03T00:00:00Z'), ftsPerDay: 20, cfPerDay: 20, real: 'none' });
const untrusted = await startUntrustedServer();
const TOKEN = 'the-admin-token-of-the-tls-test';
// A build that took the TLS failure for an upstream down would hand the windows on for 45 s and probe again then.
const stack = handlerStack({ prefix: 'h_tls', upstream: { dataset }, vars: { FTS_API_URL: untrusted.url, ADMIN_TOKEN: TOKEN, PAGE_LIMIT: '10', FETCH_INVOCATION_SECONDS: '5', UPSTREAM_PROBE_SECONDS: '45', UPSTREAM_PROBE_MAX_SECONDS: '45' } });
afterAll(() => untrusted.close());

const MONTHS = ['2024-02', '2024-03'];
const windowIds = (source: SourceName) => MONTHS.map((month) => `${source}:${month}`);
const contracts = (source: SourceName) => stack.db.collection(COLLECTIONS.contracts).countDocuments({ source });
const noticesOf = (source: SourceName) => new Set(dataset[source].map((r) => r.notice)).size;
/** Requests that reached the untrusted server while FTS pointed at it (the first test). */
let tried = 0;
const figuresOf = async (source: SourceName) => {
  const { body } = await callWorker(stack.env, 'GET', '/status');
  return (body.sources as { source: string; figures: Record<string, unknown> }[]).find((s) => s.source === source)!.figures;
};
const CAUSE = "TLS: the server's certificate chain could not be verified (UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate, for https://127.0.0.1:";
const REMEDY = /Custom Origin Trust Store and deploy with the cots_on_external_fetch compatibility flag, or hold the source with POST \/admin\/pause\.$/;

describe('a TLS failure upstream', () => {
  it('holds that source an hour at a time, one request per window on its way, nothing retried or failed; the other source completes; the status and the doctor name cause and remedy', async () => {
    for (const source of SOURCE_NAMES) {
      for (const month of MONTHS) {
        const window = await recordWindow(stack.db, monthWindow(source, month));
        expect(await claimWindow(stack.db, window, null, new Date())).toBe(1);
        await stack.env.FETCH_QUEUE.send(fetchMessage(window._id, 1), { contentType: 'json' });
      }
    }

    await deliverAll(stack.env);

    // One per FTS window on its way when the first failure came (two in one batch); none after it.
    tried = untrusted.connections;
    expect(tried, 'requests that reached the untrusted server').toBeGreaterThanOrEqual(1);
    expect(tried, 'requests that reached the untrusted server').toBeLessThanOrEqual(windowIds('FIND_A_TENDER').length);
    // Each FTS window handed on to come back within the hour's end, and nothing else waiting.
    const waiting = stack.env.FETCH_QUEUE.sent;
    expect(waiting.map((m) => m.body).sort()).toEqual(windowIds('FIND_A_TENDER').map((id) => fetchMessage(id, 2)));
    for (const m of waiting) expect(m.delaySeconds, 'a held window comes back in').toBeGreaterThan(TLS_PROBE_MS / 1000 - 60);
    expect(stack.env.FETCH_DLQ.sent).toEqual([]);
    expect(await stack.db.collection(COLLECTIONS.messageFailures).countDocuments()).toBe(0);
    for (const id of windowIds('FIND_A_TENDER')) expect(await windowsCollection(stack.db).findOne({ _id: id })).toMatchObject({ state: 'fetching', attempts: 0, lastError: null, checkpoint: { pages: 0 } });
    for (const id of windowIds('CONTRACTS_FINDER')) expect(await windowsCollection(stack.db).findOne({ _id: id })).toMatchObject({ state: 'done', attempts: 0 });
    expect(await contracts('CONTRACTS_FINDER')).toBe(noticesOf('CONTRACTS_FINDER'));
    expect(await contracts('FIND_A_TENDER')).toBe(0);

    const fts = await figuresOf('FIND_A_TENDER');
    expect(fts.tlsError, 'the status figure').toEqual({ since: expect.any(String), reason: expect.stringContaining(CAUSE) });
    const tlsError = fts.tlsError as { since: string; reason: string };
    expect(tlsError.reason.startsWith(CAUSE), tlsError.reason).toBe(true);
    expect(tlsError.reason).toMatch(REMEDY);
    expect(fts.lastError).toMatchObject({ message: tlsError.reason });
    expect(fts.windows).toMatchObject({ failed: 0 });
    expect(await figuresOf('CONTRACTS_FINDER')).toMatchObject({ tlsError: null, lastError: null, windows: { done: 2, failed: 0 } });
    const page = await callWorker(stack.env, 'GET', '/');
    expect(page.text).toContain('data-figure="tls-error"');
    expect(page.text).toContain(CAUSE.replaceAll("'", '&#39;'));

    // The doctor does not ask a source held for TLS: it gives the same sentence, and the resume as the fix.
    const doctor = await callWorker(stack.env, 'POST', '/admin/doctor', { authorization: `Bearer ${TOKEN}` });
    const upstream = (doctor.body.checks as { name: string; ok: boolean; detail: string; fix?: string }[]).find((c) => c.name === 'upstream FIND_A_TENDER')!;
    expect(upstream).toMatchObject({ ok: false, detail: expect.stringContaining(tlsError.reason), fix: expect.stringContaining('POST /admin/resume {"source":"FIND_A_TENDER"}') });
    expect(untrusted.connections, 'requests that reached the untrusted server, the doctor included').toBe(tried);
  });

  it('once fixed, an operator resume lets the held windows run to the end', async () => {
    const fixed = { ...stack.env, FTS_API_URL: stack.simulator.url } as FakeEnv;
    expect((await callWorker(fixed, 'POST', '/admin/resume', { authorization: `Bearer ${TOKEN}`, body: { source: 'FIND_A_TENDER' } })).body).toMatchObject({ refusedUntil: null });

    // The handed-on messages delivered now rather than when due (within the hour; a window waiting
    // behind the probe, within a minute), until none is left.
    for (let round = 0; fixed.FETCH_QUEUE.sent.length > 0; round++) {
      expect(round, 'rounds of delayed messages').toBeLessThan(5);
      const batch = fakeBatch('fetch', fixed.FETCH_QUEUE.take());
      await worker.queue(batch, fixed);
      expect(decisionsOf(batch).every((d) => d?.kind === 'ack')).toBe(true);
      await deliverAll(fixed);
    }

    for (const id of windowIds('FIND_A_TENDER')) expect(await windowsCollection(stack.db).findOne({ _id: id })).toMatchObject({ state: 'done', attempts: 0 });
    expect(await contracts('FIND_A_TENDER')).toBe(noticesOf('FIND_A_TENDER'));
    expect(await stack.env.RATE_GATE.gate('FIND_A_TENDER').status()).toMatchObject({ outage: null, pausedUntil: 0 });
    expect(await figuresOf('FIND_A_TENDER')).toMatchObject({ tlsError: null });
    expect(stack.env.FETCH_DLQ.sent).toEqual([]);
    expect(untrusted.connections, 'requests that reached the untrusted server once fixed').toBe(tried);
  });

  it("a deployed Worker's view, Cloudflare answering 526 for the origin: the doctor's one request holds the source an hour with the same sentence", async () => {
    let asked = 0;
    const edge = createServer((_request, response) => {
      asked++;
      response.writeHead(526, { 'content-type': 'text/html' }).end('<title>526: Invalid SSL certificate</title>');
    });
    await new Promise<void>((resolve) => edge.listen(0, '127.0.0.1', resolve));
    try {
      const env = { ...stack.env, FTS_API_URL: `http://127.0.0.1:${(edge.address() as AddressInfo).port}`, RATE_GATE: new InMemoryRateGates() } as FakeEnv;
      const doctor = await callWorker(env, 'POST', '/admin/doctor', { authorization: `Bearer ${TOKEN}` });
      const checks = doctor.body.checks as { name: string; ok: boolean; detail: string; fix?: string }[];
      expect(checks.find((c) => c.name === 'upstream FIND_A_TENDER')).toMatchObject({
        ok: false,
        detail: expect.stringMatching(/^TLS: the server's certificate chain could not be verified \(HTTP 526, invalid SSL certificate, for http:\/\/127\.0\.0\.1:\d+\)\. Remedy/),
        fix: expect.stringContaining('POST /admin/resume {"source":"FIND_A_TENDER"}'),
      });
      expect(checks.find((c) => c.name === 'upstream CONTRACTS_FINDER')).toMatchObject({ ok: true });
      expect(asked).toBe(1);
      const book = await env.RATE_GATE.gate('FIND_A_TENDER').status();
      expect(book).toMatchObject({ outage: { cause: 'tls', failures: 1 } });
      expect(book.pausedUntil - Date.now()).toBeGreaterThan(TLS_PROBE_MS - 60_000);
    } finally {
      await new Promise((resolve) => edge.close(resolve));
    }
  });
});
