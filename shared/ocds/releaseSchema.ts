import * as v from 'valibot';
import { describeIssues } from '../valibot/describeIssues.ts';
import { toIsoInstant } from './isoInstant.ts';
import { repairShapes, type ShapeRepair } from './repairShapes.ts';

/**
 * One OCDS release, as far as the mapping reads it. Lenient on purpose: every object is a
 * `looseObject` (unknown fields pass through untouched), everything OCDS allows to be missing is
 * `nullish`, and ids may be strings or numbers. Required: `id`, `ocid` and a parseable `date`.
 * Real oddities it accepts (UPSTREAM.md, fixtures/real/): `description: null` on FTS lots, stray
 * `buyerID: []` on FTS releases (unknown field, passed through), values with only `amountGross`,
 * awards without an amount, CF parties without `identifier.scheme`.
 */

const text = v.nullish(v.string());
/** OCDS ids are strings, but some publishers send integers. */
const idLike = v.nullish(v.union([v.string(), v.number()]));
const list = <T extends v.GenericSchema>(item: T) => v.nullish(v.array(item));

export const ValueSchema = v.looseObject({
  /** `1e9999` in FTS bodies parses to Infinity: repairJsonText turns it into null first. */
  amount: v.nullish(v.number()),
  /** FTS: gross amount (with VAT); some award values carry only this. */
  amountGross: v.nullish(v.number()),
  currency: text,
});

export const ClassificationSchema = v.looseObject({
  scheme: text,
  id: idLike,
  description: text,
});

export const AddressSchema = v.looseObject({
  streetAddress: text,
  locality: text,
  /** FTS: NUTS/ITL code (`UKC11`); CF: a region name (`London`), and only on delivery addresses. */
  region: text,
  postalCode: text,
  countryName: text,
  country: text,
});

/** `startDate` / `endDate` (contract periods also `maxExtentDate`: the end with every extension). */
export const PeriodSchema = v.looseObject({ startDate: text, endDate: text, maxExtentDate: text });

/** CF `tender.suitability`, FTS `tender.lots[].suitability`: open to small firms / social enterprises. */
export const SuitabilitySchema = v.looseObject({ sme: v.nullish(v.boolean()), vcse: v.nullish(v.boolean()) });

export const ContactPointSchema = v.looseObject({
  name: text,
  email: text,
  telephone: text,
  url: text,
});

export const DocumentSchema = v.looseObject({
  id: idLike,
  documentType: text,
  title: text,
  /** CF: the only label of a link (`Find a Tender Prior Information Notice`). */
  description: text,
  /** FTS (Procurement Act notices): UK1–UK17, on the notice's own document. */
  noticeType: text,
  url: text,
  datePublished: text,
});

export const PartySchema = v.looseObject({
  id: idLike,
  name: text,
  identifier: v.nullish(v.looseObject({ scheme: text, id: idLike, legalName: text })),
  additionalIdentifiers: list(v.looseObject({ scheme: text, id: idLike })),
  address: v.nullish(AddressSchema),
  contactPoint: v.nullish(ContactPointSchema),
  roles: list(v.string()),
  details: v.nullish(v.looseObject({ url: text })),
});

export const ItemSchema = v.looseObject({
  id: idLike,
  classification: v.nullish(ClassificationSchema),
  additionalClassifications: list(ClassificationSchema),
  deliveryAddresses: list(AddressSchema),
  relatedLot: idLike,
});

export const LotSchema = v.looseObject({
  id: idLike,
  title: text,
  description: text,
  status: text,
  value: v.nullish(ValueSchema),
  classification: v.nullish(ClassificationSchema),
  additionalClassifications: list(ClassificationSchema),
  contractPeriod: v.nullish(PeriodSchema),
  suitability: v.nullish(SuitabilitySchema),
});

export const AwardSchema = v.looseObject({
  id: idLike,
  title: text,
  status: text,
  date: text,
  datePublished: text,
  value: v.nullish(ValueSchema),
  suppliers: list(v.looseObject({ id: idLike, name: text })),
  items: list(ItemSchema),
  documents: list(DocumentSchema),
  relatedLots: list(idLike),
  contractPeriod: v.nullish(PeriodSchema),
  /** FTS award notices carry it here, not on the tender. */
  mainProcurementCategory: text,
});

export const TenderSchema = v.looseObject({
  id: idLike,
  title: text,
  description: text,
  status: text,
  datePublished: text,
  classification: v.nullish(ClassificationSchema),
  additionalClassifications: list(ClassificationSchema),
  items: list(ItemSchema),
  value: v.nullish(ValueSchema),
  minValue: v.nullish(ValueSchema),
  tenderPeriod: v.nullish(v.looseObject({ startDate: text, endDate: text })),
  /** FTS competitive flexible procedures: the deadline for requests to participate, often without a `tenderPeriod`. */
  expressionOfInterestDeadline: text,
  enquiryPeriod: v.nullish(PeriodSchema),
  contractPeriod: v.nullish(PeriodSchema),
  lots: list(LotSchema),
  documents: list(DocumentSchema),
  procurementMethod: text,
  procurementMethodDetails: text,
  mainProcurementCategory: text,
  suitability: v.nullish(SuitabilitySchema),
  /** OCDS: codes such as `electronicSubmission`. */
  submissionMethod: list(v.string()),
  /** FTS: the submission portal's URL, or text. */
  submissionMethodDetails: text,
});

export const ReleaseSchema = v.looseObject({
  id: v.pipe(v.string(), v.nonEmpty('release id is empty')),
  ocid: v.pipe(v.string(), v.nonEmpty('release ocid is empty')),
  date: v.pipe(
    v.string(),
    v.check((date) => toIsoInstant(date) !== undefined, 'release date is not an ISO-8601 date'),
  ),
  tag: list(v.string()),
  /** CF planning releases repeat the title here. */
  title: text,
  /** FTS Provider Selection Regime notices describe the procurement here only. */
  description: text,
  buyer: v.nullish(v.looseObject({ id: idLike, name: text })),
  parties: list(PartySchema),
  planning: v.nullish(
    v.looseObject({ documents: list(DocumentSchema), budget: v.nullish(v.looseObject({ amount: v.nullish(ValueSchema) })) }),
  ),
  tender: v.nullish(TenderSchema),
  awards: list(AwardSchema),
  contracts: list(
    v.looseObject({
      id: idLike,
      /** FTS: `active`, `terminated` (UK11 contract termination notices), `cancelled`. */
      status: text,
      value: v.nullish(ValueSchema),
      period: v.nullish(PeriodSchema),
      documents: list(DocumentSchema),
      /** FTS UK11: what was paid in the end (`finalValue`). */
      implementation: v.nullish(v.looseObject({ finalValue: v.nullish(ValueSchema) })),
      /** FTS UK10 contract change notices: the change, with its own value. */
      amendments: list(v.looseObject({ id: idLike, value: v.nullish(ValueSchema) })),
      proposedAmendments: list(v.looseObject({ id: idLike, value: v.nullish(ValueSchema) })),
    }),
  ),
  /**
   * OCDS links to other processes: `uri` may be the same procurement's notice on another service;
   * FTS call-offs name their framework (`relationship: ["framework"]`, `scheme: "ocid"`).
   */
  relatedProcesses: list(
    v.looseObject({ id: idLike, relationship: list(v.string()), title: text, scheme: text, identifier: idLike, uri: text, relatedLots: list(idLike) }),
  ),
});

export type Release = v.InferOutput<typeof ReleaseSchema>;
export type OcdsValue = v.InferOutput<typeof ValueSchema>;
export type Classification = v.InferOutput<typeof ClassificationSchema>;
export type Address = v.InferOutput<typeof AddressSchema>;
export type ContactPoint = v.InferOutput<typeof ContactPointSchema>;
export type OcdsDocument = v.InferOutput<typeof DocumentSchema>;
export type Party = v.InferOutput<typeof PartySchema>;
export type Item = v.InferOutput<typeof ItemSchema>;
export type Lot = v.InferOutput<typeof LotSchema>;
export type Award = v.InferOutput<typeof AwardSchema>;
export type Period = v.InferOutput<typeof PeriodSchema>;
export type Tender = v.InferOutput<typeof TenderSchema>;

export type ReleaseResult =
  | { ok: true; release: Release; repairs: ShapeRepair[] }
  | { ok: false; reason: string };

/**
 * Validates one release of a page, after the shape repairs (repairShapes.ts: shapes the services
 * really send, read as the lists they stand for). On success the release is the input object
 * itself, typed, unless a repair was made (then a copy, changed along the repaired paths only, and
 * `repairs` says where): the schema has no transforms, so the release stays as published (key
 * order included). On failure, `reason` lists the failing paths:
 * `id: Invalid key: Expected "id" but received undefined`.
 */
export function parseRelease(value: unknown): ReleaseResult {
  const repairs: ShapeRepair[] = [];
  const repaired = repairShapes(ReleaseSchema, value, repairs);
  const result = v.safeParse(ReleaseSchema, repaired);
  if (!result.success) return { ok: false, reason: describeIssues(result.issues) };
  return { ok: true, release: repaired as Release, repairs };
}
