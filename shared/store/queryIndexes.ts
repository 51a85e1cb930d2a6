import type { Document, Filter } from 'mongodb';
import type { ContractStatus } from '../mapping/mappedRelease.ts';
import { COLLECTIONS, type ProjectIndex } from './db.ts';

/**
 * The tender-search product's queries over `contracts`, as it runs them (`find(filter).sort(sort)`),
 * each with the index that serves it: one place that ensureIndexes creates from, the doctor checks,
 * docs/querying.md documents and the tests run. Keys follow MongoDB's ESR guideline (equality fields,
 * then the sort, then ranges; queryIndexes.test.ts checks each query against its index). Every index
 * costs every contract write, so one index serves several queries where the ESR order allows.
 */
export interface FindQuery {
  filter: Filter<Document>;
  sort: Record<string, 1 | -1>;
}

export interface ProductQuery<P> {
  /** Its name in docs/querying.md. */
  name: string;
  /** The index that serves it; a `$or` query has one per branch, in the branches' order. */
  indexes: readonly ProjectIndex[];
  find(params: P): FindQuery;
  /** find() of example parameters: what the ESR check reads and the docs show. */
  example: FindQuery;
}

function productQuery<P>({ example, ...query }: Omit<ProductQuery<P>, 'example'> & { example: P }): ProductQuery<P> {
  return { ...query, example: query.find(example) };
}

/** An index for the product, named `query_…` so that an operator tells it from the pipeline's own. */
const contractsIndex = (name: string, key: ProjectIndex['key']): ProjectIndex => ({ collection: COLLECTIONS.contracts, name: `query_${name}`, key });

/**
 * Status and deadline lead, then the CPV codes: one multikey index serves open tenders closing soonest
 * and the same narrowed to a CPV prefix (a range, so after the sort), at any level of the hierarchy:
 * `72` is the division (the sector `cpvSectors.ts` names), `722` a group, a whole code itself.
 */
const OPEN_TENDERS = contractsIndex('openTenders', { status: 1, deadlineDate: 1, cpvCodes: 1 });
const BY_BUYER_REGION = contractsIndex('buyerRegion', { buyerRegion: 1, status: 1, deadlineDate: 1 });
/** Multikey: a notice delivered in several regions (all twelve when UK-wide) is found under each. */
const BY_DELIVERY_REGION = contractsIndex('deliveryRegion', { deliveryRegions: 1, status: 1, deadlineDate: 1 });
const BY_LEAD_BUYER = contractsIndex('buyerLead', { buyerOrg: 1, publishedDate: -1 });
/** Multikey: each buyer of a joint procurement (the lead too); `buyers` is absent with one buyer, hence two indexes. */
const BY_JOINT_BUYER = contractsIndex('buyerJoint', { 'buyers.orgId': 1, publishedDate: -1 });
/** Multikey over every award's suppliers: their ids as the release gives them (`GB-COH-…`, `GB-PPON-…`). */
const BY_SUPPLIER = contractsIndex('supplier', { 'awards.suppliers.id': 1, publishedDate: -1 });
const BY_PUBLISHED = contractsIndex('published', { publishedDate: -1 });
const BY_VALUE = contractsIndex('value', { status: 1, currency: 1, valueMax: -1, valueMin: 1 });

/** The notices with `status` whose deadline is after `closingAfter`, soonest first; optionally with a CPV code under `cpvPrefix`. */
export const openTenders = productQuery({
  name: 'openTenders',
  indexes: [OPEN_TENDERS],
  find: ({ status, closingAfter, cpvPrefix }: { status: ContractStatus; closingAfter: Date; cpvPrefix?: string }) => ({
    filter: { status, deadlineDate: { $gt: closingAfter }, ...(cpvPrefix !== undefined && { cpvCodes: { $regex: `^${cpvDigits(cpvPrefix)}` } }) },
    sort: { deadlineDate: 1 },
  }),
  example: { status: 'OPEN', closingAfter: new Date('2026-01-01T00:00:00Z'), cpvPrefix: '72' },
});

/** A CPV prefix is 1-8 digits: anything else would be a regular expression of the caller's. */
function cpvDigits(prefix: string): string {
  if (!/^\d{1,8}$/.test(prefix)) throw new RangeError(`cpvPrefix must be 1-8 digits, not ${JSON.stringify(prefix)}`);
  return prefix;
}

/** Notices with `status` in a region (`field`: the buyer's or a delivery region) whose deadline is after `closingAfter`, soonest first. */
const tendersInRegion = (name: string, index: ProjectIndex, field: 'buyerRegion' | 'deliveryRegions') =>
  productQuery({
    name,
    indexes: [index],
    find: ({ region, status, closingAfter }: { region: string; status: ContractStatus; closingAfter: Date }) => ({
      filter: { [field]: region, status, deadlineDate: { $gt: closingAfter } },
      sort: { deadlineDate: 1 },
    }),
    example: { region: 'North West', status: 'OPEN', closingAfter: new Date('2026-01-01T00:00:00Z') },
  });

export const byBuyerRegion = tendersInRegion('byBuyerRegion', BY_BUYER_REGION, 'buyerRegion');
export const byDeliveryRegion = tendersInRegion('byDeliveryRegion', BY_DELIVERY_REGION, 'deliveryRegions');

/** Every notice a buyer (its registry id) leads or co-buys, newest first: each `$or` branch by its own index, merged in order. */
export const byBuyer = productQuery({
  name: 'byBuyer',
  indexes: [BY_LEAD_BUYER, BY_JOINT_BUYER],
  find: ({ orgId }: { orgId: string }) => ({ filter: { $or: [{ buyerOrg: orgId }, { 'buyers.orgId': orgId }] }, sort: { publishedDate: -1 } }),
  example: { orgId: 'GB-LAE-DUR' },
});

/** Every notice with an award naming the supplier, newest first (an award since cancelled too: its `status` says). */
export const bySupplier = productQuery({
  name: 'bySupplier',
  indexes: [BY_SUPPLIER],
  find: ({ supplierId }: { supplierId: string }) => ({ filter: { 'awards.suppliers.id': supplierId }, sort: { publishedDate: -1 } }),
  example: { supplierId: 'GB-COH-06841377' },
});

/** What was published since a moment, newest first: the scanner's "new since my last load". */
export const publishedSince = productQuery({
  name: 'publishedSince',
  indexes: [BY_PUBLISHED],
  find: ({ since }: { since: Date }) => ({ filter: { publishedDate: { $gte: since } }, sort: { publishedDate: -1 } }),
  example: { since: new Date('2026-01-01T00:00:00Z') },
});

/**
 * Notices with `status` whose value range (`valueMin`–`valueMax`, in `currency`) meets [atLeast,
 * atMost], largest first. Amounts of different currencies are never compared.
 */
export const byValue = productQuery({
  name: 'byValue',
  indexes: [BY_VALUE],
  find: ({ status, currency, atLeast, atMost }: { status: ContractStatus; currency: string; atLeast: number; atMost: number }) => ({
    filter: { status, currency, valueMax: { $gte: atLeast }, valueMin: { $lte: atMost } },
    sort: { valueMax: -1 },
  }),
  example: { status: 'OPEN', currency: 'GBP', atLeast: 100_000, atMost: 1_000_000 },
});

export const PRODUCT_QUERIES = [openTenders, byBuyerRegion, byDeliveryRegion, byBuyer, bySupplier, publishedSince, byValue] as const;

/** The indexes the queries name, each once. */
export const PRODUCT_INDEXES: readonly ProjectIndex[] = [...new Set(PRODUCT_QUERIES.flatMap((query) => query.indexes))];
