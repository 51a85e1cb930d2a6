/**
 * `npm run doctor -- <worker URL>`: runs the Worker's self-test (POST /admin/doctor, with ADMIN_TOKEN
 * from the environment) and prints one line per check, ✓ or ✗, its time and what it found, and
 * under a failed one the fix. The URL may come from WORKER_URL instead.
 * Exit 0 when every check passed, 1 when one failed, 2 when there was no doctor's answer to read:
 * no URL, no ADMIN_TOKEN, the Worker not answering, 401/403 (the token), or any other answer.
 */
import { parseArgs } from 'node:util';
import type { Check, DoctorReport } from '../producer/doctor/check.ts';
import { adminHeaders } from './local/workerHeaders.ts';

const USAGE = 'usage: ADMIN_TOKEN=<the Worker’s admin token> npm run doctor -- <worker URL>   (e.g. https://tender-sync.<account>.workers.dev; or set WORKER_URL)';
/** Longer than the doctor can take: MongoDB's server selection (20 s), a wait for a slot (30 s) and a request (30 s). */
const ANSWER_TIMEOUT_MS = 150_000;

async function main(): Promise<number> {
  const { values: flags, positionals } = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const url = (positionals[0] ?? process.env.WORKER_URL ?? '').replace(/\/+$/, '');
  if (!url) throw new Error(`no Worker URL\n${USAGE}`);
  const token = process.env.ADMIN_TOKEN;
  if (!token) throw new Error(`ADMIN_TOKEN is not set: the doctor is an admin endpoint (the token you gave wrangler secret put ADMIN_TOKEN)\n${USAGE}`);
  const report = await askDoctor(url, token);
  console.log(formatReport(url, report));
  return report.ok ? 0 : 1;
}

async function askDoctor(url: string, token: string): Promise<DoctorReport> {
  const endpoint = `${url}/admin/doctor`;
  const response = await fetch(endpoint, { method: 'POST', headers: adminHeaders(token), signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) }).catch((error: Error) => {
    throw new Error(`cannot reach ${endpoint} (${(error.cause as Error | undefined)?.message ?? error.message}): is the Worker deployed at that URL?`);
  });
  const text = await response.text();
  if (response.status === 401) throw new Error(`${endpoint} answered 401: ADMIN_TOKEN here is not the Worker's (wrangler secret put ADMIN_TOKEN sets it there)`);
  if (response.status === 404) throw new Error(`${endpoint} answered 404: this Worker has no doctor yet; deploy this version (npx wrangler deploy)`);
  if (response.status !== 200) throw new Error(`${endpoint} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as DoctorReport;
}

/** The report, a line per check (aligned), the fix under each failed one. */
function formatReport(url: string, report: DoctorReport): string {
  const width = Math.max(...report.checks.map((check) => check.name.length));
  const passed = report.checks.filter((check) => check.ok).length;
  const line = (check: Check) => [
    `${check.ok ? '✓' : '✗'} ${check.name.padEnd(width)} ${`${check.ms} ms`.padStart(9)}  ${check.detail}`,
    ...(check.fix ? [`  ${' '.repeat(width + 11)}fix: ${check.fix}`] : []),
  ];
  return [`tender-sync doctor at ${url}: ${passed} of ${report.checks.length} checks passed`, ...report.checks.flatMap(line), report.ok ? 'Day one works: every check passed.' : 'A check failed: change what its fix says, deploy if it is a setting, and run the doctor again.'].join('\n');
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    // No doctor's answer to read (usage, the token, the Worker not answering): not a failed check.
    console.error(`doctor: ${error.message}`);
    process.exit(2);
  },
);
