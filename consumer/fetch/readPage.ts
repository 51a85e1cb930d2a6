import type { Config } from '../../shared/config.ts';
import { mapRelease } from '../../shared/mapping/mapRelease.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { parsePackage, type PackageResult } from '../../shared/ocds/packageSchema.ts';
import { parseRecordPackage } from '../../shared/ocds/recordPackageSchema.ts';
import { parseRelease } from '../../shared/ocds/releaseSchema.ts';
import { decodeBody, parseJsonBody } from '../../shared/ocds/repairBody.ts';
import type { PackageKind, SourceAdapter } from '../../shared/sources/source.ts';

export interface RejectedRelease {
  index: number;
  release: unknown;
  reason: string;
}

export type ReadPage =
  /** The body is not a release package even after the known byte repairs. */
  | { ok: false; reason: string; rawText: string }
  | { ok: true; nextUrl: string | null; releaseCount: number; mapped: MappedRelease[]; rejected: RejectedRelease[] };

/** Which answer a body is: `kind` of package (default a release package), and the `url` it was asked by. */
export interface PageAsked {
  kind?: PackageKind;
  /** Handed to the adapter's `pageContext`: what the request says of the releases (PCS: their notice type). */
  url?: string;
}

/**
 * A page body to mapped releases: repair known bad bytes, parse, validate the package (a release
 * package, or with `kind` a record package: the releases its records carry), then each release on
 * its own, so one bad release is set aside (with its reason) and the rest go on. What differs
 * between sources, `source` (its adapter) says, its own package reader and what a page's URL says
 * of its releases included.
 */
export async function readPage(source: SourceAdapter, bytes: ArrayBuffer | Uint8Array, storeRaw: Config['STORE_RAW'], { kind = 'releasePackage', url }: PageAsked = {}): Promise<ReadPage> {
  const pkg = kind === 'recordPackage' ? readJson(bytes, (value) => parseRecordPackage(source.name, value)) : source.readPackage ? source.readPackage(bytes) : readJson(bytes, (value) => parsePackage(source.name, value));
  if (!pkg.ok) return { ok: false, reason: pkg.reason, rawText: decodeBody(bytes) };

  const page = url === undefined ? undefined : source.pageContext?.(url);
  const mapped: MappedRelease[] = [];
  const rejected: RejectedRelease[] = [];
  for (const [index, value] of pkg.releases.entries()) {
    const release = parseRelease(value);
    if (!release.ok) {
      rejected.push({ index, release: value, reason: `invalid release: ${release.reason}` });
      continue;
    }
    try {
      mapped.push(await mapRelease(source, release.release, { storeRaw, published: value, page }));
    } catch (error) {
      rejected.push({ index, release: value, reason: `mapping failed: ${(error as Error).message}` });
    }
  }
  return { ok: true, nextUrl: pkg.nextUrl, releaseCount: pkg.releases.length, mapped, rejected };
}

/** The common page: JSON (after the known byte repairs) read as a release or record package. */
function readJson(bytes: ArrayBuffer | Uint8Array, parse: (value: unknown) => PackageResult): PackageResult {
  const body = parseJsonBody(bytes);
  return body.ok ? parse(body.value) : body;
}
