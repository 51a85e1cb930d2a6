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
