import { cleanText, idText } from './text.ts';

/**
 * A stable slug of an organisation name: accents stripped, lowercase, `&` → `and`, apostrophes
 * dropped (`Mineworkers'` = `Mineworkers`), every other run of non-alphanumerics → `-`.
 * "Department for Business, Energy & Industrial Strategy" →
 * `department-for-business-energy-and-industrial-strategy`.
 */
export function nameSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Party id schemes that do not identify an organisation. `GB-CFS-…` is Contracts Finder's own
 * record number: in the real pages the same buyer has two of them (Birmingham City Council is
 * GB-CFS-41105 and GB-CFS-43899, Home Office GB-CFS-107236 and GB-CFS-224744), so keying on it
 * would split one buyer into several. CF parties with such an id carry no `identifier.scheme`.
 * `GB-FTS-…` is Find a Tender's record number, given to the parties of notices under the 2015
 * regulations: Milton Keynes City Council is GB-FTS-140786 there and GB-PPON-PLDZ-6131-PWZH in
 * Procurement Act notices. Neither is ever an orgId or a registry key, however it comes (party id,
 * `identifier`, `additionalIdentifiers`).
 */
const UNSTABLE_ID_PREFIXES = ['GB-CFS-', 'GB-FTS-'];

/** A record number of one of the services (UNSTABLE_ID_PREFIXES), not an organisation's identifier. */
export const isUnstableId = (id: string): boolean => UNSTABLE_ID_PREFIXES.some((prefix) => id.startsWith(prefix));

/** An org-id.guide style identifier: `GB-COH-08522643`, `GB-PPON-PVNH-1137-QJBX`. */
const SCHEME_QUALIFIED = /^[A-Z]{2}-[A-Z0-9]+-\S+$/;

export interface OrgIdSource {
  /** The party's (or `release.buyer`'s) own id. */
  id?: unknown;
  identifier?: { scheme?: string | null; id?: unknown } | null;
  name?: string;
}

/**
 * The buyer's key in the `buyers` collection, also stored as the contract's `buyerOrg`:
 * `${identifier.scheme}-${identifier.id}` when the party has a scheme-qualified identifier
 * (`GB-UKPRN-10006341`), else the party id when it already has that shape, else
 * `name-${nameSlug(name)}`; a service's record number (`GB-CFS-…`, `GB-FTS-…`) never. Undefined when there is neither an identifier nor a name.
 */
export function buyerOrgId(source: OrgIdSource): string | undefined {
  const scheme = cleanText(source.identifier?.scheme);
  const id = idText(source.identifier?.id);
  if (scheme !== undefined && id !== undefined) {
    const qualified = id.startsWith(`${scheme}-`) ? id : `${scheme}-${id}`;
    if (!isUnstableId(qualified)) return qualified;
  }
  const partyId = idText(source.id);
  if (partyId !== undefined && SCHEME_QUALIFIED.test(partyId) && !isUnstableId(partyId)) {
    return partyId;
  }
  const name = cleanText(source.name);
  if (name === undefined) return undefined;
  const slug = nameSlug(name);
  return slug === '' ? undefined : `name-${slug}`;
}

/**
 * The party's `additionalIdentifiers` as keys of the same shape (`GB-CHC-1234567`): they say the
 * other schemes know the organisation under these ids, so the registry joins on them too.
 */
export function additionalIdentifiers(party: { additionalIdentifiers?: readonly ({ scheme?: string | null; id?: unknown } | null)[] | null } | undefined): string[] {
  const ids = (party?.additionalIdentifiers ?? []).map((identifier) => (identifier?.scheme ? buyerOrgId({ identifier }) : undefined));
  // Without a name, buyerOrgId gives a scheme-qualified id or nothing: a record number gives nothing.
  return [...new Set(ids.filter((id) => id !== undefined))];
}
