/**
 * A deterministic upstream data set: the real releases at their real dates plus releases derived
 * from them, spread over [from, to) in clumps (busy office hours, many empty hours) the way
 * notices are published. Same options, same data set.
 */
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { deriveRelease, drawAmount, makeTemplate, noticeGuidOf, type Identity, type IdSource, type Procurement, type Template } from './derivedRelease.ts';
import { realReleaseTexts, type Release } from './fixtures.ts';
import { kindAndTags } from './noticeKind.ts';
import { ftsCopiesOfPcs } from './ftsCopiesOfPcs.ts';
import { generatePcsReleases, type PcsRelease } from './pcsReleases.ts';
import { jsonKeepingHugeNumbers } from './hugeNumbers.ts';
import { fnv1a, intBetween, mulberry32, pick, uuid, type Random } from './random.ts';
import { BUYER_NAMES, CPV_CODES, TITLE_PATTERNS } from './vocabulary.ts';

export interface SimRelease {
  id: string;
  /** The notice this release is a version of: FTS the notice id (= `id`); CF the notice GUID that
   * starts `id` (`<GUID>-<counter>`: a later version of a notice keeps the GUID, the counter grows). */
  notice: string;
  /** Equals `new Date(release.date)`. */
  date: Date;
  /**
   * When the search lists it, where that is not `date`: a CF notice's new version that keeps its
   * old publication date (CF's search filters on publication), listed where the first version was.
   */
  listedAt?: Date;
  /** PCS only: the `noticeType` code it is listed under (the release does not say). */
  noticeType?: number;
  /** The full OCDS release as the service publishes it. */
  release: Record<string, unknown>;
  /**
   * The release's text as the service writes it, where JSON.stringify(release) would differ: a
   * real capture's own text (`1e9999`, escapes), or a derived release's `1e9999`. Served while the
   * release still stringifies to `parsedAs`, so a test that edits `release` is served its edit.
   */
  verbatim?: { text: string; parsedAs: string };
}

export type Dataset = Record<SourceName, SimRelease[]>;

export interface DatasetOptions {
  seed: number;
  from: Date;
  to: Date;
  ftsPerDay: number;
  cfPerDay: number;
  /** Public Contracts Scotland notices a day (pcsReleases.ts); none unless given. */
  pcsPerDay?: number;
  /**
   * Which real captured releases whose date is in [from, to) are served as captured: `all`
   * (default), `eachKind` (the first of each notice kind and tag set per source: every shape the
   * live streams carry, without the volume of whole captured days), or `none`.
   */
  real?: 'all' | 'eachKind' | 'none';
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How often a new release continues an earlier procurement (same ocid): FTS tender → award; CF
 * pages hold 86–88 distinct ocids per 100 releases. */
const SAME_OCID_SHARE: Record<'FIND_A_TENDER' | 'CONTRACTS_FINDER', number> = { FIND_A_TENDER: 0.3, CONTRACTS_FINDER: 0.13 };

export function generateDataset(options: DatasetOptions): Dataset {
  // A stream per source, so changing one source's volume leaves the other's data as it was.
  const pcs = generatePcsReleases(options.pcsPerDay ?? 0, options.from, options.to, mulberry32(options.seed ^ 0x50435321));
  const fts = generateSource('FIND_A_TENDER', options.ftsPerDay, options, mulberry32(options.seed ^ 0x46545321));
  return {
    FIND_A_TENDER: withCopiesOfPcs(fts, pcs, options),
    CONTRACTS_FINDER: generateSource('CONTRACTS_FINDER', options.cfPerDay, options, mulberry32(options.seed ^ 0x43463421)),
    PUBLIC_CONTRACTS_SCOTLAND: pcs,
  };
}

/** FTS with the copies of PCS notices PCS sent on (ftsCopiesOfPcs.ts), from a stream of their own: without PCS notices, FTS as it was. */
function withCopiesOfPcs(fts: SimRelease[], pcs: PcsRelease[], options: DatasetOptions): SimRelease[] {
  if (pcs.length === 0) return fts;
  const ids = ftsIds([...realsOf('FIND_A_TENDER').reals, ...fts.map((r) => r.release)], mulberry32(options.seed ^ 0x54574e53));
  const copies = ftsCopiesOfPcs(pcs, options.to, ids, mulberry32(options.seed ^ 0x434f5059));
  return [...fts, ...copies].sort(byDateThenId);
}

function byDateThenId(a: SimRelease, b: SimRelease): number {
  return a.date.getTime() - b.date.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function generateSource(source: 'FIND_A_TENDER' | 'CONTRACTS_FINDER', perDay: number, options: DatasetOptions, random: Random): SimRelease[] {
  const from = options.from.getTime();
  const to = options.to.getTime();
  const { reals, templates } = realsOf(source);
  const nextIdentity = source === 'FIND_A_TENDER' ? ftsIds(reals, random) : cfIds(reals, random);
  const procurements: Procurement[] = [];
  const count = to > from ? Math.round((perDay * (to - from)) / DAY) : 0;

  const generated = clumpedTimes(random, from, to, count).map((time): SimRelease => {
    const continues = procurements.length > 0 && random() < SAME_OCID_SHARE[source];
    const what = continues ? pick(random, procurements.slice(-200)) : newProcurement(source, nextIdentity.ocid(), random);
    if (!continues) procurements.push(what);
    const date = new Date(time);
    const winter = source === 'FIND_A_TENDER' ? pick(random, ['Z', '+00:00'] as const) : random() < 0.9 ? 'Z' : '+00:00';
    const who: Identity = { ...nextIdentity.release(what.ocid, date), date, winter };
    const template = pick(random, templates);
    const release = deriveRelease(template, who, what, random);
    const verbatim = template.nonFinite ? { text: jsonKeepingHugeNumbers(release), parsedAs: JSON.stringify(release) } : undefined;
    return { id: who.id, notice: who.noticeGuid ?? who.id, date, release, ...(verbatim && { verbatim }) };
  });

  // Each data set gets copies (parsed from the captured text), so editing one leaves the next as it was.
  const real = servedReals(source, reals, options.real ?? 'all').flatMap((i) => {
    const time = new Date(String(reals[i].date)).getTime();
    return time >= from && time < to ? [toSimRelease(templates[i].text)] : [];
  });
  return [...generated, ...real].sort(byDateThenId);
}

/** The indexes of the real releases served: all, the first of each kind and tag set, or none. */
function servedReals(source: SourceName, reals: readonly Release[], which: 'all' | 'eachKind' | 'none'): number[] {
  if (which === 'none') return [];
  if (which === 'all') return reals.map((_, i) => i);
  const firstOfKind = new Map<string, number>();
  reals.forEach((release, i) => {
    const kind = kindAndTags(source, release);
    if (!firstOfKind.has(kind)) firstOfKind.set(kind, i);
  });
  return [...firstOfKind.values()];
}

/** Per source, read once per process: every distinct real release (never handed out) and its template, made from the captured text. */
const realsCache = new Map<SourceName, { reals: readonly Release[]; templates: readonly Template[] }>();

function realsOf(source: SourceName): { reals: readonly Release[]; templates: readonly Template[] } {
  let cached = realsCache.get(source);
  if (!cached) {
    const texts = realReleaseTexts(source);
    const reals = texts.map((text) => JSON.parse(text) as Release);
    cached = { reals, templates: reals.map((release, i) => makeTemplate(release, texts[i])) };
    realsCache.set(source, cached);
  }
  return cached;
}

/** A real release, served as captured. */
function toSimRelease(text: string): SimRelease {
  const release = JSON.parse(text) as Release;
  const id = String(release.id);
  return { id, notice: noticeGuidOf(id) ?? id, date: new Date(String(release.date)), release, verbatim: { text, parsedAs: JSON.stringify(release) } };
}

/**
 * `count` instants (whole seconds) in [from, to), ascending. Each hour gets a random weight:
 * weekday office hours are mostly active, other hours mostly empty, so releases bunch up.
 */
function clumpedTimes(random: Random, from: number, to: number, count: number): number[] {
  const start = Math.ceil(from / 1000) * 1000;
  if (count <= 0 || to <= start) return [];
  const hours = Math.ceil((to - start) / HOUR);
  const cumulative = new Float64Array(hours);
  let total = 0;
  for (let i = 0; i < hours; i++) {
    const at = new Date(start + i * HOUR);
    const office = at.getUTCDay() % 6 !== 0 && at.getUTCHours() >= 8 && at.getUTCHours() < 18;
    if (random() < (office ? 0.7 : 0.1)) total += -Math.log(1 - random()) * (office ? 3 : 1);
    cumulative[i] = total;
  }
  // A window too short to have drawn an active hour still gets its releases, evenly.
  if (total === 0) cumulative.forEach((_, i) => (cumulative[i] = total = i + 1));
  const times: number[] = [];
  for (let k = 0; k < count; k++) {
    const u = random() * total;
    let lo = 0;
    let hi = hours - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    const hourStart = start + lo * HOUR;
    const span = Math.min(HOUR, to - hourStart);
    times.push(hourStart + Math.floor((random() * span) / 1000) * 1000);
  }
  return times.sort((a, b) => a - b);
}

function newProcurement(source: SourceName, ocid: string, random: Random): Procurement {
  const name = pick(random, BUYER_NAMES);
  const hash = fnv1a(name);
  const buyer =
    source === 'FIND_A_TENDER'
      ? pponBuyer(name, hash)
      : { id: `GB-CFS-${10_000 + (hash % 290_000)}`, name, scheme: 'GB-CFS', localId: String(10_000 + (hash % 290_000)) };
  const cpvs = [pick(random, CPV_CODES)];
  if (random() < 0.4) cpvs.push(pick(random, CPV_CODES));
  return { ocid, buyer, cpvs, title: pick(random, TITLE_PATTERNS)(cpvs[0].description, name), amount: drawAmount(random) };
}

/** FTS buyers carry Procurement Act PPON ids like `GB-PPON-PDTL-7248-GWZW`. */
function pponBuyer(name: string, hash: number) {
  const letters = (h: number) => Array.from({ length: 4 }, (_, i) => String.fromCharCode(65 + ((h >>> (i * 5)) % 26))).join('');
  const localId = `${letters(hash)}-${String(hash % 10_000).padStart(4, '0')}-${letters(fnv1a(`${name}#`))}`;
  return { id: `GB-PPON-${localId}`, name, scheme: 'GB-PPON', localId };
}

/**
 * FTS: release id = notice id `nnnnnn-yyyy`, numbered in publication order within a year;
 * ocid `ocds-h6vhtk-` + 6 hex digits. The ids of `taken` (the real releases; for the copies of PCS
 * notices, the generated ones too) are skipped so new ones never collide.
 */
function ftsIds(taken: readonly Release[], random: Random): IdSource {
  const takenIds = new Set(taken.map((r) => String(r.id)));
  const takenOcids = new Set(taken.map((r) => String(r.ocid)));
  const perYear = new Map<string, number>();
  let ocidNumber = 0x040000 + intBetween(random, 0, 0xffff);
  return {
    ocid() {
      let ocid: string;
      do ocid = `ocds-h6vhtk-${(ocidNumber += intBetween(random, 1, 3)).toString(16).padStart(6, '0')}`;
      while (takenOcids.has(ocid));
      return ocid;
    },
    release(_ocid, date) {
      const year = String(date.getUTCFullYear());
      let n = perYear.get(year) ?? 0;
      let id: string;
      do id = `${String(++n).padStart(6, '0')}-${year}`;
      while (takenIds.has(id));
      perYear.set(year, n);
      return { id, noticeGuid: null };
    },
  };
}

/**
 * CF: release id `<notice GUID>-<6 digits>` (the digits grow with publication), ocid
 * `ocds-b5fd17-<GUID>`. A later release of the same procurement reuses the notice GUID half the
 * time, as amendments of one notice do.
 */
function cfIds(reals: readonly Release[], random: Random): IdSource {
  const takenIds = new Set(reals.map((r) => String(r.id)));
  const noticeOfOcid = new Map<string, string>();
  let serial = 400_000 + intBetween(random, 0, 99_999);
  return {
    ocid: () => `ocds-b5fd17-${uuid(random)}`,
    release(ocid) {
      const earlier = noticeOfOcid.get(ocid);
      const noticeGuid = earlier && random() < 0.5 ? earlier : uuid(random);
      noticeOfOcid.set(ocid, noticeGuid);
      let id: string;
      do id = `${noticeGuid}-${(serial += intBetween(random, 1, 3))}`;
      while (takenIds.has(id));
      return { id, noticeGuid };
    },
  };
}
