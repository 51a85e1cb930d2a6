import * as v from 'valibot';
import { describeIssues } from '../valibot/describeIssues.ts';

/**
 * A release package, the page format of both services. Package keys (UPSTREAM.md): `uri, version,
 * extensions, publishedDate, publisher, license, publicationPolicy, releases, links`. `releases`
 * items stay `unknown` here: each release is validated on its own (parseRelease), so one bad
 * release does not reject the page (CF repeats an ocid within a page, which is fine: releases are
 * keyed on their `id`). `links.next` is a full URL; the last page has no `links`.
 */
const ReleasePackageSchema = v.looseObject({
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
});

export type PackageResult =
  | { ok: true; releases: unknown[]; nextUrl: string | null }
  | { ok: false; reason: string };

/** Reads one page of `source` (named in the reason): its releases (unvalidated) and the next page's URL, null on the last page. */
export function parsePackage(source: string, value: unknown): PackageResult {
  const result = v.safeParse(ReleasePackageSchema, value);
  if (!result.success) {
    return { ok: false, reason: `invalid ${source} release package: ${describeIssues(result.issues)}` };
  }
  return { ok: true, releases: result.output.releases, nextUrl: result.output.links?.next ?? null };
}
