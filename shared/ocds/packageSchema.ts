import * as v from 'valibot';
import type { SourceName } from '../sources/sourceName.ts';
import { describeIssues } from '../valibot/describeIssues.ts';

/**
 * Release packages, the page format of both services. Package keys (UPSTREAM.md): `uri, version,
 * extensions, publishedDate, publisher, license, publicationPolicy, releases, links`. `releases`
 * items stay `unknown` here: each release is validated on its own (parseRelease), so one bad
 * release does not reject the page. `links.next` is a full URL; the last page has no `links`.
 */
const packageEntries = {
  uri: v.nullish(v.string()),
  version: v.nullish(v.string()),
  extensions: v.nullish(v.array(v.string())),
  publishedDate: v.nullish(v.string()),
  publisher: v.nullish(v.looseObject({ name: v.nullish(v.string()) })),
  license: v.nullish(v.string()),
  publicationPolicy: v.nullish(v.string()),
  releases: v.array(v.unknown()),
  links: v.nullish(
    v.looseObject({ next: v.nullish(v.pipe(v.string(), v.url('links.next is not a full URL'))) }),
  ),
};

/** Find a Tender: `/api/1.0/ocdsReleasePackages` (list and single notice). */
export const FtsPackageSchema = v.looseObject(packageEntries);

/**
 * Contracts Finder: `/Published/Notices/OCDS/Search`. Same keys as FTS; one ocid may appear several
 * times in a page, which is fine because releases are keyed on their `id`.
 */
export const CfPackageSchema = v.looseObject(packageEntries);

export type ReleasePackage = v.InferOutput<typeof FtsPackageSchema>;

const PACKAGE_SCHEMAS: Record<SourceName, typeof FtsPackageSchema> = {
  FIND_A_TENDER: FtsPackageSchema,
  CONTRACTS_FINDER: CfPackageSchema,
};

export type PackageResult =
  | { ok: true; releases: unknown[]; nextUrl: string | null }
  | { ok: false; reason: string };

/** Reads one page: its releases (unvalidated) and the next page's URL, null on the last page. */
export function parsePackage(source: SourceName, value: unknown): PackageResult {
  const result = v.safeParse(PACKAGE_SCHEMAS[source], value);
  if (!result.success) {
    return { ok: false, reason: `invalid ${source} release package: ${describeIssues(result.issues)}` };
  }
  return { ok: true, releases: result.output.releases, nextUrl: result.output.links?.next ?? null };
}
