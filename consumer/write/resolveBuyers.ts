import type { MappedBuyer } from '../../shared/mapping/mappedRelease.ts';
import type { JoinRule, RegistryKey } from '../../shared/store/buyerKeys.ts';
import type { Merge } from '../../shared/store/buyerMerges.ts';
import { buyerKeys, isDistrictScoped, schemeOf } from './buyerKeys.ts';

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
  /** Registry entries found to be one organisation: `from` joins `to` (carried out by producer/mergeBuyers.ts). */
  merges: Merge[];
}

/**
 * Decides which registry entry each buyer belongs to, from the keys stored (`stored`, by key):
 *   1. an exact id: its orgId or another identifier of its party already points somewhere
 *      (`identifier`; `name` when that id is itself a name slug);
 *   2. else its normalised name, unless the name's registry was registered with an id of a scheme
 *      this buyer has too, under another id (two schools of one name have two URNs) (`name`);
 *   A join through a name (a name key, or an orgId that is a name slug) is refused when either side
 *   is known by name within its postcode district (PCS) and the two districts differ: one name is
 *   many schools, and PCS gives them no identifier.
 *   3. else a new entry whose registry id is its own orgId (`new`).
 * Every key of the buyer not stored yet then points at that entry, so the schemes of one party
 * join each other. Buyers with a scheme-qualified orgId go first, so an entry is named by an
 * identifier where the batch has one, whatever the order of the releases.
 *
 * When a buyer's scheme identifiers point at two or more entries (registered apart, or by two
 * writers at once that each won some keys), those entries are one organisation: they merge into
 * the survivor, the entry named by a scheme identifier, then the smallest id (`survivorOf`), and
 * every buyer of the batch on a merged entry goes to the survivor. A name slug never merges two
 * entries (two schools of one name). Pure.
 */
export function resolveBuyers(buyers: readonly MappedBuyer[], stored: ReadonlyMap<string, RegistryKey>): Resolution {
  const known = new Map(stored);
  const resolution: Resolution = { registryIds: new Map(), newKeys: [], merges: [] };
  const mergedInto = new Map<string, string>();
  const follow = (id: string): string => (mergedInto.has(id) ? follow(mergedInto.get(id)!) : id);
  const ordered = [...buyers].sort((a, b) => Number(schemeOf(b.orgId) !== undefined) - Number(schemeOf(a.orgId) !== undefined) || a.orgId.localeCompare(b.orgId));
  for (const buyer of ordered) {
    const { exact, name, district } = buyerKeys(buyer);
    const schemes = [...new Set(exact.map(schemeOf).filter((scheme) => scheme !== undefined))];
    const byId = exact.find((key) => known.has(key) && (schemeOf(key) !== undefined || districtsAllow(known.get(key)!, buyer.orgId, district)));
    const byName = byId === undefined && known.has(name) && joinsByName(known.get(name)!, schemes) && districtsAllow(known.get(name)!, buyer.orgId, district) ? name : undefined;
    const joined = byId ?? byName;
    let registryId = joined === undefined ? buyer.orgId : follow(known.get(joined)!.registryId);
    const entries = new Map(exact.filter((key) => schemeOf(key) !== undefined && known.has(key)).map((key) => [follow(known.get(key)!.registryId), key]));
    if (entries.size > 1) {
      registryId = survivorOf([...entries.keys()]);
      for (const [from, key] of entries) {
        if (from === registryId) continue;
        mergedInto.set(from, registryId);
        resolution.merges.push({ from, to: registryId, rule: 'identifier', key });
      }
    }
    const rule: JoinRule = joined === undefined ? 'new' : schemeOf(joined) === undefined ? 'name' : 'identifier';
    for (const key of [...exact, name]) {
      if (known.has(key)) continue;
      const registered = { registryId, schemes, ...(district !== undefined && { district }) };
      known.set(key, registered);
      resolution.newKeys.push({ key, ...registered, rule, name: buyer.name });
    }
    resolution.registryIds.set(buyer.orgId, registryId);
  }
  // A buyer resolved before a later one merged its entry goes to the survivor too.
  for (const [orgId, registryId] of resolution.registryIds) resolution.registryIds.set(orgId, follow(registryId));
  for (const key of resolution.newKeys) key.registryId = follow(key.registryId);
  for (const merge of resolution.merges) merge.to = follow(merge.to);
  return resolution;
}

/**
 * The merges owed where another writer registered some of the batch's new keys at the same moment,
 * for another entry (`taken`: the keys as the batch meant them; `stored`: as the other writer
 * registered them): the entries merge as the registry would have joined them one after the other,
 * by an identifier, or by a name this buyer's schemes do not contradict. Without it, an entry that
 * lost every key it shares with the other would stay apart. Pure.
 */
export function mergesForTakenKeys(taken: readonly NewKey[], stored: ReadonlyMap<string, RegistryKey>): Merge[] {
  const merges = new Map<string, Merge>();
  for (const key of taken) {
    const theirs = stored.get(key.key);
    if (!theirs || theirs.registryId === key.registryId) continue;
    const byIdentifier = schemeOf(key.key) !== undefined;
    if (!byIdentifier && !(joinsByName(theirs, key.schemes) && districtsAllow(theirs, key.registryId, key.district))) continue;
    const to = survivorOf([key.registryId, theirs.registryId]);
    const from = to === key.registryId ? theirs.registryId : key.registryId;
    if (!merges.has(from)) merges.set(from, { from, to, rule: byIdentifier ? 'identifier' : 'name', key: key.key });
  }
  return [...merges.values()];
}

/** A name joins the entry it was registered for unless that entry has another id of one of these schemes (two schools of one name). */
const joinsByName = (registered: RegistryKey, schemes: readonly string[]): boolean => !registered.schemes.some((scheme) => schemes.includes(scheme));

/**
 * A name joins across postcode districts only between buyers that are not known by name within
 * their district (`isDistrictScoped`, by the orgId or the entry the key points at): for those, two
 * districts are two organisations. Where either district is unknown the name decides, as elsewhere.
 */
function districtsAllow(registered: RegistryKey, orgId: string, district: string | undefined): boolean {
  const scoped = isDistrictScoped(orgId) || isDistrictScoped(registered.registryId);
  return !scoped || registered.district === undefined || district === undefined || registered.district === district;
}

/** The entry that stays when entries merge: one named by a scheme identifier (not a name slug), then the smallest id. */
export function survivorOf(registryIds: readonly string[]): string {
  const rank = (id: string) => (schemeOf(id) === undefined ? 1 : 0);
  return [...registryIds].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))[0];
}
