/**
 * The pages of a fetch batch the bench measures (isolateMemory.ts, invocationCpu.ts): one per
 * window, each the body one upstream request answers, with what readPage is given beside it.
 * - the largest real captured FTS/CF pages (largestPages.ts), 100 releases each;
 * - Public Contracts Scotland whole-month answers of a peak size. PCS has no paging: one request
 *   (`/v1/Notices?dateFrom=MM-YYYY&noticeType=N&outputType=0`) answers a whole month of one notice
 *   type in one body. No real whole-month answer was ever captured, so the answer is built from the
 *   simulator's generator (test/simulator/pcsReleases.ts: releases derived from the 90 real
 *   captures) exactly as the simulator serves it (test/simulator/pcsApi.ts, server.ts: a release
 *   package, UTF-8 byte-order mark first, no links).
 */
import { generatePcsReleases } from '../../test/simulator/pcsReleases.ts';
import { pcsNotices } from '../../test/simulator/pcsApi.ts';
import { indexReleases } from '../../test/simulator/paging.ts';
import { packageText, type ReleasePackage } from '../../test/simulator/releasePackage.ts';
import { mulberry32 } from '../../test/simulator/random.ts';
import { pcsNoticesUrl } from '../../shared/sources/pcs/slices.ts';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { largestPages, pageBytes } from './largestPages.ts';

export interface BatchPage {
  /** What the page is, for the report: a capture's file name, or the PCS month asked. */
  label: string;
  source: SourceName;
  /** The request's URL, handed to readPage as the fetch consumer does (PCS: its notice type, for mapping). */
  url?: string;
  /** The body's size in bytes, as served. */
  bytes: number;
  /** The body in an ArrayBuffer of its own, as `response.arrayBuffer()` gives it: a fresh one each call. */
  body(): Promise<ArrayBuffer>;
}

/**
 * Releases of one notice type in PCS's peak month: an assumption, as no whole month was captured.
 * Issue 25: PCS publishes roughly 30,000 site notices a year, ~2,500 a month over the 4 default
 * notice types (101–104); the simulator's mix puts ~42% of them in type 102 (contract notices:
 * 70% new notices × 3 of 5 draws), ~1,050 in an average month. A peak month taken as about 1.4× the
 * average: 1,500. Overridable by env `BENCH_PCS_MONTH_RELEASES`.
 */
export const PCS_MONTH_RELEASES = Number(process.env.BENCH_PCS_MONTH_RELEASES ?? 1_500);
/** The notice type of the peak month: contract notices (102), the most common site notice. */
const PCS_PEAK_TYPE = 102;
/** The month asked for (any 31-day month: the generator spreads notices over its days). */
const PCS_MONTH = '2026-03';
const PCS_API_URL = 'https://api.publiccontractsscotland.gov.uk';
const DAY = 86_400_000;

/** The 4 (or `count`) largest real captured FTS/CF pages. */
export function largestBatchPages(count: number): BatchPage[] {
  return largestPages(count).map((page) => ({ label: page.file, source: page.source, bytes: page.size, body: () => pageBytes(page.file) }));
}

/**
 * A PCS whole-month answer of `releases` notices of type 102, its bytes exactly as the simulator
 * serves them: the generator run over the month (seeded, so always the same), the first `releases`
 * of type 102 kept, served by the simulator's `/v1/Notices` handler and written as its server does.
 */
export function pcsMonthPage(releases = PCS_MONTH_RELEASES): BatchPage {
  const from = new Date(`${PCS_MONTH}-01T00:00:00Z`);
  const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
  const days = (to.getTime() - from.getTime()) / DAY;
  // Enough notices a day that type 102 (~42% of them) reaches `releases`; more if the draw fell short.
  let generated = [] as ReturnType<typeof generatePcsReleases>;
  for (let perDay = Math.ceil(releases / 0.42 / days) + 1; generated.length < releases; perDay *= 2) {
    generated = generatePcsReleases(perDay, from, to, mulberry32(25)).filter((r) => r.noticeType === PCS_PEAK_TYPE);
  }
  const kept = generated.slice(0, releases);
  const url = pcsNoticesUrl(PCS_API_URL, { month: PCS_MONTH, noticeType: PCS_PEAK_TYPE });
  const answer = pcsNotices(new URL(url), { index: indexReleases(kept), publicBaseUrl: PCS_API_URL, now: to.getTime(), longWindowLoss: false });
  if (answer.status !== 200 || !answer.json || answer.releases.length !== releases) throw new Error(`PCS month: the simulator served ${answer.releases.length} of ${releases} releases`);
  const text = packageText(answer.json as ReleasePackage, answer.releases);
  const served = Buffer.from(answer.bom ? `\uFEFF${text}` : text, 'utf8');
  return {
    label: `PCS ${PCS_MONTH} notice type ${PCS_PEAK_TYPE} (generated)`,
    source: 'PUBLIC_CONTRACTS_SCOTLAND',
    url,
    bytes: served.length,
    body: async () => {
      const copy = new Uint8Array(served.length);
      copy.set(served);
      return copy.buffer;
    },
  };
}

/**
 * The fetch batches the isolate probe measures, each one a window per page. A whole-month source's
 * windows page one at a time in an isolate (consumer/fetch/oneWholeMonthAtATime.ts), so a batch
 * holds at most one PCS answer at once: batches of 2 or 4 PCS months no longer happen.
 */
export const BATCHES = {
  /** 4 windows, each on one of the 4 largest real FTS/CF pages. */
  largestPages: () => largestBatchPages(4),
  /** 1 window on a peak PCS month: what one such window adds. */
  pcsMonth: () => [pcsMonth()],
  /** A peak PCS month beside the 3 largest FTS/CF pages: the worst batch of 4 windows now. */
  pcsBesideLargest: () => [pcsMonth(), ...largestBatchPages(3)],
} satisfies Record<string, () => BatchPage[]>;

export type BatchName = keyof typeof BATCHES;
/** The PCS batches the bench measures beside the largest real pages, smallest first. */
export const PCS_BATCHES: readonly BatchName[] = ['pcsMonth', 'pcsBesideLargest'];

let peakMonth: BatchPage | undefined;
/** The peak month, built once: each window still gets its own copy of the body (`body()`). */
function pcsMonth(): BatchPage {
  peakMonth ??= pcsMonthPage();
  return peakMonth;
}
