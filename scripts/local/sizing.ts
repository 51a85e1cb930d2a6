/**
 * The pure half of the benchmark: a realistic sample of releases, mapped per STORE_RAW mode, and
 * the BSON size of the document each one becomes. No server: BSON.calculateObjectSize is what
 * MongoDB counts against a document's and a cluster's data size (before WiredTiger compression).
 */
import { BSON, type Document } from 'mongodb';
import { mapRelease } from '../../shared/mapping/mapRelease.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import type { PageContext } from '../../shared/mapping/pageContext.ts';
import type { StoreRaw } from '../../shared/mapping/rawData.ts';
import { parseRelease } from '../../shared/ocds/releaseSchema.ts';
import { buildWriteMessages } from '../../consumer/fetch/buildWriteMessages.ts';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { pageContextOfType } from '../../shared/sources/pcs/noticeTypes.ts';
import { sources } from '../../shared/sources/sources.ts';
import { toContractDocument } from '../../shared/store/contracts.ts';
import { generateDataset } from '../../test/simulator/dataset.ts';
import { realReleases } from '../../test/simulator/fixtures.ts';

export const MODES: readonly StoreRaw[] = ['object', 'gzip', 'off'];
export const SOURCES: readonly SourceName[] = ['FIND_A_TENDER', 'CONTRACTS_FINDER', 'PUBLIC_CONTRACTS_SCOTLAND'];
/** Roughly the whole published history: FTS and CF ~1.4 M, PCS's site notices ~30,000 a year since 2019 (issue 25). */
export const HISTORY_RELEASES = 1_630_000;
const ATLAS_M0_BYTES = 512 * 1024 * 1024;

export interface SampleRelease {
  source: SourceName;
  release: Record<string, unknown>;
  /** What its page's request says of it (PCS: the notice type it was listed under). */
  page?: PageContext;
}

/**
 * One year of generated releases (3 a day per source), plus every real captured release of FTS and
 * CF: the reals fall in 2022 (CF) and 2026 (FTS), so no single one-year window holds them all; they
 * are the least uniform part of the sample, hence added whatever the window. PCS's real captures
 * have no release id and are not served: its generated notices (derived from them) stand for it.
 * Ordered by source, then date, as pages come.
 */
export function sampleReleases(): SampleRelease[] {
  const dataset = generateDataset({ seed: 1, from: new Date('2025-10-07T00:00:00Z'), to: new Date('2026-10-07T00:00:00Z'), ftsPerDay: 3, cfPerDay: 3, pcsPerDay: 3 });
  const paged = (['FIND_A_TENDER', 'CONTRACTS_FINDER'] as const).flatMap((source): SampleRelease[] => {
    const ids = new Set(dataset[source].map((r) => r.id));
    const extra = realReleases(source).filter((r) => !ids.has(String(r.id)));
    return [...dataset[source].map((r) => r.release), ...extra].map((release) => ({ source, release }));
  });
  const pcs = dataset.PUBLIC_CONTRACTS_SCOTLAND.map((r): SampleRelease => ({ source: 'PUBLIC_CONTRACTS_SCOTLAND', release: r.release, page: pageContextOfType(r.noticeType) }));
  return [...paged, ...pcs];
}

export interface MappedSample {
  mapped: MappedRelease[];
  rejected: number;
  /** Wall time of parseRelease + mapRelease over the sample. */
  ms: number;
}

/** Validate, then map, one release after another (a single thread, as a fetch consumer does). */
export async function mapSample(sample: readonly SampleRelease[], storeRaw: StoreRaw): Promise<MappedSample> {
  const mapped: MappedRelease[] = [];
  let rejected = 0;
  const started = performance.now();
  for (const { source, release, page } of sample) {
    const parsed = parseRelease(release);
    if (!parsed.ok) {
      rejected++;
      continue;
    }
    mapped.push(await mapRelease(sources[source], parsed.release, { storeRaw, page }));
  }
  return { mapped, rejected, ms: performance.now() - started };
}

export const bsonSize = (doc: Document): number => BSON.calculateObjectSize(doc);

interface Stats {
  count: number;
  avg: number;
  median: number;
  max: number;
}

export function stats(values: readonly number[]): Stats {
  if (values.length === 0) return { count: 0, avg: 0, median: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return {
    count: sorted.length,
    avg: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    median: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
    max: sorted[sorted.length - 1],
  };
}

export interface ModeSizes {
  mode: StoreRaw;
  perSource: Record<SourceName, Stats>;
  all: Stats;
  mapping: MappedSample;
  pages: { pages: number; messages: number; maxPerPage: number; oversized: number };
}

/** Stored-document sizes of one mode, and how its write messages split pages of 100 releases. */
export async function measureMode(sample: readonly SampleRelease[], mode: StoreRaw, now: Date): Promise<ModeSizes> {
  const mapping = await mapSample(sample, mode);
  const sizes = mapping.mapped.map((m) => ({ source: m.contract.source, bytes: bsonSize(toContractDocument(m.contract, now)) }));
  const perSource = Object.fromEntries(SOURCES.map((s) => [s, stats(sizes.filter((x) => x.source === s).map((x) => x.bytes))])) as Record<SourceName, Stats>;
  return { mode, perSource, all: stats(sizes.map((x) => x.bytes)), mapping, pages: splitPages(mapping.mapped) };
}

/** Pages hold one source's releases; 100 a page, as FTS and CF are asked for (a PCS answer is a whole month: not counted here). */
function splitPages(mapped: readonly MappedRelease[]): ModeSizes['pages'] {
  const result = { pages: 0, messages: 0, maxPerPage: 0, oversized: 0 };
  for (const source of SOURCES.filter((s) => !sources[s].wholeMonths)) {
    const ofSource = mapped.filter((m) => m.contract.source === source);
    for (let i = 0; i < ofSource.length; i += 100) {
      const { messages, oversized } = buildWriteMessages({ windowId: 'bench', generation: 1, page: result.pages }, ofSource.slice(i, i + 100));
      // A page with oversized releases also sends one staged-ids part.
      const count = messages.length + (oversized.length > 0 ? 1 : 0);
      result.pages++;
      result.messages += count;
      result.maxPerPage = Math.max(result.maxPerPage, count);
      result.oversized += oversized.length;
    }
  }
  return result;
}

const utf8 = new TextEncoder();
export const jsonSize = (value: unknown): number => utf8.encode(JSON.stringify(value)).byteLength;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(0)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${Math.round(bytes)} B`;
}

const B = (n: number) => Math.round(n).toLocaleString('en-GB');

export function sizingTable(rows: readonly ModeSizes[]): string {
  const lines = [
    `| STORE_RAW | avg FTS | avg CF | avg PCS | avg all | median | max | projected ${(HISTORY_RELEASES / 1e6).toFixed(2)} M releases | fits Atlas M0 (512 MB)? |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const { mode, perSource, all } of rows) {
    const projected = all.avg * HISTORY_RELEASES;
    lines.push(
      `| ${mode} | ${B(perSource.FIND_A_TENDER.avg)} | ${B(perSource.CONTRACTS_FINDER.avg)} | ${B(perSource.PUBLIC_CONTRACTS_SCOTLAND.avg)} | ${B(all.avg)} | ${B(all.median)} | ${B(all.max)} | ${formatBytes(projected)} | ${projected <= ATLAS_M0_BYTES ? 'yes' : `no (${(projected / ATLAS_M0_BYTES).toFixed(1)}×)`} |`,
    );
  }
  return lines.join('\n');
}

export function mappingTable(rows: readonly ModeSizes[]): string {
  const lines = [
    '| STORE_RAW | releases mapped | rejected | parse+map releases/s | write messages per page of 100 (avg) | max per page | oversized (staged) |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { mode, mapping, pages } of rows) {
    const perSecond = mapping.mapped.length / (mapping.ms / 1000);
    lines.push(`| ${mode} | ${mapping.mapped.length} | ${mapping.rejected} | ${B(perSecond)} | ${(pages.messages / pages.pages).toFixed(2)} | ${pages.maxPerPage} | ${pages.oversized} |`);
  }
  return lines.join('\n');
}
