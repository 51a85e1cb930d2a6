/**
 * Test-only: the real captured packages in ../../../shared/fixtures/real/ (see UPSTREAM.md).
 * Uses node:fs, so it is imported by *.test.ts files only, never by Worker code.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SourceName } from '../sources/sourceName.ts';

export const REAL_FIXTURES: readonly { file: string; source: SourceName }[] = [
  { file: 'fts-page-limit4-2026-10-06.json', source: 'FIND_A_TENDER' },
  { file: 'fts-notice-032703-2026.json', source: 'FIND_A_TENDER' },
  { file: 'cf-search-page-2022-10-20.json', source: 'CONTRACTS_FINDER' },
  { file: 'cf-search-page-2022-10-22.json', source: 'CONTRACTS_FINDER' },
];

const FIXTURE_DIR = new URL('../../../shared/fixtures/real/', import.meta.url);

export async function readFixtureBytes(file: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(fileURLToPath(new URL(file, FIXTURE_DIR).href)));
}

export async function readFixture(file: string): Promise<{ releases: unknown[] } & Record<string, unknown>> {
  return JSON.parse(new TextDecoder().decode(await readFixtureBytes(file))) as { releases: unknown[] };
}

/** Every real release with its source and file. */
export async function allRealReleases(): Promise<{ file: string; source: SourceName; release: unknown }[]> {
  const all = [];
  for (const { file, source } of REAL_FIXTURES) {
    const pkg = await readFixture(file);
    for (const release of pkg.releases) all.push({ file, source, release });
  }
  return all;
}

/** One real release by its id. */
export async function realRelease(file: string, id: string): Promise<unknown> {
  const pkg = await readFixture(file);
  const found = pkg.releases.find((r) => (r as { id?: unknown }).id === id);
  if (found === undefined) throw new Error(`no release ${id} in ${file}`);
  return found;
}
