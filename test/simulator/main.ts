/**
 * Runs the simulator on its own, for the local run and for out-of-process tests:
 *   node test/simulator/main.ts --port 8787 --from 2023-01-01 --to 2026-11-24 \
 *     --fts-per-day 3 --cf-per-day 2 --seed 1 --rpm 6 [--long-window-loss] [--no-real]
 *     [--host 127.0.0.1] [--public-base-url URL]
 * Dates are UK calendar days ([from, to) from local midnight). Prints the base URL; Ctrl-C prints
 * the stats and stops.
 */
import { parseArgs } from 'node:util';
import { generateDataset } from './dataset.ts';
import { startSimulator } from './server.ts';
import { parseUkLocal } from './ukTime.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    from: { type: 'string', default: '2023-01-01' },
    to: { type: 'string', default: new Date().toISOString().slice(0, 10) },
    'fts-per-day': { type: 'string', default: '3' },
    'cf-per-day': { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    rpm: { type: 'string', default: '6' },
    'long-window-loss': { type: 'boolean', default: false },
    'no-real': { type: 'boolean', default: false },
    'public-base-url': { type: 'string' },
  },
});

function ukMidnight(day: string): Date {
  const date = parseUkLocal(`${day}T00:00:00`);
  if (!date) throw new Error(`expected a date like 2023-01-01, got '${day}'`);
  return date;
}

function number(flag: keyof typeof values): number {
  const value = Number(values[flag]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${flag} must be a number, got '${values[flag]}'`);
  return value;
}

const dataset = generateDataset({
  seed: number('seed'),
  from: ukMidnight(values.from),
  to: ukMidnight(values.to),
  ftsPerDay: number('fts-per-day'),
  cfPerDay: number('cf-per-day'),
  real: values['no-real'] ? 'none' : 'all',
});
const perMinute = { requests: number('rpm'), periodMs: 60_000 };
const simulator = await startSimulator({
  dataset,
  port: number('port'),
  host: values.host,
  rateLimit: { FIND_A_TENDER: perMinute, CONTRACTS_FINDER: perMinute },
  defectLongWindowLoss: values['long-window-loss'],
  publicBaseUrl: values['public-base-url'],
});

console.log(simulator.url);
console.error(
  `FTS ${dataset.FIND_A_TENDER.length} releases, CF ${dataset.CONTRACTS_FINDER.length} releases, ${perMinute.requests} requests/min each; stats at ${simulator.url}/__sim/stats`,
);

process.once('SIGINT', () => {
  const { servedReleaseIds: _ids, ...stats } = simulator.stats();
  console.log(JSON.stringify(stats, null, 2));
  void simulator.close().then(() => process.exit(0));
});
