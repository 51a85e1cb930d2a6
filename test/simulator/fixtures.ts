/**
 * The real captured packages (test/fixtures/real/): their releases are served as they are and
 * used as templates for generated ones, and their package headers are copied onto every response.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SourceName } from '../../shared/sources/sourceName.ts';

const FIXTURES_DIR = resolve(import.meta.dirname, '../fixtures/real');

const FILES = {
  ftsSearch: 'fts-page-limit4-2026-10-06.json',
  ftsNotice: 'fts-notice-032703-2026.json',
  cfSearchA: 'cf-search-page-2022-10-20.json',
  cfSearchB: 'cf-search-page-2022-10-22.json',
} as const;

export type Release = Record<string, unknown>;

/** The package keys other than uri, publishedDate, releases and links, which vary per response. */
export interface PackageHeader {
  version: unknown;
  extensions: unknown;
  publisher: unknown;
  license: unknown;
  publicationPolicy: unknown;
}

let cache: Record<keyof typeof FILES, { releases: Release[] } & PackageHeader> | undefined;

function load() {
  if (!cache) {
    const read = (name: string) => JSON.parse(readFileSync(join(FIXTURES_DIR, name), 'utf8'));
    cache = {
      ftsSearch: read(FILES.ftsSearch),
      ftsNotice: read(FILES.ftsNotice),
      cfSearchA: read(FILES.cfSearchA),
      cfSearchB: read(FILES.cfSearchB),
    };
  }
  return cache;
}

/** Fresh copies of every real release of a source, so callers may change them. */
export function realReleases(source: SourceName): Release[] {
  const files = load();
  const releases =
    source === 'FIND_A_TENDER'
      ? [...files.ftsSearch.releases, ...files.ftsNotice.releases]
      : [...files.cfSearchA.releases, ...files.cfSearchB.releases];
  return structuredClone(releases);
}

export function packageHeader(kind: 'ftsSearch' | 'ftsNotice' | 'cfSearch'): PackageHeader {
  const { version, extensions, publisher, license, publicationPolicy } = load()[kind === 'cfSearch' ? 'cfSearchA' : kind];
  return { version, extensions, publisher, license, publicationPolicy };
}
