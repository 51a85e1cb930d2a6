import { afterEach, describe, expect, it } from 'vitest';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { readFixture, REAL_FIXTURES, releaseKey, releaseTexts } from '../fixtures/realFixtures.ts';
import { pcsOcidLinkedBy, scRefOf } from '../../shared/sources/pcs/pcsReferences.ts';
import { kindOf } from './noticeKind.ts';
import { generateDataset, type Dataset, type SimRelease } from './dataset.ts';
import { deriveRelease, makeTemplate, type Identity, type Procurement } from './derivedRelease.ts';
import { parseFaults } from './faults.ts';
import { realReleaseTexts, type Release } from './fixtures.ts';
import { decodeCursor } from './paging.ts';
import { fnv1a, mulberry32 } from './random.ts';
import { jsonKeepingHugeNumbers } from './hugeNumbers.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from './server.ts';
import { formatUkIso, formatUkLocal, parseUkLocal } from './ukTime.ts';

type Package = { releases: { id: string; date: string }[]; links?: { next: string } } & Record<string, unknown>;

const PACKAGE_KEYS = ['uri', 'version', 'extensions', 'publishedDate', 'publisher', 'license', 'publicationPolicy', 'releases', 'links'];
const GENEROUS = { requests: 10_000, periodMs: 60_000 };

/** A week around the real CF pages (2022-10-19…22), so both real and generated releases are served. */
const dataset = generateDataset({
  seed: 7,
  from: new Date('2022-10-17T00:00:00Z'),
  to: new Date('2022-10-24T00:00:00Z'),
  ftsPerDay: 40,
  cfPerDay: 30,
});

let clock = Date.parse('2022-10-23T00:00:00Z');
const running: Simulator[] = [];

async function start(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  clock = Date.parse('2022-10-23T00:00:00Z');
  const sim = await startSimulator({
    dataset,
    rateLimit: { FIND_A_TENDER: GENEROUS, CONTRACTS_FINDER: GENEROUS },
    now: () => clock,
    ...options,
  });
  running.push(sim);
  return sim;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

/** Follows links.next to the end. */
async function pageAll(first: string): Promise<{ pages: Package[]; ids: string[] }> {
  const pages: Package[] = [];
  for (let next: string | undefined = first; next; next = pages.at(-1)?.links?.next) {
    const response = await fetch(next);
    expect(response.status).toBe(200);
    pages.push((await response.json()) as Package);
  }
  return { pages, ids: pages.flatMap((p) => p.releases.map((r) => r.id)) };
}

function expectedIds(source: SourceName, from: string, to: string, data: Dataset = dataset): string[] {
  const [f, t] = [Date.parse(from), Date.parse(to)];
  return data[source]
    .filter((r) => r.date.getTime() >= f && r.date.getTime() < t)
    .sort((a, b) => b.date.getTime() - a.date.getTime() || (a.id < b.id ? 1 : -1))
    .map((r) => r.id);
}

const ftsWindow = (sim: Simulator, from: string, to: string, limit = 100) => `${sim.ftsUrl}?updatedFrom=${from}&updatedTo=${to}&limit=${limit}`;
const cfWindow = (sim: Simulator, from: string, to: string, limit = 100) => `${sim.cfUrl}?publishedFrom=${from}&publishedTo=${to}&limit=${limit}`;

describe('generateDataset', () => {
  const options = { seed: 42, from: new Date('2024-03-01T00:00:00Z'), to: new Date('2024-05-01T00:00:00Z'), ftsPerDay: 20, cfPerDay: 10 };

  it('is deterministic: same seed, same releases; another seed, other ids', () => {
    const a = generateDataset(options);
    const b = generateDataset(options);
    expect(b.FIND_A_TENDER.map((r) => r.id)).toEqual(a.FIND_A_TENDER.map((r) => r.id));
    expect(JSON.stringify(b.CONTRACTS_FINDER.slice(0, 20))).toBe(JSON.stringify(a.CONTRACTS_FINDER.slice(0, 20)));
    const c = generateDataset({ ...options, seed: 43 });
    expect(c.CONTRACTS_FINDER.map((r) => r.id)).not.toEqual(a.CONTRACTS_FINDER.map((r) => r.id));
  });

  it('generates perDay × days releases per source with unique, real-looking ids', () => {
    const data = generateDataset({ ...options, real: 'none' });
    expect(data.FIND_A_TENDER).toHaveLength(20 * 61);
    expect(data.CONTRACTS_FINDER).toHaveLength(10 * 61);
    const shapes: Record<'FIND_A_TENDER' | 'CONTRACTS_FINDER', [RegExp, RegExp]> = {
      FIND_A_TENDER: [/^\d{6}-\d{4}$/, /^ocds-h6vhtk-[0-9a-f]{6}$/],
      CONTRACTS_FINDER: [/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}-\d{6}$/, /^ocds-b5fd17-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/],
    };
    for (const source of ['FIND_A_TENDER', 'CONTRACTS_FINDER'] as const) {
      const releases = data[source];
      expect(new Set(releases.map((r) => r.id)).size).toBe(releases.length);
      for (const r of releases) {
        expect(r.id).toMatch(shapes[source][0]);
        expect(r.release.ocid).toMatch(shapes[source][1]);
        expect(r.release.id).toBe(r.id);
        expect(r.date.getTime()).toBe(new Date(String(r.release.date)).getTime());
        expect(r.date >= options.from && r.date < options.to).toBe(true);
      }
      // Procurements continue under one ocid, and buyers recur.
      expect(new Set(releases.map((r) => r.release.ocid)).size).toBeLessThan(releases.length);
      // Some real FTS notices (cancellations, terminations) name their buyer only among the parties.
      const buyers = new Set(releases.flatMap((r) => (r.release.buyer as { name: string } | undefined)?.name ?? []));
      expect(buyers.size).toBeGreaterThan(30);
      expect(buyers.size).toBeLessThan(releases.length / 4);
    }
  });

  it('writes UK offsets (+01:00 in BST; Z or +00:00 in GMT), spreads CPV divisions and clumps releases in hours', () => {
    const releases = generateDataset(options).FIND_A_TENDER;
    const offsets = new Set(releases.map((r) => String(r.release.date).slice(19)));
    expect(offsets).toEqual(new Set(['Z', '+00:00', '+01:00']));
    for (const r of releases) expect(String(r.release.date)).toBe(formatUkIso(r.date, String(r.release.date).endsWith('Z') ? 'Z' : '+00:00'));
    const cpvs = JSON.stringify(releases.map((r) => r.release)).match(/"scheme":"CPV","id":"(\d\d)/g) ?? [];
    expect(new Set(cpvs).size).toBeGreaterThan(25);
    const busyHours = new Set(releases.map((r) => Math.floor(r.date.getTime() / 3_600_000)));
    expect(busyHours.size).toBeLessThan((61 * 24) / 2);
  });

  it('gives a few CF notices 2–3 versions (one GUID, growing counters), as the real pages have; an FTS notice is one release', () => {
    const data = generateDataset({ ...options, real: 'none' });
    const versions = new Map<string, SimRelease[]>();
    for (const r of data.CONTRACTS_FINDER) versions.set(r.notice, [...(versions.get(r.notice) ?? []), r]);
    for (const [notice, releases] of versions) {
      for (const r of releases) expect(r.id).toMatch(new RegExp(`^${notice}-\\d{6}$`));
      expect(new Set(releases.map((r) => r.release.ocid)).size, `versions of ${notice} share an ocid`).toBe(1);
    }
    const counts = [...versions.values()].map((releases) => releases.length);
    expect(counts.filter((n) => n === 2).length).toBeGreaterThan(5);
    expect(counts.filter((n) => n === 3).length).toBeGreaterThan(0);
    expect(counts.filter((n) => n > 1).length).toBeLessThan(versions.size / 5);
    expect(data.FIND_A_TENDER.every((r) => r.notice === r.id)).toBe(true);
    const real = dataset.CONTRACTS_FINDER.filter((r) => r.id.startsWith('78c30ae8-867d-43af-8fe7-52d1ea8e16fa-'));
    expect(real.map((r) => r.notice)).toEqual(Array(3).fill('78c30ae8-867d-43af-8fe7-52d1ea8e16fa'));
  });

  it('includes the real releases at their real dates only when asked and in range', () => {
    const withReal = dataset.CONTRACTS_FINDER.filter((r) => r.id === '7d005747-1320-456e-b1fb-79919a74e44f-582356');
    expect(withReal.map((r) => r.release.date)).toEqual(['2022-10-20T09:42:13+01:00']);
    const week = { seed: 7, from: new Date('2022-10-17T00:00:00Z'), to: new Date('2022-10-24T00:00:00Z'), ftsPerDay: 40, cfPerDay: 30 };
    expect(generateDataset({ ...week, real: 'none' }).CONTRACTS_FINDER).toHaveLength(30 * 7);
    expect(dataset.CONTRACTS_FINDER).toHaveLength(30 * 7 + 200);
    expect(dataset.FIND_A_TENDER).toHaveLength(40 * 7); // the real FTS notices are from 2026
  });

  it('sends a few PCS notices on to Find a Tender, as PCS does, only when PCS notices are generated: FTS otherwise as it was', () => {
    const withPcs = generateDataset({ ...options, real: 'none', pcsPerDay: 5 });
    const without = generateDataset({ ...options, real: 'none' });
    const ftsIds = new Set(without.FIND_A_TENDER.map((r) => r.id));
    expect(JSON.stringify(withPcs.FIND_A_TENDER.filter((r) => ftsIds.has(r.id)))).toBe(JSON.stringify(without.FIND_A_TENDER));
    expect(JSON.stringify(withPcs.CONTRACTS_FINDER)).toBe(JSON.stringify(without.CONTRACTS_FINDER));

    const copies = withPcs.FIND_A_TENDER.filter((r) => !ftsIds.has(r.id));
    const originals = new Map(withPcs.PUBLIC_CONTRACTS_SCOTLAND.map((r) => [scRefOf(r.release.description), r]));
    expect(copies.length).toBeGreaterThan(withPcs.PUBLIC_CONTRACTS_SCOTLAND.length / 10);
    expect(copies.length).toBeLessThan(withPcs.PUBLIC_CONTRACTS_SCOTLAND.length / 2);
    expect(new Set(copies.map((r) => r.release.ocid)).size).toBe(copies.length);
    for (const copy of copies) {
      const original = originals.get(scRefOf(copy.release.description))!;
      expect(original, `the PCS notice ${copy.id} was sent on from`).toBeDefined();
      expect(pcsOcidLinkedBy(copy.release.links)).toBe(original.release.ocid);
      expect(copy.id).toMatch(/^\d{6}-\d{4}$/);
      expect(copy.date > original.date && copy.date < options.to).toBe(true);
      expect(copy.date.getTime() - original.date.getTime()).toBeLessThan(86_400_000);
      const [buyer, pcsBuyer] = [copy, original].map((r) => (r.release.parties as { name: string; roles: string[]; address: unknown }[]).find((p) => p.roles.includes('buyer'))!);
      expect({ name: buyer.name, address: buyer.address }).toEqual({ name: pcsBuyer.name, address: pcsBuyer.address });
      expect({ 101: 'planning', 102: 'tender', 103: 'award' }[original.noticeType!]).toBe((copy.release.tag as string[])[0]);
    }
  });

  it('makes 5,000 releases (how fast: npm run bench, not a timed test)', () => {
    const data = generateDataset({ seed: 1, from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-01-11T00:00:00Z'), ftsPerDay: 300, cfPerDay: 200 });
    expect(data.FIND_A_TENDER.length + data.CONTRACTS_FINDER.length).toBe(5000);
  });
});

type Json = Record<string, unknown>;

/** Keys and value types, arrays by the union of their elements' shapes: what a release looks like, not what it says. */
function shapeOf(value: unknown, path = '', into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    into.add(`${path}:array`);
    for (const item of value) shapeOf(item, `${path}[]`, into);
  } else if (value !== null && typeof value === 'object') {
    into.add(`${path}:object`);
    for (const [key, item] of Object.entries(value)) shapeOf(item, `${path}.${key}`, into);
  } else into.add(`${path}:${value === null ? 'null' : typeof value}`);
  return into;
}

/** The sources whose real captures the simulator serves (PCS's have no release ids: pcsReleases.ts). */
const FTS_AND_CF = ['FIND_A_TENDER', 'CONTRACTS_FINDER'] as const;

const ID_SHAPES: Record<'FIND_A_TENDER' | 'CONTRACTS_FINDER', [RegExp, RegExp]> = {
  FIND_A_TENDER: [/^\d{6}-\d{4}$/, /^ocds-h6vhtk-[0-9a-f]{6}$/],
  CONTRACTS_FINDER: [/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}-\d{6}$/, /^ocds-b5fd17-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/],
};

/** The real captures read independently of the simulator: every distinct release (id + ocid) of a source, as JSON.parse reads the file. */
async function corpusOf(source: SourceName): Promise<Map<string, Json>> {
  const releases = new Map<string, Json>();
  for (const fixture of REAL_FIXTURES.filter((f) => f.source === source)) {
    for (const release of (await readFixture(fixture.file)).releases) if (!releases.has(releaseKey(release))) releases.set(releaseKey(release), release as Json);
  }
  return releases;
}

describe('the real corpus as templates and as served releases', () => {
  it.each(FTS_AND_CF)('%s: derives from every real release: no throw, same notice kind, tags and shape, ids valid for the source', async (source) => {
    const corpus = await corpusOf(source);
    const texts = realReleaseTexts(source);
    expect(texts).toHaveLength(corpus.size);
    const random = mulberry32(5);
    const fts = source === 'FIND_A_TENDER';
    const guid = '0a1b2c3d-4e5f-4a6b-8c7d-0123456789ab';
    const who: Identity = { id: fts ? '000123-2025' : `${guid}-512345`, noticeGuid: fts ? null : guid, date: new Date('2025-03-04T10:11:12Z'), winter: 'Z' };
    const what: Procurement = {
      ocid: fts ? 'ocds-h6vhtk-0f0f0f' : `ocds-b5fd17-${guid.replace('0a1b', 'ffff')}`,
      buyer: fts ? { id: 'GB-PPON-ABCD-1234-EFGH', name: 'A Council', scheme: 'GB-PPON', localId: 'ABCD-1234-EFGH' } : { id: 'GB-CFS-12345', name: 'A Council', scheme: 'GB-CFS', localId: '12345' },
      cpvs: [
        { id: '45000000', description: 'Construction work' },
        { id: '72000000', description: 'IT services: consulting, software development, Internet and support' },
      ],
      title: 'Derived',
      amount: 123_400,
    };
    const kinds = new Set<string>();
    for (const text of texts) {
      const real = JSON.parse(text) as Release;
      const template = makeTemplate(real, text);
      const derived = deriveRelease(template, who, what, random);
      const served = jsonKeepingHugeNumbers(derived);
      const label = `${source} ${String(real.id)}`;
      expect(derived.id, label).toBe(who.id);
      expect(derived.ocid, label).toBe(what.ocid);
      expect(derived.id).toMatch(ID_SHAPES[source][0]);
      expect(derived.ocid).toMatch(ID_SHAPES[source][1]);
      expect(derived.date, label).toBe(formatUkIso(who.date, 'Z'));
      expect(served, `${label}: no trace of the real notice's id or ocid`).not.toContain(String(real.ocid));
      expect(served, label).not.toContain(`/Notice/${String(real.id)}`);
      expect(derived.tag, label).toEqual(real.tag);
      expect(kindOf(source, derived), label).toBe(kindOf(source, real));
      expect([...shapeOf(JSON.parse(served))].sort(), label).toEqual([...shapeOf(JSON.parse(text))].sort());
      expect(/[:,[]-?1e9999[,}\]]/.test(served), `${label}: the number 1e9999 kept`).toBe(template.nonFinite);
      kinds.add(kindOf(source, real));
    }
    if (fts) {
      // Procurement Act notice types and 2015-regulation notices alike.
      expect([...kinds].filter((k) => /^UK\d+$/.test(k)).length).toBeGreaterThanOrEqual(10);
      expect([...kinds].some((k) => k.startsWith('legal basis 3201'))).toBe(true);
    }
  });

  it('serves every real release at its date, as captured, among generated ones of every notice kind and tag set of the corpus', async () => {
    const corpus = Object.fromEntries(await Promise.all(FTS_AND_CF.map(async (source) => [source, await corpusOf(source)] as const))) as Record<(typeof FTS_AND_CF)[number], Map<string, Json>>;
    const times = FTS_AND_CF.flatMap((source) => [...corpus[source].values()].map((r) => Date.parse(String(r.date))));
    const from = new Date(Math.min(...times) - 86_400_000);
    const to = new Date(Math.max(...times) + 86_400_000);
    const data = generateDataset({ seed: 3, from, to, ftsPerDay: 0.1, cfPerDay: 0.1 });
    const sim = await start({ dataset: data });
    const bodies: Record<(typeof FTS_AND_CF)[number], string[]> = { FIND_A_TENDER: [], CONTRACTS_FINDER: [] };
    const first: Record<(typeof FTS_AND_CF)[number], string> = {
      FIND_A_TENDER: ftsWindow(sim, formatUkLocal(from), formatUkLocal(to)),
      CONTRACTS_FINDER: cfWindow(sim, from.toISOString().replace('.000Z', 'Z'), to.toISOString().replace('.000Z', 'Z')),
    };
    for (const source of FTS_AND_CF) {
      for (let next: string | undefined = first[source]; next; ) {
        const response: Response = await fetch(next);
        expect(response.status).toBe(200);
        const body: string = await response.text();
        bodies[source].push(body);
        next = (JSON.parse(body) as Package).links?.next;
      }
    }
    const captured = (source: SourceName) => new Map(realReleaseTexts(source).map((text) => [releaseKey(JSON.parse(text)), text]));
    for (const source of FTS_AND_CF) {
      const texts = bodies[source].flatMap((body) => releaseTexts(body));
      const served = texts.map((text) => ({ text, release: JSON.parse(text) as Json }));
      expect(new Set(served.map((r) => r.release.id)).size, `${source}: every release once`).toBe(served.length);
      expect(served).toHaveLength(data[source].length);
      const real = served.filter((r) => corpus[source].has(releaseKey(r.release)));
      expect(real, `${source}: every real release served`).toHaveLength(corpus[source].size);
      const capturedText = captured(source);
      for (const { text, release } of real) {
        const key = releaseKey(release);
        // The same bytes the capture has (without the whitespace between tokens): `1e9999` and `1234.00` included.
        expect(text, key).toBe(capturedText.get(key));
        expect(JSON.stringify(release), key).toBe(JSON.stringify(corpus[source].get(key)));
      }
      const kinds = (releases: Iterable<Json>) => [...new Set([...releases].map((r) => kindOf(source, r)))].sort();
      const tagSets = (releases: Iterable<Json>) => [...new Set([...releases].map((r) => JSON.stringify(r.tag)))].sort();
      expect(kinds(served.map((r) => r.release))).toEqual(kinds(corpus[source].values()));
      expect(tagSets(served.map((r) => r.release))).toEqual(tagSets(corpus[source].values()));
      // Generated releases are there too, each of a kind the corpus has.
      const generated = served.filter((r) => !corpus[source].has(releaseKey(r.release)));
      expect(generated.length).toBeGreaterThan(50);
    }
    const fts = bodies.FIND_A_TENDER.join('');
    const huge = [...captured('FIND_A_TENDER').values()].filter((text) => text.includes('1e9999'));
    expect(huge.length).toBeGreaterThan(0);
    for (const text of huge) expect(fts).toContain(text);
  });
});

describe('ukTime', () => {
  it('reads zone-less UK wall times in BST and GMT, and the clock-change hours', () => {
    expect(parseUkLocal('2024-07-01T10:00:00')?.toISOString()).toBe('2024-07-01T09:00:00.000Z');
    expect(parseUkLocal('2024-01-15T10:00:00')?.toISOString()).toBe('2024-01-15T10:00:00.000Z');
    // October overlap: the first (BST) 01:30; March gap: read as GMT.
    expect(parseUkLocal('2024-10-27T01:30:00')?.toISOString()).toBe('2024-10-27T00:30:00.000Z');
    expect(parseUkLocal('2024-03-31T01:30:00')?.toISOString()).toBe('2024-03-31T01:30:00.000Z');
    expect(parseUkLocal('2024-02-30T00:00:00')).toBeNull();
    expect(parseUkLocal('2024-01-15T10:00:00Z')).toBeNull();
    expect(formatUkLocal(new Date('2024-07-01T23:30:00Z'))).toBe('2024-07-02T00:30:00');
    expect(formatUkIso(new Date('2024-07-01T09:00:00Z'))).toBe('2024-07-01T10:00:00+01:00');
  });
});

describe('Find a Tender', () => {
  const from = '2022-10-19T06:00:00';
  const to = '2022-10-21T18:00:00';

  it('pages a window by links.next: every release once, newest first, limit honoured, no links on the last page', async () => {
    const sim = await start();
    const { pages, ids } = await pageAll(ftsWindow(sim, from, to, 17));
    expect(ids).toEqual(expectedIds('FIND_A_TENDER', '2022-10-19T05:00:00Z', '2022-10-21T17:00:00Z'));
    expect(sim.requests.flatMap((r) => r.releaseIds)).toEqual(ids);
    expect(ids.length).toBeGreaterThan(60);
    for (const page of pages.slice(0, -1)) {
      expect(Object.keys(page)).toEqual(PACKAGE_KEYS);
      expect(page.releases).toHaveLength(17);
      expect(page.publishedDate).toBe(page.releases[0].date);
    }
    expect(pages.at(-1)?.links).toBeUndefined();
    expect(Object.keys(pages.at(-1) ?? {})).toEqual(PACKAGE_KEYS.slice(0, -1));
    const next = new URL(String(pages[0].links?.next));
    expect(next.origin).toBe(sim.url);
    expect(next.searchParams.get('limit')).toBe('17');
    expect(decodeCursor(next.searchParams.get('cursor') ?? '')).toEqual({ updatedFrom: from, updatedTo: to, nextCursor: '17' });
  });

  it('writes links for the public base URL when one is given', async () => {
    const sim = await start({ publicBaseUrl: 'https://www.find-tender.service.gov.uk/' });
    const page = (await (await fetch(ftsWindow(sim, from, to, 5))).json()) as Package;
    expect(page.uri).toBe(`https://www.find-tender.service.gov.uk/api/1.0/ocdsReleasePackages?updatedFrom=${from}&updatedTo=${to}&limit=5`);
    expect(page.links?.next).toMatch(/^https:\/\/www\.find-tender\.service\.gov\.uk\/api\/1\.0\/ocdsReleasePackages\?.*&cursor=/);
  });

  it('reads updatedFrom/updatedTo as UK time: BST in July, GMT in January; from inclusive, to exclusive', async () => {
    const template = dataset.FIND_A_TENDER[0];
    const at = (id: string, iso: string): SimRelease => ({ id, notice: id, date: new Date(iso), release: { ...template.release, id, date: iso } });
    const data: Dataset = {
      FIND_A_TENDER: [
        at('000001-2024', '2024-07-01T08:59:59Z'),
        at('000002-2024', '2024-07-01T09:00:00Z'),
        at('000003-2024', '2024-07-01T10:59:59Z'),
        at('000004-2024', '2024-07-01T11:00:00Z'),
        at('000005-2024', '2024-07-01T11:30:00Z'),
        at('000006-2024', '2024-01-15T09:30:00Z'),
        at('000007-2024', '2024-01-15T10:00:00Z'),
        at('000008-2024', '2024-01-15T11:59:59Z'),
        at('000009-2024', '2024-01-15T12:00:00Z'),
      ],
      CONTRACTS_FINDER: [],
      PUBLIC_CONTRACTS_SCOTLAND: [],
    };
    const sim = await start({ dataset: data });
    const july = await pageAll(ftsWindow(sim, '2024-07-01T10:00:00', '2024-07-01T12:00:00'));
    expect(july.ids).toEqual(['000003-2024', '000002-2024']);
    const january = await pageAll(ftsWindow(sim, '2024-01-15T10:00:00', '2024-01-15T12:00:00'));
    expect(january.ids).toEqual(['000008-2024', '000007-2024']);
  });

  it('answers 400 with the real JSON for an unknown parameter, and for a bad limit or date', async () => {
    const sim = await start();
    const response = await fetch(`${sim.ftsUrl}?updatedFrom=${from}&pageSize=10`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      status: 400,
      error: 'Bad Request',
      message: 'Request parameters unknown',
      exception: "Request parameter 'pageSize' is not recognised, allowed parameters are: stages, limit, cursor, updatedFrom, updatedTo",
    });
    for (const query of ['limit=0', 'limit=101', 'limit=ten', 'updatedFrom=2022-10-19', 'updatedTo=2022-10-19T06:00:00Z', 'cursor=%25%25']) {
      const bad = await fetch(`${sim.ftsUrl}?${query}`);
      expect(bad.status, query).toBe(400);
      expect(((await bad.json()) as { status: number }).status).toBe(400);
    }
  });

  it('serves one notice by id, a procurement by ocid, and 404 JSON otherwise', async () => {
    const sim = await start();
    const release = dataset.FIND_A_TENDER[10];
    const one = (await (await fetch(`${sim.ftsUrl}/${release.id}`)).json()) as Package;
    expect(one.releases.map((r) => r.id)).toEqual([release.id]);
    expect(one.links).toBeUndefined();
    const ocid = String(release.release.ocid);
    const byOcid = (await (await fetch(`${sim.ftsUrl}/${ocid}`)).json()) as Package;
    expect(byOcid.releases.map((r) => r.id).sort()).toEqual(dataset.FIND_A_TENDER.filter((r) => r.release.ocid === ocid).map((r) => r.id).sort());
    const missing = await fetch(`${sim.ftsUrl}/999999-2022`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, error: 'Not Found' });
  });

  it('publishes a new notice and a new version of a known one, each served in the window of its date only', async () => {
    const sim = await start();
    const [known] = dataset.FIND_A_TENDER;
    const changedAt = new Date('2022-10-23T10:00:00Z');
    const changed: SimRelease = { id: known.id, notice: known.notice, date: changedAt, release: { ...known.release, date: changedAt.toISOString(), title: 'changed' } };
    const fresh: SimRelease = { id: '999001-2022', notice: '999001-2022', date: new Date('2022-10-23T10:30:00Z'), release: { ...known.release, id: '999001-2022', date: '2022-10-23T10:30:00Z' } };
    sim.publish('FIND_A_TENDER', [changed, fresh]);
    const after = await pageAll(`${sim.ftsUrl}?updatedFrom=2022-10-23T11:00:00&updatedTo=2022-10-23T12:00:00&limit=100`);
    expect(after.ids.sort()).toEqual([known.id, '999001-2022'].sort());
    const before = expectedIds('FIND_A_TENDER', known.date.toISOString(), new Date(known.date.getTime() + 1).toISOString());
    const old = await pageAll(`${sim.ftsUrl}?updatedFrom=${formatUkLocal(known.date)}&updatedTo=${formatUkLocal(new Date(known.date.getTime() + 1000))}&limit=100`);
    expect(before).toContain(known.id);
    expect(old.ids).not.toContain(known.id);
    expect(dataset.FIND_A_TENDER[0]).toBe(known);
  });

  it('loses every 5th release (by id hash) on windows over 6 hours when the defect is on', async () => {
    const sim = await start({ defectLongWindowLoss: true });
    const all = expectedIds('FIND_A_TENDER', '2022-10-20T05:00:00Z', '2022-10-20T17:00:00Z');
    const long = await pageAll(ftsWindow(sim, '2022-10-20T06:00:00', '2022-10-20T18:00:00', 10));
    const lost = all.filter((id) => fnv1a(id) % 5 === 0);
    expect(lost.length).toBeGreaterThan(0);
    expect(long.ids).toEqual(all.filter((id) => !lost.includes(id)));
    const lossCount = sim.stats().faultsInjected.longWindowLoss;
    expect(lossCount).toBe(long.pages.length);
    const morning = await pageAll(ftsWindow(sim, '2022-10-20T06:00:00', '2022-10-20T12:00:00', 10));
    const afternoon = await pageAll(ftsWindow(sim, '2022-10-20T12:00:00', '2022-10-20T18:00:00', 10));
    expect([...morning.ids, ...afternoon.ids].sort()).toEqual([...all].sort());
    expect(sim.stats().faultsInjected.longWindowLoss).toBe(lossCount);
    sim.setFaults({ defectLongWindowLoss: false });
    expect((await pageAll(ftsWindow(sim, '2022-10-20T06:00:00', '2022-10-20T18:00:00'))).ids).toEqual(all);
  });
});

describe('Contracts Finder', () => {
  it('pages a window by links.next, with the real releases among generated ones, and accepts an unencoded +01:00', async () => {
    const sim = await start();
    // The raw `+` is sent as is, like the real service's own next links.
    const { pages, ids } = await pageAll(cfWindow(sim, '2022-10-19T00:00:00+01:00', '2022-10-22T12:00:00+01:00', 37));
    expect(ids).toEqual(expectedIds('CONTRACTS_FINDER', '2022-10-18T23:00:00Z', '2022-10-22T11:00:00Z'));
    expect(ids).toContain('c3e5344a-741a-4f7e-92af-f401b5c8209a-583186');
    expect(pages.slice(0, -1).every((p) => p.releases.length === 37)).toBe(true);
    expect(pages.at(-1)?.links).toBeUndefined();
    expect(Object.keys(pages[0])).toEqual(PACKAGE_KEYS);
    const cursor = new URL(String(pages[1].links?.next)).searchParams.get('cursor') ?? '';
    expect(decodeCursor(cursor)).toEqual({
      publishedFrom: '2022-10-19T00:00:00+01:00',
      publishedTo: '2022-10-22T12:00:00+01:00',
      limit: '37',
      nextCursor: '74',
    });
  });

  it('returns only the last 3 months without a window, and 400 for unknown parameters or bad dates', async () => {
    const sim = await start();
    const recent = await pageAll(`${sim.cfUrl}?limit=100`);
    expect(recent.ids).toEqual(expectedIds('CONTRACTS_FINDER', '2022-07-23T00:00:00Z', '2022-10-23T00:00:00Z'));
    clock = Date.parse('2023-03-01T00:00:00Z');
    expect((await pageAll(sim.cfUrl)).ids).toEqual([]);
    for (const query of ['from=2022-10-01T00:00:00Z', 'limit=101', 'publishedFrom=2022-10-19T00:00:00']) {
      const bad = await fetch(`${sim.cfUrl}?${query}`);
      expect(bad.status, query).toBe(400);
    }
  });

  it('answers a procurement by ocid as a record package holding every version, what a search leaves out too, and 404 JSON for an unknown ocid', async () => {
    const sim = await start();
    const versions = dataset.CONTRACTS_FINDER.filter((r) => dataset.CONTRACTS_FINDER.some((other) => other !== r && other.notice === r.notice));
    const ocid = String(versions[0].release.ocid);
    const held = dataset.CONTRACTS_FINDER.filter((r) => r.release.ocid === ocid).sort((a, b) => a.date.getTime() - b.date.getTime());
    expect(held.length).toBeGreaterThan(1);
    const newest = held.at(-1)!;
    sim.setFaults({ omittedRelease: { source: 'CONTRACTS_FINDER', releaseId: newest.id, count: 1000 } });
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
    const listed = await pageAll(cfWindow(sim, iso(newest.date.getTime() - 3_600_000), iso(newest.date.getTime() + 3_600_000)));
    expect(listed.ids).not.toContain(newest.id);

    const response = await fetch(`${sim.url}/Published/OCDS/Record/${ocid}`);
    expect(response.status).toBe(200);
    const pkg = (await response.json()) as { uri: string; records: { ocid: string; releases: { id: string }[]; compiledRelease: { id: string } }[] } & Record<string, unknown>;
    expect(Object.keys(pkg)).toEqual(['uri', 'version', 'extensions', 'publishedDate', 'publisher', 'license', 'publicationPolicy', 'records']);
    expect(pkg.uri).toBe(`${sim.url}/Published/OCDS/Record/${ocid}`);
    expect(pkg.records).toEqual([{ ocid, releases: held.map((r) => r.release), compiledRelease: newest.release }]);

    const unknown = await fetch(`${sim.url}/Published/OCDS/Record/ocds-b5fd17-00000000-0000-0000-0000-000000000000`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ code: 'ValidationError', errors: 3200 });
    expect(sim.requests.map((r) => [r.source, r.status])).toEqual([...listed.pages.map(() => ['CONTRACTS_FINDER', 200]), ['CONTRACTS_FINDER', 200], ['CONTRACTS_FINDER', 404]]);
  });
});

describe('rate limits and politeness', () => {
  it('FTS: 429 JSON with Retry-After until a slot frees; refused requests hold no slot but count in the busiest period; early requests are detected', async () => {
    const sim = await start({ rateLimit: { FIND_A_TENDER: { requests: 3, periodMs: 10_000 }, CONTRACTS_FINDER: GENEROUS } });
    const t0 = clock;
    const get = async (at: number) => {
      clock = t0 + at;
      return fetch(`${sim.ftsUrl}/${dataset.FIND_A_TENDER[0].id}`);
    };
    for (const at of [0, 1000, 2000]) expect((await get(at)).status).toBe(200);
    const refused = await get(3000);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(await refused.json()).toEqual({ status: 429, error: 'Too Many Requests', message: '3 request limit in 10 second exceeded' });
    // Too soon: early, and refused again (pause now runs to 3.5 s + 7 s).
    expect((await get(3500)).status).toBe(429);
    const polite = await get(10_500);
    expect(polite.status).toBe(200);
    expect(sim.requests.map((r) => [r.status, r.rateLimited, r.early])).toEqual([
      [200, false, false],
      [200, false, false],
      [200, false, false],
      [429, true, false],
      [429, true, true],
      [200, false, false],
    ]);
    const stats = sim.stats();
    expect(stats.requests.FIND_A_TENDER).toBe(6);
    expect(stats.rateLimited.FIND_A_TENDER).toBe(2);
    expect(stats.early.FIND_A_TENDER).toBe(1);
    // Asked 5 times in (0.5 s, 10.5 s] against a limit of 3: the figure shows the client over the limit.
    expect(stats.maxRequestsInAnyPeriod.FIND_A_TENDER).toBe(5);
    expect(sim.maxRequestsInAnyPeriod('FIND_A_TENDER', 60_000)).toBe(6);
  });

  it('FTS: says "N request limit in M minute exceeded" like the real service', async () => {
    const sim = await start({ rateLimit: { FIND_A_TENDER: { requests: 1, periodMs: 120_000 }, CONTRACTS_FINDER: GENEROUS } });
    await fetch(sim.ftsUrl);
    const refused = await fetch(sim.ftsUrl);
    expect(await refused.json()).toMatchObject({ message: '1 request limit in 2 minute exceeded' });
    expect(refused.headers.get('retry-after')).toBe('120');
  });

  it('CF: 403 HTML without Retry-After; a request within 5 minutes of it is early', async () => {
    const sim = await start({ rateLimit: { FIND_A_TENDER: GENEROUS, CONTRACTS_FINDER: { requests: 2, periodMs: 60_000 } } });
    const t0 = clock;
    const url = cfWindow(sim, '2022-10-20T00:00:00Z', '2022-10-20T06:00:00Z');
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url)).status).toBe(200);
    const refused = await fetch(url);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(refused.headers.get('retry-after')).toBeNull();
    const html = await refused.text();
    expect(html).toContain('Forbidden - Contracts Finder');
    expect(html).toContain('The request rate limit may have been exceeded');
    clock = t0 + 61_000; // the limit has a free slot again, but the client should wait 5 minutes
    expect((await fetch(url)).status).toBe(200);
    clock = t0 + 301_000;
    expect((await fetch(url)).status).toBe(200);
    expect(sim.requests.map((r) => r.early)).toEqual([false, false, false, true, false]);
    expect(sim.stats()).toMatchObject({ rateLimited: { CONTRACTS_FINDER: 1, FIND_A_TENDER: 0 }, early: { CONTRACTS_FINDER: 1 } });
  });

  it('with an in-flight grace, a request arriving that soon after a refusal is not early; one later within the pause is', async () => {
    const sim = await start({ rateLimit: { FIND_A_TENDER: GENEROUS, CONTRACTS_FINDER: { requests: 1, periodMs: 60_000 } }, inFlightGraceMs: 1000 });
    const t0 = clock;
    const url = cfWindow(sim, '2022-10-20T00:00:00Z', '2022-10-20T06:00:00Z');
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url)).status).toBe(403);
    clock = t0 + 999; // already on its way when the refusal came
    await fetch(url);
    clock = t0 + 1000;
    await fetch(url);
    expect(sim.requests.map((r) => r.early)).toEqual([false, false, false, true]);
  });
});

describe('fault knobs', () => {
  /** 22 releases (08:00–14:00 BST). */
  const window = (sim: Simulator, limit = 100) => ftsWindow(sim, '2022-10-20T08:00:00', '2022-10-20T14:00:00', limit);

  it('rateLimitStorm: FTS 429 with or without Retry-After, CF 403, then back to normal; counted', async () => {
    const sim = await start();
    sim.setFaults({ rateLimitStorm: { source: 'FIND_A_TENDER', count: 2, retryAfterSeconds: null } });
    const first = await fetch(window(sim));
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, null]);
    expect((await fetch(window(sim))).status).toBe(429);
    expect((await fetch(window(sim))).status).toBe(200); // early (30 s pause), but answered
    sim.setFaults({ rateLimitStorm: { source: 'FIND_A_TENDER', count: 1, retryAfterSeconds: 11 } });
    expect((await fetch(window(sim))).headers.get('retry-after')).toBe('11');
    sim.setFaults({ rateLimitStorm: { source: 'CONTRACTS_FINDER', count: 1, retryAfterSeconds: null } });
    expect((await fetch(cfWindow(sim, '2022-10-20T00:00:00Z', '2022-10-20T06:00:00Z'))).status).toBe(403);
    const stats = sim.stats();
    expect(stats.faultsInjected.rateLimitStorm).toBe(4);
    expect(sim.requests.map((r) => r.fault ?? '')).toEqual(['rateLimitStorm', 'rateLimitStorm', '', 'rateLimitStorm', 'rateLimitStorm']);
    expect(stats.rateLimited).toEqual({ FIND_A_TENDER: 3, CONTRACTS_FINDER: 1, PUBLIC_CONTRACTS_SCOTLAND: 0 });
    expect(stats.early).toEqual({ FIND_A_TENDER: 3, CONTRACTS_FINDER: 0, PUBLIC_CONTRACTS_SCOTLAND: 0 });
  });

  it("rateLimitStorm with a status: each service's other refusal (FTS 503 with the limit's message, CF 429 HTML), counted as rate-limited", async () => {
    const sim = await start();
    sim.setFaults({ rateLimitStorm: { source: 'FIND_A_TENDER', count: 1, retryAfterSeconds: 11, status: 503 } });
    sim.setFaults({ rateLimitStorm: { source: 'CONTRACTS_FINDER', count: 1, retryAfterSeconds: null, status: 429 } });
    const fts = await fetch(window(sim));
    expect([fts.status, fts.headers.get('retry-after')]).toEqual([503, '11']);
    expect(await fts.json()).toMatchObject({ status: 503, message: expect.stringMatching(/request limit in .* exceeded/) });
    const cf = await fetch(cfWindow(sim, '2022-10-20T00:00:00Z', '2022-10-20T06:00:00Z'));
    expect([cf.status, cf.headers.get('retry-after')]).toEqual([429, null]);
    expect(await cf.text()).toContain('The request rate limit may have been exceeded');
    expect(sim.stats().rateLimited).toEqual({ FIND_A_TENDER: 1, CONTRACTS_FINDER: 1, PUBLIC_CONTRACTS_SCOTLAND: 0 });
    expect(() => parseFaults({ rateLimitStorm: { source: 'CONTRACTS_FINDER', count: 1, retryAfterSeconds: null, status: 503 } })).toThrow(/403 or 429/);
  });

  it('serverErrors: the next requests fail with the given status', async () => {
    const sim = await start();
    sim.setFaults({ serverErrors: { source: 'CONTRACTS_FINDER', count: 1, status: 503 } });
    sim.setFaults({ serverErrors: { source: 'FIND_A_TENDER', count: 2, status: 504 } });
    const cf = await fetch(cfWindow(sim, '2022-10-20T00:00:00Z', '2022-10-20T06:00:00Z'));
    expect(cf.status).toBe(503);
    expect(await cf.text()).toContain('Service Unavailable');
    expect((await fetch(cfWindow(sim, '2022-10-20T00:00:00Z', '2022-10-20T06:00:00Z'))).status).toBe(200);
    expect((await fetch(window(sim))).status).toBe(504);
    expect(await (await fetch(window(sim))).json()).toMatchObject({ status: 504, error: 'Gateway Timeout' });
    expect((await fetch(window(sim))).status).toBe(200);
    expect(sim.stats().faultsInjected.serverErrors).toBe(3);
    expect(sim.requests.map((r) => r.fault ?? '')).toEqual(['serverErrors', '', 'serverErrors', 'serverErrors', '']);
  });

  it('outage: from when it is armed, for its duration, every request of the source fails with its answers in turn, then it is served again', async () => {
    const sim = await start();
    sim.setFaults({ outage: { source: 'FIND_A_TENDER', startsInMs: 1_000, durationMs: 60_000, answers: [504, 500, 'hang'] } });
    expect((await fetch(window(sim))).status).toBe(200);
    clock += 1_000;
    expect((await fetch(window(sim))).status).toBe(504);
    expect(await (await fetch(window(sim))).json()).toMatchObject({ status: 500 });
    // Hung until the outage ends (200 ms of real time here), then 504.
    clock += 59_800;
    const started = performance.now();
    expect((await fetch(window(sim))).status).toBe(504);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect((await fetch(cfWindow(sim, '2022-10-20T00:00:00Z', '2022-10-20T06:00:00Z'))).status).toBe(200);
    clock += 200;
    expect((await fetch(window(sim))).status).toBe(200);
    expect(sim.stats()).toMatchObject({ faultsInjected: { outage: 3 }, rateLimited: { FIND_A_TENDER: 0 }, early: { FIND_A_TENDER: 0 } });
    expect(sim.requests.map((r) => r.fault ?? '')).toEqual(['', 'outage', 'outage', 'outage', '', '']);
    expect(() => parseFaults({ outage: { source: 'FIND_A_TENDER', durationMs: 1000, answers: [429] } })).toThrow(/outage needs .*answers of 500, 502, 503, 504, hang/);
    expect(parseFaults({ outage: { source: 'CONTRACTS_FINDER', durationMs: 1000, answers: ['hang'] } })).toEqual({ outage: { source: 'CONTRACTS_FINDER', durationMs: 1000, answers: ['hang'] } });
  });

  it('slow: answers after the delay', async () => {
    const sim = await start();
    sim.setFaults({ slow: { source: 'FIND_A_TENDER', count: 1, delayMs: 300 } });
    const started = performance.now();
    expect((await fetch(window(sim))).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(sim.stats().faultsInjected.slow).toBe(1);
  });

  it('truncatedBody: status 200 with half the body, and its releases are not counted as served', async () => {
    const sim = await start();
    const whole = Buffer.from(await (await fetch(window(sim))).arrayBuffer());
    sim.resetLog();
    sim.setFaults({ truncatedBody: { source: 'FIND_A_TENDER', count: 1 } });
    const response = await fetch(window(sim));
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.equals(whole.subarray(0, Math.floor(whole.length / 2)))).toBe(true);
    expect(() => JSON.parse(bytes.toString('utf8'))).toThrow();
    expect(sim.stats()).toMatchObject({ faultsInjected: { truncatedBody: 1 }, servedReleases: { FIND_A_TENDER: 0 } });
  });

  it('badBytes: FTS gets ` 000,` and `1e9999`, CF gets windows-1252 bytes', async () => {
    const sim = await start();
    sim.setFaults({ badBytes: { source: 'FIND_A_TENDER', count: 1 } });
    const fts = await (await fetch(window(sim))).text();
    expect(fts).toMatch(/"[a-zA-Z]+": 000,/);
    expect(fts).toContain('1e9999');
    expect(() => JSON.parse(fts)).toThrow();
    expect(JSON.stringify(JSON.parse(fts.replace(' 000,', ' 0,')), (_, v) => (v === Infinity ? 'INF' : v))).toContain('"INF"');

    sim.setFaults({ badBytes: { source: 'CONTRACTS_FINDER', count: 1 } });
    const cfUrl = cfWindow(sim, '2022-10-19T00:00:00+01:00', '2022-10-21T00:00:00+01:00');
    const bytes = new Uint8Array(await (await fetch(cfUrl)).arrayBuffer());
    expect(() => new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)).toThrow();
    const clean = (await (await fetch(cfUrl)).json()) as Package;
    const damaged = JSON.parse(Buffer.from(bytes).toString('latin1')) as Package;
    expect(damaged.releases.map((r) => r.id)).toEqual(clean.releases.map((r) => r.id));
    expect(sim.stats().faultsInjected.badBytes).toBe(2);
  });

  it('missingNextLink: only full pages that have a next page lose their links', async () => {
    const sim = await start();
    const { pages } = await pageAll(window(sim, 10));
    expect(pages.map((p) => p.releases.length)).toEqual([10, 10, 2]);
    sim.setFaults({ missingNextLink: { source: 'FIND_A_TENDER', count: 1 } });
    const lastUrl = String(pages.at(-2)?.links?.next);
    await fetch(lastUrl); // not full: the fault waits
    expect(sim.stats().faultsInjected.missingNextLink ?? 0).toBe(0);
    const first = (await (await fetch(window(sim, 10))).json()) as Package;
    expect(first.releases).toHaveLength(10);
    expect(first.links).toBeUndefined();
    expect(((await (await fetch(window(sim, 10))).json()) as Package).links).toBeDefined();
    expect(sim.stats().faultsInjected.missingNextLink).toBe(1);
  });

  it('unreadablePage: the page holding the release is cut off every time, or `count` times; other pages are whole', async () => {
    const sim = await start();
    const { pages } = await pageAll(window(sim, 10));
    const secondUrl = String(pages[0].links?.next);
    const readable = async (url: string) => {
      const text = await (await fetch(url)).text();
      try {
        return (JSON.parse(text) as Package).releases.length > 0;
      } catch {
        return false;
      }
    };
    sim.setFaults({ unreadablePage: { source: 'FIND_A_TENDER', releaseId: pages[1].releases[3].id, count: 'always' } });
    expect([await readable(secondUrl), await readable(secondUrl), await readable(secondUrl), await readable(secondUrl)]).toEqual([false, false, false, false]);
    expect([await readable(window(sim, 10)), await readable(String(pages[1].links?.next))]).toEqual([true, true]);
    expect(sim.stats().faultsInjected.unreadablePage).toBe(4);

    sim.setFaults({ unreadablePage: { source: 'FIND_A_TENDER', releaseId: pages[1].releases[3].id, count: 2 } });
    expect([await readable(secondUrl), await readable(secondUrl), await readable(secondUrl)]).toEqual([false, false, true]);
    expect(() => parseFaults({ unreadablePage: { source: 'FIND_A_TENDER', count: 'always' } })).toThrow(/releaseId/);
    expect(parseFaults({ unreadablePage: { source: 'FIND_A_TENDER', releaseId: 'x', count: 'always' } })).toBeDefined();
  });

  it('repeatedRelease (FTS, off by default): a page publishes one release twice, adjacent and byte-identical, and paging loses and repeats nothing', async () => {
    const sim = await start();
    const plain = await pageAll(window(sim, 10));
    expect(plain.pages.map((p) => p.releases.length)).toEqual([10, 10, 2]);
    expect(new Set(plain.ids).size).toBe(plain.ids.length);

    sim.setFaults({ repeatedRelease: { source: 'FIND_A_TENDER', count: 'always' } });
    const bodies: string[] = [];
    for (let next: string | undefined = window(sim, 10); next; ) {
      const body: string = await (await fetch(next)).text();
      bodies.push(body);
      next = (JSON.parse(body) as Package).links?.next;
    }
    const pages = bodies.map((body) => releaseTexts(body));
    // A full page ends one release early to make room for the copy: 9 + 9 + 4 distinct.
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    for (const texts of pages) {
      const ids = texts.map((t) => (JSON.parse(t) as { id: string }).id);
      const twice = ids.findIndex((id, i) => ids.indexOf(id) !== i);
      expect(twice, 'one release repeated').toBeGreaterThan(0);
      expect(new Set(ids).size).toBe(ids.length - 1);
      expect(texts[twice]).toBe(texts[twice - 1]);
    }
    const distinct = pages.flatMap((texts) => [...new Set(texts.map((t) => (JSON.parse(t) as { id: string }).id))]);
    expect(distinct).toEqual(plain.ids);
    expect(sim.stats().faultsInjected.repeatedRelease).toBe(3);
    expect(sim.requests.slice(-3).map((r) => [r.fault, r.releaseIds.length])).toEqual([
      ['repeatedRelease', 10],
      ['repeatedRelease', 10],
      ['repeatedRelease', 5],
    ]);

    // Aimed at one release, `count` times: only a page that holds it uses the fault up.
    const sim2 = await start();
    const target = plain.ids[4];
    sim2.setFaults({ repeatedRelease: { source: 'FIND_A_TENDER', count: 1, releaseId: target } });
    const secondUrl = new URL(String(plain.pages[0].links?.next));
    const second = (await (await fetch(`${sim2.url}${secondUrl.pathname}${secondUrl.search}`)).json()) as Package;
    expect(second.releases.map((r) => r.id)).toEqual(plain.pages[1].releases.map((r) => r.id));
    const first = (await (await fetch(window(sim2, 10))).json()) as Package;
    expect(first.releases.map((r) => r.id)).toEqual([...plain.ids.slice(0, 5), target, ...plain.ids.slice(5, 9)]);
    expect(decodeCursor(new URL(String(first.links?.next)).searchParams.get('cursor') ?? '')?.nextCursor).toBe('9');
    expect(((await (await fetch(window(sim2, 10))).json()) as Package).releases.map((r) => r.id)).toEqual(plain.pages[0].releases.map((r) => r.id));
    expect(sim2.stats().faultsInjected.repeatedRelease).toBe(1);

    expect(() => parseFaults({ repeatedRelease: { source: 'CONTRACTS_FINDER', count: 1 } })).toThrow(/FIND_A_TENDER/);
    expect(parseFaults({ repeatedRelease: { source: 'FIND_A_TENDER', count: 'always', releaseId: '071452-2026' } })).toBeDefined();
  });
});

describe('control endpoints', () => {
  it('arms faults, reports stats and the log, and resets the log over HTTP', async () => {
    const sim = await start();
    const bad = await fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ serverErrors: { count: 1 } }) });
    expect(bad.status).toBe(400);
    const armed = await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ serverErrors: { source: 'FIND_A_TENDER', count: 1, status: 502 } }),
    });
    expect(armed.status).toBe(204);
    expect((await fetch(`${sim.ftsUrl}/${dataset.FIND_A_TENDER[0].id}`)).status).toBe(502);
    expect((await fetch(`${sim.ftsUrl}/${dataset.FIND_A_TENDER[0].id}`)).status).toBe(200);
    await fetch(`${sim.url}/nowhere`);

    const stats = (await (await fetch(`${sim.url}/__sim/stats`)).json()) as Record<string, unknown>;
    expect(stats).toMatchObject({ requests: { FIND_A_TENDER: 2, CONTRACTS_FINDER: 0 }, faultsInjected: { serverErrors: 1 }, servedReleases: { FIND_A_TENDER: 1 } });
    expect(stats.servedReleaseIds).toBeUndefined();
    const withIds = (await (await fetch(`${sim.url}/__sim/stats?ids=1`)).json()) as { servedReleaseIds: Record<SourceName, string[]> };
    expect(withIds.servedReleaseIds.FIND_A_TENDER).toEqual([dataset.FIND_A_TENDER[0].id]);
    const log = (await (await fetch(`${sim.url}/__sim/requests`)).json()) as { source: string | null; status: number }[];
    expect(log.map((r) => [r.source, r.status])).toEqual([
      ['FIND_A_TENDER', 502],
      ['FIND_A_TENDER', 200],
      [null, 404],
    ]);
    expect((await fetch(`${sim.url}/__sim/reset-log`, { method: 'POST' })).status).toBe(204);
    expect(sim.requests).toHaveLength(0);
    expect(sim.stats().servedReleases.FIND_A_TENDER).toBe(0);
  });
});
