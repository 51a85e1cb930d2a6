import * as v from 'valibot';
import { describeIssues } from '../valibot/describeIssues.ts';
import type { PackageResult } from './packageSchema.ts';

/**
 * An OCDS record package, what Contracts Finder's record door answers (UPSTREAM.md): `records[]`,
 * one per procurement, each with its `ocid`, its `releases` (embedded whole, or linked: only `url`,
 * `date` and `tag`) and a `compiledRelease` (the procurement as of its latest release). The
 * standard's shape: https://standard.open-contracting.org/latest/en/schema/records_reference/.
 * Releases stay `unknown` here, as in a release package: each is validated on its own.
 */
const RecordSchema = v.looseObject({
  ocid: v.string(),
  releases: v.nullish(v.array(v.unknown())),
  compiledRelease: v.nullish(v.looseObject({})),
});
const RecordPackageSchema = v.looseObject({ records: v.array(RecordSchema) });

/** A linked release says where a release is, not what it holds: it has a `url` and no `id`. */
const isLinked = (release: unknown): boolean =>
  typeof release === 'object' && release !== null && 'url' in release && !('id' in release);

/**
 * Reads one record package of `source` (named in the reason) into the releases it carries: each
 * record's embedded releases; a record whose releases are only linked gives its compiled release
 * instead (one request per procurement: the linked ones are not fetched), which stands for the
 * notice's latest version and is compared with the copy as that. A record with neither carries
 * nothing to compare, and the answer is unreadable. A record package has no next page.
 */
export function parseRecordPackage(source: string, value: unknown): PackageResult {
  const result = v.safeParse(RecordPackageSchema, value);
  if (!result.success) return { ok: false, reason: `invalid ${source} record package: ${describeIssues(result.issues)}` };
  const releases: unknown[] = [];
  for (const record of result.output.records) {
    const embedded = (record.releases ?? []).filter((release) => !isLinked(release));
    if (embedded.length > 0) releases.push(...embedded);
    else if (record.compiledRelease) releases.push(record.compiledRelease);
    else return { ok: false, reason: `${source} record ${record.ocid} has neither embedded releases nor a compiled release` };
  }
  return { ok: true, releases, nextUrl: null };
}
