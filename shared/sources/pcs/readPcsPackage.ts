import { parsePackage } from '../../ocds/packageSchema.ts';
import { parseJsonBody } from '../../ocds/repairBody.ts';

export type PcsPackageResult = { ok: true; releases: unknown[] } | { ok: false; reason: string };

const SOURCE = 'Public Contracts Scotland';
/** Keys every release package has; an answer with none of them is no package at all. */
const PACKAGE_KEYS = ['uri', 'version', 'publisher', 'publishedDate'];

/**
 * One answer of `/v1/Notices`, read: the releases of its slice, unvalidated (each is validated on its
 * own, as for the other sources). The body is read as every body is (shared/ocds/repairBody.ts:
 * UTF-8 with its byte-order mark dropped, else windows-1252). A month with no notices of the type
 * comes as a package without `releases` (OCP's collector skips such answers): an empty slice, not
 * an error. There is no paging: the answer is the whole slice.
 */
export function readPcsPackage(body: ArrayBuffer | Uint8Array): PcsPackageResult {
  const json = parseJsonBody(body);
  if (!json.ok) return { ok: false, reason: `${SOURCE}: ${json.reason}` };
  const value = json.value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !('releases' in value)) {
    return PACKAGE_KEYS.some((key) => key in value)
      ? { ok: true, releases: [] }
      : { ok: false, reason: `${SOURCE} answered JSON that is no release package (keys: ${Object.keys(value).join(', ') || 'none'})` };
  }
  const result = parsePackage(SOURCE, value);
  return result.ok ? { ok: true, releases: result.releases } : result;
}
