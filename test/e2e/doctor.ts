import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { BackfillRun } from './backfillRun.ts';

/**
 * The self-test where it must work: inside workerd, with the Worker's own MongoDB client, queue
 * bindings and Durable Object gates (the handler tests fake the platform's edge). `npm run doctor`
 * prints a line per check and exits 0 when every one passed.
 */
export function describeDoctor(run: BackfillRun): void {
  describe('the doctor under wrangler dev', () => {
    it('passes every check from inside the Worker, and npm run doctor says so with exit 0', async () => {
      const script = resolve(import.meta.dirname, '../../scripts/doctor.ts');
      const { stdout } = await promisify(execFile)(process.execPath, [script, run.stack.worker.url], { env: { ...process.env, ADMIN_TOKEN: run.stack.adminToken }, timeout: 120_000 });
      for (const check of ['config', 'mongodb connect', 'probe document', 'indexes', 'queues', 'rate gate FIND_A_TENDER', 'upstream FIND_A_TENDER', 'rate gate CONTRACTS_FINDER', 'upstream CONTRACTS_FINDER']) {
        expect(stdout, check).toMatch(new RegExp(`✓ ${check}\\b`));
      }
      expect(stdout).not.toContain('✗');
      expect(stdout).not.toContain(run.stack.adminToken);
    }, 150_000);
  });
}
