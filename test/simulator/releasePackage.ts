/** OCDS release packages shaped like the services' own (key order included). */
import type { SimRelease } from './dataset.ts';
import type { PackageHeader } from './fixtures.ts';
import { formatUkIso } from './ukTime.ts';

export interface ReleasePackage {
  uri: string;
  version: unknown;
  extensions: unknown;
  publishedDate: string;
  publisher: unknown;
  license: unknown;
  publicationPolicy: unknown;
  releases: Record<string, unknown>[];
  links?: { next: string };
}

/** `publishedDate` is the newest release's date, as in every captured package. */
export function buildPackage(header: PackageHeader, uri: string, releases: SimRelease[], now: number, next?: string): ReleasePackage {
  const pkg: ReleasePackage = {
    uri,
    version: header.version,
    extensions: header.extensions,
    publishedDate: releases.length > 0 ? String(releases[0].release.date) : formatUkIso(new Date(now)),
    publisher: header.publisher,
    license: header.license,
    publicationPolicy: header.publicationPolicy,
    releases: releases.map((r) => r.release),
  };
  if (next) pkg.links = { next };
  return pkg;
}

/**
 * The package as the service writes it. A release with `verbatim` text (a real capture, or one
 * derived from a capture that holds `1e9999`) is written as that text, as long as the release
 * object still reads the same (a test may have edited it since); the rest as JSON.stringify
 * writes them.
 */
export function packageText(pkg: ReleasePackage, releases: readonly SimRelease[]): string {
  const marker = '\u0000releases';
  const outer = JSON.stringify({ ...pkg, releases: marker });
  const inner = releases.map((r) => {
    const plain = JSON.stringify(r.release);
    return r.verbatim && plain === r.verbatim.parsedAs ? r.verbatim.text : plain;
  });
  return outer.replace(JSON.stringify(marker), () => `[${inner.join(',')}]`);
}
