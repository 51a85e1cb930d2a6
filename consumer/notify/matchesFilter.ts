import type { Change } from '../../shared/changes/readChanges.ts';
import type { WebhookFilter } from '../../shared/store/webhooks.ts';

/** The contract fields a filter reads. */
export interface FilterFields {
  source: string;
  ocid: string;
  _id: string;
  cpvCodes?: string[];
  buyerRegion?: string;
  deliveryRegions?: string[];
  valueMin?: number;
  valueMax?: number;
}

/** Does the filter read the contracts (CPV, region, value), or only the entry (source, kind)? */
export const needsContracts = (filter: WebhookFilter): boolean =>
  filter.cpvPrefixes !== undefined || filter.regions !== undefined || filter.valueMin !== undefined || filter.valueMax !== undefined;

/**
 * Whether a subscription wants a change. `contracts`: what the entry is about, its notice's contract,
 * or for a procurement's entry every contract of the procurement (one matching is enough). An entry
 * whose contract is not stored (yet, or any more) matches no contract condition. Pure.
 */
export function matchesFilter(filter: WebhookFilter, change: Pick<Change, 'source' | 'kind'>, contracts: readonly FilterFields[]): boolean {
  if (filter.sources && !filter.sources.includes(change.source)) return false;
  if (filter.kinds && !filter.kinds.includes(change.kind)) return false;
  if (!needsContracts(filter)) return true;
  return contracts.some((contract) => contractMatches(filter, contract));
}

function contractMatches(filter: WebhookFilter, contract: FilterFields): boolean {
  if (filter.cpvPrefixes && !(contract.cpvCodes ?? []).some((code) => filter.cpvPrefixes!.some((prefix) => code.startsWith(prefix)))) return false;
  if (filter.regions && ![contract.buyerRegion, ...(contract.deliveryRegions ?? [])].some((region) => region !== undefined && filter.regions!.includes(region))) return false;
  if (filter.valueMin !== undefined || filter.valueMax !== undefined) {
    const low = contract.valueMin ?? contract.valueMax;
    const high = contract.valueMax ?? contract.valueMin;
    if (low === undefined || high === undefined) return false;
    if (filter.valueMin !== undefined && high < filter.valueMin) return false;
    if (filter.valueMax !== undefined && low > filter.valueMax) return false;
  }
  return true;
}

/** The contracts an entry is about, among `contracts` (read by the page's ocids). */
export function contractsOf(change: Pick<Change, 'source' | 'ocid' | 'noticeId'>, contracts: readonly FilterFields[]): FilterFields[] {
  if (change.noticeId !== undefined) return contracts.filter((c) => c._id === `${change.source}:${change.noticeId}`);
  return contracts.filter((c) => c.source === change.source && c.ocid === change.ocid);
}
