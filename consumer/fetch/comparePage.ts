import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import type { Finding } from '../../shared/store/reconciliation.ts';

export interface PageComparison {
  /** What travels to the write queue: only what differs from the copy. */
  write: MappedRelease[];
  /** The differences that mean the copy had lost something (a mapping change is not one). */
  findings: Finding[];
}

/**
 * A reconciliation walk's page against what is stored (`stored`: contracts by `_id`, without raw
 * data). A notice not stored is `missing`; one stored at an older release than the page's is
 * `newer` (with the fields the release changes); the same release under a newer mapping is
 * written, not a finding; the same or an older release costs nothing. So a page the copy already
 * holds sends nothing. Pure.
 */
export function comparePage(page: readonly MappedRelease[], stored: ReadonlyMap<string, Record<string, unknown>>): PageComparison {
  const write: MappedRelease[] = [];
  const findings: Finding[] = [];
  for (const release of page) {
    const { contract } = release;
    const copy = stored.get(contract._id);
    const storedOrder = copy?.releaseOrder as string | undefined;
    const base = { contractId: contract._id, noticeId: contract.noticeId, releaseId: contract.releaseId };
    if (!copy) {
      findings.push({ ...base, kind: 'missing', storedReleaseId: null, changedFields: [] });
    } else if (storedOrder === undefined || contract.releaseOrder > storedOrder) {
      findings.push({ ...base, kind: 'newer', storedReleaseId: (copy.releaseId as string | undefined) ?? null, changedFields: changedFields(contract, copy) });
    } else if (contract.releaseOrder !== storedOrder || contract.mappingVersion <= Number(copy.mappingVersion ?? 0)) {
      continue;
    }
    write.push(release);
  }
  return { write, findings };
}

/**
 * Fields the write path sets from elsewhere (the buyer registry, the procurement's record) or that
 * only say which release it is: a difference in them is no news about the notice.
 */
const NOT_COMPARED = new Set(['_id', 'releaseId', 'releaseDate', 'releaseOrder', 'mappingVersion', 'rawData', 'rawDataGz', 'createdAt', 'updatedAt', 'status', 'statusVersion', 'buyerOrg', 'buyers']);

/** The contract fields whose values differ, dates compared as instants (stored as BSON dates, sent as ISO text). */
function changedFields(contract: MappedRelease['contract'], copy: Record<string, unknown>): string[] {
  const fields = new Set([...Object.keys(contract), ...Object.keys(copy)].filter((field) => !NOT_COMPARED.has(field)));
  return [...fields].filter((field) => comparable((contract as unknown as Record<string, unknown>)[field]) !== comparable(copy[field])).sort();
}

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

/** A value as canonical text: keys sorted (the store writes some in another order), instants as ISO text. */
function comparable(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) => {
    if (typeof v === 'string' && ISO_INSTANT.test(v)) return new Date(v).toISOString();
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return v;
  });
}
