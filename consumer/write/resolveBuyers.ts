import type { MappedBuyer } from '../../shared/mapping/mappedRelease.ts';
import type { JoinRule, RegistryKey } from '../../shared/store/buyerKeys.ts';
import { buyerKeys, schemeOf } from './buyerKeys.ts';

/** A key the batch registers: it points at `registryId`, joined by `rule`. */
export interface NewKey extends RegistryKey {
  key: string;
  rule: JoinRule;
  /** The name of the buyer it was seen with. */
  name: string;
}

export interface Resolution {
  /** Each buyer's registry id, by the orgId the release gave it. */
  registryIds: Map<string, string>;
  newKeys: NewKey[];
}

/**
 * Decides which registry entry each buyer belongs to, from the keys stored (`stored`, by key):
 *   1. an exact id: its orgId or another identifier of its party already points somewhere
 *      (`identifier`; `name` when that id is itself a name slug);
 *   2. else its normalised name, unless the name's registry was registered with an id of a scheme
 *      this buyer has too, under another id (two schools of one name have two URNs) (`name`);
 *   3. else a new entry whose registry id is its own orgId (`new`).
 * Every key of the buyer not stored yet then points at that entry, so the schemes of one party
 * join each other. Buyers with a scheme-qualified orgId go first, so an entry is named by an
 * identifier where the batch has one, whatever the order of the releases. Pure.
 */
export function resolveBuyers(buyers: readonly MappedBuyer[], stored: ReadonlyMap<string, RegistryKey>): Resolution {
  const known = new Map(stored);
  const resolution: Resolution = { registryIds: new Map(), newKeys: [] };
  const ordered = [...buyers].sort((a, b) => Number(schemeOf(b.orgId) !== undefined) - Number(schemeOf(a.orgId) !== undefined) || a.orgId.localeCompare(b.orgId));
  for (const buyer of ordered) {
    const { exact, name } = buyerKeys(buyer);
    const schemes = [...new Set(exact.map(schemeOf).filter((scheme) => scheme !== undefined))];
    const byId = exact.find((key) => known.has(key));
    const byName = byId === undefined && known.has(name) && !known.get(name)!.schemes.some((scheme) => schemes.includes(scheme)) ? name : undefined;
    const joined = byId ?? byName;
    const registryId = joined === undefined ? buyer.orgId : known.get(joined)!.registryId;
    const rule: JoinRule = joined === undefined ? 'new' : schemeOf(joined) === undefined ? 'name' : 'identifier';
    for (const key of [...exact, name]) {
      if (known.has(key)) continue;
      known.set(key, { registryId, schemes });
      resolution.newKeys.push({ key, registryId, schemes, rule, name: buyer.name });
    }
    resolution.registryIds.set(buyer.orgId, registryId);
  }
  return resolution;
}
