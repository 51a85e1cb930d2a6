import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/local/freePort.ts';
import { generateDataset } from '../simulator/dataset.ts';
import type { FakeEnv } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';
import { serveWorker } from './workerServer.ts';

/**
 * `npm run doctor` as an operator runs it (its own process), against the handler stack's Worker
 * served over HTTP: its lines and exit code for a healthy Worker (0), a failed check (1, the fix
 * printed under it) and no doctor's answer (2: no URL, no token, a wrong token, nothing listening).
 * Nothing it prints shows the token.
 */
const root = resolve(import.meta.dirname, '../..');
const TOKEN = 'the-admin-token-for-npm-run-doctor';
const dataset = generateDataset({ seed: 22, from: new Date('2024-02-01T00:00:00Z'), to: new Date('2024-03-01T00:00:00Z'), ftsPerDay: 1, cfPerDay: 1 });
const stack = handlerStack({ prefix: 'h_doctorcmd', upstream: { dataset }, vars: { ADMIN_TOKEN: TOKEN }, perTest: 'env' });
let env: () => FakeEnv = () => stack.env;
let server: Awaited<ReturnType<typeof serveWorker>>;
beforeAll(async () => {
  server = await serveWorker(() => env());
});
afterAll(() => server.close());

/** Runs `node scripts/doctor.ts ...args` with `vars` as its only Worker-related environment. */
async function runDoctor(args: string[], vars: Record<string, string> = { ADMIN_TOKEN: TOKEN }): Promise<{ code: number; stdout: string; stderr: string }> {
  const { ADMIN_TOKEN: _token, WORKER_URL: _url, ...rest } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['scripts/doctor.ts', ...args], { cwd: root, env: { ...rest, ...vars } as NodeJS.ProcessEnv, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run doctor', () => {
  it('a healthy Worker: a ✓ line per check, exit 0', async () => {
    const { code, stdout, stderr } = await runDoctor([server.url]);

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`tender-sync doctor at ${server.url}: 11 of 11 checks passed`);
    expect(lines.slice(1, -1)).toEqual([
      expect.stringMatching(/^✓ config +\d+ ms {2}every variable passes its check; database h_doctorcmd_/),
      expect.stringMatching(/^✓ mongodb connect +\d+ ms {2}MongoDB /),
      expect.stringMatching(/^✓ probe document +\d+ ms {2}inserted, read back and deleted doctor:/),
      expect.stringMatching(/^✓ indexes +\d+ ms {2}all \d+ indexes present \(13 of the pipeline, \d+ for the product's queries/),
      expect.stringMatching(/^✓ queues +\d+ ms {2}bound: /),
      expect.stringMatching(/^✓ rate gate FIND_A_TENDER +\d+ ms {2}a slot free now$/),
      expect.stringMatching(/^✓ upstream FIND_A_TENDER +\d+ ms {2}HTTP 200/),
      expect.stringMatching(/^✓ rate gate CONTRACTS_FINDER +\d+ ms {2}a slot free now$/),
      expect.stringMatching(/^✓ upstream CONTRACTS_FINDER +\d+ ms {2}HTTP 200/),
      // The handler stack leaves Public Contracts Scotland off: its gate is checked, its upstream never asked.
      expect.stringMatching(/^✓ rate gate PUBLIC_CONTRACTS_SCOTLAND +\d+ ms {2}a slot free now$/),
      expect.stringMatching(/^✓ upstream PUBLIC_CONTRACTS_SCOTLAND +0 ms {2}skipped: the source is switched off \(PCS_ENABLED=false\)/),
    ]);
    expect(lines.at(-1)).toBe('Day one works: every check passed.');
    expect(stdout).not.toContain(TOKEN);
  });

  it('a failed check: its ✗ line with the fix under it, exit 1', async () => {
    const closedPort = await freePort();
    const unreachable = { ...stack.env, MONGODB_URI: `mongodb://tender:hunter2-secret@127.0.0.1:${closedPort}/`, MONGODB_TIMEOUT_MS: '300' };
    env = () => unreachable;
    try {
      const { code, stdout } = await runDoctor([], { ADMIN_TOKEN: TOKEN, WORKER_URL: server.url });

      expect(code).toBe(1);
      expect(stdout).toMatch(/: 8 of 11 checks passed\n/);
      expect(stdout).toMatch(/\n✗ mongodb connect +\d+ ms {2}MongoServerSelectionError: connect ECONNREFUSED 127\.0\.0\.1:\d+\n +fix: Atlas refuses the connection: add 0\.0\.0\.0\/0 to the project's IP access list/);
      expect(stdout).toMatch(/\n✗ probe document +0 ms {2}skipped: "mongodb connect" failed\n +fix: see "mongodb connect" above/);
      expect(stdout.trimEnd().split('\n').at(-1)).toBe('A check failed: change what its fix says, deploy if it is a setting, and run the doctor again.');
      expect(stdout).not.toMatch(/hunter2|the-admin-token/);
    } finally {
      env = () => stack.env;
    }
  });

  it.each([
    { name: 'no URL', args: [], vars: { ADMIN_TOKEN: TOKEN }, says: /^doctor: no Worker URL\nusage: / },
    { name: 'no ADMIN_TOKEN', args: ['URL'], vars: {} as Record<string, string>, says: /^doctor: ADMIN_TOKEN is not set/ },
    { name: 'a wrong token (401)', args: ['URL'], vars: { ADMIN_TOKEN: 'not-the-token-of-this-worker' }, says: /\/admin\/doctor answered 401: ADMIN_TOKEN here is not the Worker's/ },
    { name: 'nothing listening', args: ['CLOSED'], vars: { ADMIN_TOKEN: TOKEN }, says: /^doctor: cannot reach http:\/\/127\.0\.0\.1:\d+\/admin\/doctor \(connect ECONNREFUSED/ },
  ])('$name: exit 2, saying why on stderr, nothing on stdout', async ({ args, vars, says }) => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const { code, stdout, stderr } = await runDoctor(args.map((arg) => (arg === 'URL' ? server.url : arg === 'CLOSED' ? closed : arg)), vars);

    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(says);
    expect(stderr).not.toContain(TOKEN);
  });
});
