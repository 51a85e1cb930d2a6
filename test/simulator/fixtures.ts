/**
 * The real captured packages (test/fixtures/real/, listed by test/fixtures/realFixtures.ts): their
 * releases are served as they are and used as templates for generated ones, and the package
 * header of a real search page of each service is copied onto every response.
 */
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { readFixtureSync, readRealReleases, type RealRelease } from '../fixtures/realFixtures.ts';

/** Real pages as served (each has all five header keys), one per kind of answer. */
const HEADER_FILES = {
  ftsSearch: 'fts-page-limit4-2026-10-06.json',
  ftsNotice: 'fts-notice-032703-2026.json',
  cfSearch: 'cf-search-page-2022-10-20.json',
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

let corpus: RealRelease[] | undefined;
const headers = new Map<keyof typeof HEADER_FILES, PackageHeader>();

/**
 * The captured text of every distinct real release of a source (by id + ocid, the first capture
 * kept; whitespace between tokens left out), in file-name order: what the service sent, `1e9999`
 * and escapes included.
 */
export function realReleaseTexts(source: SourceName): string[] {
  corpus ??= readRealReleases();
  return corpus.filter((r) => r.source === source).map((r) => r.text);
}

/** Fresh copies of every distinct real release of a source (as realReleaseTexts), so callers may change them. */
export function realReleases(source: SourceName): Release[] {
  return realReleaseTexts(source).map((text) => JSON.parse(text) as Release);
}

export function packageHeader(kind: keyof typeof HEADER_FILES): PackageHeader {
  let header = headers.get(kind);
  if (!header) {
    const { version, extensions, publisher, license, publicationPolicy } = readFixtureSync(HEADER_FILES[kind]);
    header = { version, extensions, publisher, license, publicationPolicy };
    headers.set(kind, header);
  }
  return { ...header };
}
