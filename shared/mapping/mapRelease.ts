import { toIsoInstant } from '../ocds/isoInstant.ts';
import type { Release } from '../ocds/releaseSchema.ts';
import { findBuyerParty, mapBuyer, mapJointBuyers } from './buyer.ts';
import { buyerRegionOf } from './buyerRegion.ts';
import { compact } from './compact.ts';
import { cpvCodesOf } from './cpvCodes.ts';
import { deadlineOf } from './deadline.ts';
import { descriptionOf } from './description.ts';
import { sectorOfCpv } from './cpvSectors.ts';
import { deliveryRegionsOf } from './deliveryRegions.ts';
import { documentsOf, submissionOf } from './documentLinks.ts';
import { frameworkOf } from './framework.ts';
import { mapAwards, mapLots } from './lotsAndAwards.ts';
import type { MappedContract, MappedRelease } from './mappedRelease.ts';
import { MAPPING_VERSION } from './mappingVersion.ts';
import { findNoticeDocument } from './noticeDocument.ts';
import type { NoticeRules } from './noticeRules.ts';
import type { PageContext } from './pageContext.ts';
import { contractPeriodOf, enquiryPeriodOf } from './periods.ts';
import { procurementMethodOf } from './procurementMethod.ts';
import { publishedDateOf } from './publishedDate.ts';
import { gzipBase64, type StoreRaw } from './rawData.ts';
import { relatedNoticesOf } from './relatedNotices.ts';
import { releaseOrder } from './releaseOrder.ts';
import { releaseStatus } from './releaseStatus.ts';
import { suitabilityOf } from './suitability.ts';
import { cleanText } from './text.ts';
import { valueRangeOf } from './valueRange.ts';
import { valuesOf } from './values.ts';

export interface MapOptions {
  storeRaw: StoreRaw;
  /** The release as the service sent it, before parseRelease's shape repairs: what `rawData` keeps. Default: `release`. */
  published?: unknown;
  /** What the request the release was read by says of it (the adapter's `pageContext`). Default: nothing. */
  page?: PageContext;
}

/**
 * One validated release → the `contracts` document and the buyer it names. Pure and deterministic
 * (no clock, no I/O); async only because gzip goes through CompressionStream. Fields the release
 * lacks are left out, never stored empty. What differs between sources, `source` (its adapter) says,
 * including which notice the release is a version of: a release id its source never makes throws
 * (BadReleaseId), and the fetch consumer quarantines the release with that reason.
 */
export async function mapRelease(source: NoticeRules, release: Release, options: MapOptions): Promise<MappedRelease> {
  const { noticeId, counter } = source.identify(release.id);
  // The schema guarantees a parseable release date.
  const releaseDate = toIsoInstant(release.date)!;
  const ownDocument = findNoticeDocument(source, release);
  const tender = release.tender;
  const cpvCodes = cpvCodesOf(release);
  const sector = cpvCodes[0] === undefined ? undefined : sectorOfCpv(cpvCodes[0]);
  const party = findBuyerParty(release);
  const buyer = mapBuyer(release, party, sector, source.buyerNameScope);
  const jointBuyers = mapJointBuyers(release, party, buyer?.orgId, sector, source.buyerNameScope);
  const scRef = source.scRef?.(release);
  const region = buyerRegionOf(party?.address);
  const values = valuesOf(release);
  const page = options.page ?? {};
  const noticeType = page.noticeType ?? source.noticeType(release, ownDocument);
  const { status, stage } = releaseStatus(release, noticeType, page.status);
  const title =
    cleanText(tender?.title) ??
    cleanText(release.awards?.[0]?.title) ??
    cleanText(release.title) ??
    release.ocid;

  const contract: MappedContract = {
    _id: `${source.name}:${noticeId}`,
    source: source.name,
    noticeId,
    releaseId: release.id,
    ocid: release.ocid,
    sourceUrl: source.sourceUrl(noticeId),
    title,
    status,
    stage,
    cpvCodes,
    releaseDate,
    releaseOrder: releaseOrder(releaseDate, counter),
    mappingVersion: MAPPING_VERSION,
    ...compact({
      description: descriptionOf(release),
      noticeType,
      buyerName: buyer?.name ?? cleanText(release.buyer?.name),
      buyerOrg: buyer?.orgId,
      buyers: buyer && jointBuyers.length > 0 ? [buyer, ...jointBuyers].map(({ orgId, name }) => ({ orgId, name })) : undefined,
      buyerRegion: region.region,
      buyerRegionCode: region.regionCode,
      deliveryRegions: deliveryRegionsOf(release),
      sector,
      ...valueRangeOf(values),
      values,
      ...suitabilityOf(release),
      ...procurementMethodOf(release),
      contractPeriod: contractPeriodOf(release),
      enquiryPeriod: enquiryPeriodOf(release),
      documents: documentsOf(release),
      ...submissionOf(release),
      relatedNotices: relatedNoticesOf(release, source.name, scRef),
      scRef,
      publishedDate: publishedDateOf(release, ownDocument),
      ...deadlineOf(release, source.clock),
      framework: frameworkOf(release),
      lots: mapLots(release, cpvCodes),
      awards: mapAwards(release),
    }),
  };
  const published = options.published ?? release;
  if (options.storeRaw === 'object') contract.rawData = published;
  if (options.storeRaw === 'gzip') contract.rawDataGz = await gzipBase64(JSON.stringify(published));
  return { contract, buyer, ...(jointBuyers.length > 0 && { jointBuyers }) };
}
