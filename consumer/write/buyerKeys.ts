import { nameSlug } from '../../shared/mapping/buyerOrgId.ts';
import type { MappedBuyer } from '../../shared/mapping/mappedRelease.ts';
import { postcodeDistrict } from '../../shared/mapping/postcodeRegions.ts';

/** Words that do not tell two organisations apart: a leading "The", a legal-form suffix. */
const LEADING = /^the-/;
const TRAILING = /-(ltd|limited)$/;

/**
 * An organisation name as the registry compares names: `nameSlug` (case, accents, punctuation,
 * `&` = `and`), then without a leading "The" and a trailing "Ltd" / "Limited".
 * "The Durham County Council" → `durham-county-council`; "ACME Limited" = "Acme Ltd." → `acme`.
 */
export function normalisedName(name: string): string {
  const slug = nameSlug(name);
  const trimmed = slug.replace(LEADING, '').replace(TRAILING, '');
  return trimmed === '' ? slug : trimmed;
}

/** The scheme of a scheme-qualified id (`GB-LAE-DUR` → `GB-LAE`); undefined for a name slug. */
export function schemeOf(key: string): string | undefined {
  return key.startsWith('name-') ? undefined : /^([A-Z]{2}-[A-Z0-9]+)-/.exec(key)?.[1];
}

/**
 * A registry id of a buyer known by name within its postcode district (`name-st-marys-primary-school@g21`:
 * NoticeRules.buyerNameScope, Public Contracts Scotland), whose name alone says little.
 */
export const isDistrictScoped = (id: string): boolean => id.startsWith('name-') && id.includes('@');

export interface BuyerKeys {
  /** Ids the release gives exactly, strongest first: its orgId, then its other identifiers. */
  exact: string[];
  /** The normalised name as a key (`name-durham-county-council`). */
  name: string;
  /** Its address's postcode district, lowercase (`g21`), when it gives one. */
  district?: string;
}

/** The keys the registry looks a buyer up by. Pure. */
export function buyerKeys(buyer: Pick<MappedBuyer, 'orgId' | 'identifiers' | 'name' | 'postalCode'>): BuyerKeys {
  const district = postcodeDistrict(buyer.postalCode)?.toLowerCase();
  return { exact: [...new Set([buyer.orgId, ...(buyer.identifiers ?? [])])], name: `name-${normalisedName(buyer.name)}`, ...(district !== undefined && { district }) };
}

/** Every key of a buyer, as the batch reads them. */
export function keysOf(buyer: Pick<MappedBuyer, 'orgId' | 'identifiers' | 'name'>): string[] {
  const { exact, name } = buyerKeys(buyer);
  return [...exact, name];
}
