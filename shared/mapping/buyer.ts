import type { ContactPoint, Party, Release } from '../ocds/releaseSchema.ts';
import { additionalIdentifiers, buyerOrgId } from './buyerOrgId.ts';
import { buyerRegionOf } from './buyerRegion.ts';
import { compact } from './compact.ts';
import type { MappedBuyer, MappedContact } from './mappedRelease.ts';
import type { NoticeRules } from './noticeRules.ts';
import { postcodeDistrict } from './postcodeRegions.ts';
import { cleanText, idText } from './text.ts';

/** The buyer's party: the one `release.buyer.id` points at, else the first with role `buyer`. */
export function findBuyerParty(release: Release): Party | undefined {
  const parties = release.parties ?? [];
  const buyerId = idText(release.buyer?.id);
  const byId = buyerId === undefined ? undefined : parties.find((party) => idText(party.id) === buyerId);
  return byId ?? parties.find((party) => party.roles?.includes('buyer') === true);
}

/** Placeholder values: the captured FTS page had its contact details replaced by `REDACTED`. */
function contactValue(value: unknown): string | undefined {
  const text = cleanText(value);
  return text === undefined || text.toUpperCase() === 'REDACTED' ? undefined : text;
}

/** The contact point as a contact, or none when it names nobody and nothing. */
export function mapContacts(contactPoint: ContactPoint | null | undefined): MappedContact[] {
  if (contactPoint == null) return [];
  const contact = compact({
    name: contactValue(contactPoint.name),
    email: contactValue(contactPoint.email),
    telephone: contactValue(contactPoint.telephone),
    url: contactValue(contactPoint.url),
  });
  return Object.keys(contact).length === 0 ? [] : [contact];
}

/**
 * The buyer as auto-extracted from one release, or null when the release names no buyer: from the
 * buyer's party when there is one, else from `release.buyer` alone (name and id).
 */
export function mapBuyer(release: Release, party: Party | undefined, sector: string | undefined, scope?: NoticeRules['buyerNameScope']): MappedBuyer | null {
  return mapBuyerParty(party, release.buyer, sector, scope);
}

/**
 * A joint procurement's other buyers: every party with role `buyer` but the lead's (`lead`, from
 * findBuyerParty), mapped as the lead is (without `release.buyer`, which names the lead), in the
 * release's order, one per orgId and never the lead's (`leadOrgId`). None without a lead.
 */
export function mapJointBuyers(
  release: Release,
  lead: Party | undefined,
  leadOrgId: string | undefined,
  sector: string | undefined,
  scope?: NoticeRules['buyerNameScope'],
): MappedBuyer[] {
  if (leadOrgId === undefined) return [];
  const seen = new Set([leadOrgId]);
  const joint: MappedBuyer[] = [];
  for (const party of release.parties ?? []) {
    if (party === lead || party.roles?.includes('buyer') !== true) continue;
    const buyer = mapBuyerParty(party, undefined, sector, scope);
    if (buyer === null || seen.has(buyer.orgId)) continue;
    seen.add(buyer.orgId);
    joint.push(buyer);
  }
  return joint;
}

function mapBuyerParty(party: Party | undefined, named: Release['buyer'], sector: string | undefined, scope: NoticeRules['buyerNameScope']): MappedBuyer | null {
  const name = cleanText(party?.name) ?? cleanText(named?.name) ?? cleanText(party?.identifier?.legalName);
  if (name === undefined) return null;
  const address = party?.address;
  const orgId = scoped(buyerOrgId({ id: party?.id ?? named?.id, identifier: party?.identifier, name }), scope, address?.postalCode);
  // Only a name without a single letter or digit gives no key: such a "buyer" is not kept.
  if (orgId === undefined) return null;
  const identifiers = additionalIdentifiers(party).filter((id) => id !== orgId);
  const { region, regionCode } = buyerRegionOf(address);
  return {
    ...compact({
      orgId,
      identifiers: identifiers.length > 0 ? identifiers : undefined,
      name,
      sector,
      region,
      regionCode,
      website: cleanText(party?.details?.url) ?? contactValue(party?.contactPoint?.url),
      locality: cleanText(address?.locality),
      postalCode: cleanText(address?.postalCode),
    }),
    contacts: mapContacts(party?.contactPoint),
  };
}

/**
 * A name slug orgId within the buyer's postcode district (`name-st-marys-primary-school@g21`) where
 * the source says names are local (`buyerNameScope`); unchanged without a district, or when it is
 * an identifier.
 */
function scoped(orgId: string | undefined, scope: NoticeRules['buyerNameScope'], postalCode: unknown): string | undefined {
  const district = scope === 'postcodeDistrict' && typeof postalCode === 'string' ? postcodeDistrict(postalCode) : undefined;
  return orgId?.startsWith('name-') && district !== undefined ? `${orgId}@${district.toLowerCase()}` : orgId;
}
