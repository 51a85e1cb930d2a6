/**
 * `npm run status [-- URL] [-- --watch]`: the status page in the terminal. Fetches GET /status from a
 * running Worker (URL from the argument, else WORKER_URL, else the one `npm start` runs:
 * http://127.0.0.1:8787) and draws per source a progress bar, rate, ETA, lag, last error, blocked
 * or paused, and the months heatmap; then quarantine and dead letters with their top reasons.
 * `--watch` redraws every 10 s. Exit 1 when the Worker cannot be reached or answers an error.
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatCount, formatDuration, percent } from '../producer/status/formatFigures.ts';
import { LAG_COUNT_CAP } from '../producer/status/readFeedStatus.ts';
import type { ReasonCount, StatusReport } from '../producer/status/readStatus.ts';
import { hasFindings, reconciliationLine } from '../producer/status/reconcileFigures.ts';
import type { WindowState } from '../shared/windows/window.ts';
import { statusHeaders } from './local/workerHeaders.ts';
import { DEFAULT_WORKER_PORT } from './local/workerProcess.ts';

const { values: flags, positionals } = parseArgs({ allowPositionals: true, options: { watch: { type: 'boolean', short: 'w' }, help: { type: 'boolean', short: 'h' } } });
if (flags.help) {
  console.log('npm run status [-- URL] [-- --watch]   (URL default: WORKER_URL, else http://127.0.0.1:8787, where npm start runs the Worker)');
  process.exit(0);
}
const url = (positionals[0] ?? process.env.WORKER_URL ?? `http://127.0.0.1:${DEFAULT_WORKER_PORT}`).replace(/\/+$/, '');
const colour = process.stdout.isTTY && !process.env.NO_COLOR;

async function readReport(): Promise<StatusReport> {
  const response = await fetch(`${url}/status`, { headers: statusHeaders(), signal: AbortSignal.timeout(30_000) }).catch((error: Error) => {
    throw new Error(`cannot reach ${url}/status (${(error.cause as Error | undefined)?.message ?? error.message}): is npm start running, or pass the Worker's URL`);
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url}/status answered ${response.status}: ${text.slice(0, 500)}`);
  // Instants travel as ISO strings: back to Dates, as the report has them.
  return JSON.parse(text, (_key, value) => (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value) ? new Date(value) : value));
}

const STATE_COLOURS: Record<WindowState, number> = { done: 32, fetched: 92, fetching: 34, queued: 94, pending: 37, failed: 31 };
const paint = (code: number, text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);

function bar(percentDone: number, width = 30): string {
  const filled = Math.round((percentDone / 100) * width);
  return `[${paint(32, '█'.repeat(filled))}${'░'.repeat(width - filled)}] ${String(percentDone).padStart(3)}%`;
}

function drawSource(s: StatusReport['sources'][number]): string[] {
  const f = s.figures;
  const lines = [
    `${paint(1, s.source)}${f.tlsError ? paint(31, '  TLS ERROR') : ''}${f.blocked ? paint(31, '  BLOCKED') : ''}${f.paused ? paint(33, '  PAUSED') : ''}${f.reconciliation && hasFindings(f.reconciliation) ? paint(33, '  LOSSES FOUND') : ''}`,
    `  months   ${bar(percent(f.windows.done, f.windows.total))} ${f.windows.done}/${f.windows.total}${f.windows.failed ? paint(31, ` (${f.windows.failed} failed)`) : ''}`,
    `  releases ${bar(percent(f.releases.stored, f.releases.estimatedTotal))} ${formatCount(f.releases.stored)}${f.releases.estimatedTotal === null ? '' : ` of ≈ ${formatCount(f.releases.estimatedTotal)}`}`,
    `  ${formatCount(f.releasesPerHour)} releases/h · ETA ${f.eta.hours ? `${formatDuration(f.eta.hours * 3_600_000)} (${f.eta.note})` : f.eta.note} · lag ${f.lagMs === null ? '—' : formatDuration(f.lagMs)} · ${formatCount(f.contracts)} contracts · ${f.windows.openDeltas} delta(s) open`,
  ];
  if (f.reconciliation) lines.push(`  reconciliation: ${reconciliationLine(f.reconciliation)}`);
  if (f.tlsError) lines.push(paint(31, `  since ${f.tlsError.since.toISOString()}: ${f.tlsError.reason}`));
  if (f.blocked) lines.push(paint(31, `  blocked: ${f.blocked}`));
  if (f.paused) lines.push(paint(33, `  paused by an operator since ${f.paused.since.toISOString()}: ${f.paused.reason}`));
  if (f.lastError) lines.push(`  last error ${f.lastError.at.toISOString()}: ${f.lastError.message}`);
  for (const { year, months } of s.heatmap) lines.push(`  ${year} ${months.map((state) => (state ? paint(STATE_COLOURS[state], '■') : '·')).join(' ')}`);
  return lines;
}

function drawKept(title: string, kept: { count: number; topReasons: ReasonCount[] }): string[] {
  return [`${title}: ${formatCount(kept.count)}`, ...kept.topReasons.map((r) => `  ${String(r.count).padStart(6)}  ${r.reason.slice(0, 150)}`)];
}

function drawFeed(feed: StatusReport['feed']): string[] {
  return [
    `Change feed: newest cursor ${feed.newestCursor}`,
    ...feed.webhooks.map((w) => `  ${w.host}: ${w.entriesBehind > LAG_COUNT_CAP ? `more than ${formatCount(LAG_COUNT_CAP)}` : formatCount(w.entriesBehind)} entries behind, ${formatCount(w.delivered)} delivered${w.failures ? paint(31, ` · ${w.failures} failed since the last delivery: ${w.lastError}`) : ''}`),
  ];
}

function draw(report: StatusReport): string {
  const legend = Object.entries(STATE_COLOURS).map(([state, code]) => `${paint(code, '■')} ${state}`).join('  ');
  return [
    `tender-sync at ${url}, as of ${report.generatedAt.toISOString()}`,
    '',
    ...report.sources.flatMap((s) => [...drawSource(s), '']),
    `  months: ${legend}`,
    '',
    ...drawKept('Quarantined', report.quarantine),
    ...drawKept('Dead letters (not replayed)', report.deadLetters),
    ...drawFeed(report.feed),
  ].join('\n');
}

try {
  do {
    const text = draw(await readReport());
    console.log(flags.watch && colour ? `\x1b[2J\x1b[H${text}` : text);
    if (flags.watch) await sleep(10_000);
  } while (flags.watch);
} catch (error) {
  console.error(`status: ${(error as Error).message}`);
  process.exit(1);
}
