import type { DeadlineKind } from './deadline.ts';
import type { MappedDocument } from './documentLinks.ts';
import type { MappedFramework } from './framework.ts';
import type { MappedPeriod } from './periods.ts';
import type { RelatedNotice } from './relatedNotices.ts';
import type { MappedValue } from './values.ts';

/**
 * What the fetch consumer sends to the write consumer for one release: JSON-safe (dates are
 * ISO-8601 strings, gzip bytes are base64), because it travels in a queue message. The write
 * consumer turns the dates back into BSON dates.
 */
export interface MappedRelease {
  contract: MappedContract;
  /** The buyer party, auto-extracted; null when the release names no buyer. */
  buyer: MappedBuyer | null;
  /**
   * A joint procurement's other buyer parties (role `buyer`), auto-extracted like `buyer`: one per
   * orgId, never the lead's. Absent when there are none (and in messages queued before it existed).
   */
  jointBuyers?: MappedBuyer[];
}

/**
 * OPEN: open to suppliers (bids, interest, a dynamic market's applications); CLOSED: no longer open,
 * nothing awarded (or an award only intended); AWARDED; CANCELLED: the procurement was stopped;
 * TERMINATED: the awarded contract has ended (FTS UK11). Rules: releaseStatus.ts, noticeTypes.ts.
 */
export type ContractStatus = 'OPEN' | 'CLOSED' | 'AWARDED' | 'CANCELLED' | 'TERMINATED';
export type ContractStage = 'PLANNING' | 'TENDER' | 'AWARD';

/**
 * Fields of a `contracts` document; optional fields are left out when the release lacks them.
 * Where each comes from and by which rule: docs/mapping.md.
 */
export interface MappedContract {
  /** Deterministic: `${source}:${noticeId}`, so an upsert by `_id` is the natural-key upsert. */
  _id: string;
  /** The name of the source's adapter (a registered SourceName when it reaches the write queue). */
  source: string;
  /** The notice's id on its service (FTS `nnnnnn-yyyy`, CF the notice GUID): one contract per notice. */
  noticeId: string;
  /** The release this document was mapped from: the notice's newest (CF `<GUID>-<counter>`). */
  releaseId: string;
  ocid: string;
  sourceUrl: string;
  title: string;
  description?: string;
  status: ContractStatus;
  stage: ContractStage;
  noticeType?: string;
  /** The lead buyer's name and orgId (its registry entry's id once stored). */
  buyerName?: string;
  buyerOrg?: string;
  /** A joint procurement's buyers, the lead first (as buyerName/buyerOrg), then MappedRelease.jointBuyers; absent with one buyer. */
  buyers?: ContractBuyer[];
  /** The buyer's own region (its address's ITL/NUTS code or postcode), one of UK_REGIONS (regions.ts). */
  buyerRegion?: string;
  /** The NUTS/ITL code behind `buyerRegion`, only when the source gave one that names a region (FTS: `UKC11`). */
  buyerRegionCode?: string;
  /** Where the work is delivered, in UK_REGIONS order; all twelve when delivered UK-wide. */
  deliveryRegions?: string[];
  cpvCodes: string[];
  sector?: string;
  /** The search range: valueRange.ts (first of awards, contracts, tender, lots, budget with an amount). */
  valueMin?: number;
  valueMax?: number;
  currency?: string;
  /** valueMin/valueMax include VAT: the source gave only gross amounts. */
  valueIncludesVat?: true;
  /** Every amount of the release with its source, own currency and VAT flag, in values.ts order. */
  values?: MappedValue[];
  suitableForSme?: boolean;
  suitableForVcse?: boolean;
  procurementMethod?: string;
  procurementMethodDetails?: string;
  mainProcurementCategory?: string;
  /** ISO-8601 instants. */
  contractPeriod?: MappedPeriod;
  enquiryPeriod?: MappedPeriod;
  documents?: MappedDocument[];
  submissionMethods?: string[];
  submissionUrl?: string;
  submissionDetails?: string;
  /** The same procurement's notices on the other service, as the release links them. */
  relatedNotices?: RelatedNotice[];
  /** The Public Contracts Scotland notice number the notice is or was sent on from (NoticeRules.scRef): joins a PCS notice and its Find a Tender twin. */
  scRef?: number;
  /** ISO-8601 instants. */
  publishedDate?: string;
  /** The deadline a supplier must act by (deadline.ts); a date-only one is the end of that UK day. */
  deadlineDate?: string;
  /** Which deadline `deadlineDate` is: `tender` (tenderPeriod.endDate) or `expressionOfInterest`. */
  deadlineKind?: DeadlineKind;
  /** The framework a call-off is awarded under (framework.ts). */
  framework?: MappedFramework;
  /** The release `date`. */
  releaseDate: string;
  /** Release date, then the source's release counter, as sortable text: an older release never
   * overwrites a newer one (mapping/releaseOrder.ts). */
  releaseOrder: string;
  /** mapping/mappingVersion.ts at mapping time: a document of an older mapping is rewritten. */
  mappingVersion: number;
  lots?: MappedLot[];
  awards?: MappedAward[];
  /** STORE_RAW=object: the release as published. */
  rawData?: unknown;
  /** STORE_RAW=gzip: the release JSON gzip-compressed, base64 in the message, BSON binary in MongoDB. */
  rawDataGz?: string;
}

/** One buyer of a joint procurement: `orgId` as `buyerOrg` (the registry entry's id once stored). */
export interface ContractBuyer {
  orgId: string;
  name: string;
}

export interface MappedLot {
  id: string;
  title?: string;
  description?: string;
  status?: string;
  value?: number;
  currency?: string;
  valueIncludesVat?: true;
  cpvCodes?: string[];
}

export interface MappedAward {
  id: string;
  status?: string;
  date?: string;
  value?: number;
  currency?: string;
  valueIncludesVat?: true;
  /** The ids of the lots this award is for. */
  relatedLots?: string[];
  suppliers: { id?: string; name?: string }[];
}

export interface MappedContact {
  name?: string;
  email?: string;
  telephone?: string;
  url?: string;
}

/** Fields of a `buyers` document that auto-extraction knows; counts and dates are the writer's. */
export interface MappedBuyer {
  /** Scheme-qualified identifier when present, else a stable slug of the normalised name. */
  orgId: string;
  /** The party's other scheme-qualified identifiers (`additionalIdentifiers`), when it has any. */
  identifiers?: string[];
  name: string;
  sector?: string;
  /** As `contracts.buyerRegion` (buyerRegion.ts). */
  region?: string;
  /** The NUTS/ITL code behind `region`, only when it names a region (FTS: `UKC11`). */
  regionCode?: string;
  website?: string;
  description?: string;
  contacts: MappedContact[];
  locality?: string;
  postalCode?: string;
}
