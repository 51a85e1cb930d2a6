/**
 * Makes a new release from a real one: the template keeps every real shape and oddity (stray
 * `buyerID: []`, award values with only `amountGross`, `description: null`…), only the fields that
 * identify a notice or that the pipeline maps are replaced.
 */
import type { Release } from './fixtures.ts';
import { intBetween, logUniform, type Random } from './random.ts';
import { formatUkIso, formatUkLocal, parseUkLocal } from './ukTime.ts';
import type { Cpv } from './vocabulary.ts';

export interface Template {
  text: string;
  /** Strings of the real release to swap everywhere (ids in URLs, award ids, document dates). */
  oldId: string;
  oldNoticeGuid: string | null;
  oldOcid: string;
  oldDate: string;
  /** The release holds a number JSON.parse cannot keep (FTS's `1e9999`, read as Infinity). */
  nonFinite: boolean;
}

/** What one generated release is about; several releases of one ocid share it. */
export interface Procurement {
  ocid: string;
  buyer: { id: string; name: string; scheme: string; localId: string };
  cpvs: Cpv[];
  title: string;
  amount: number;
}

export interface Identity {
  id: string;
  /** CF only: the notice GUID that starts `id` and appears in notice URLs. */
  noticeGuid: string | null;
  date: Date;
  /** How GMT is written in this release: real FTS data mixes `Z` and `+00:00`. */
  winter: 'Z' | '+00:00';
}

/** Where a source's new ocids and release ids come from (dataset.ts: FTS's and CF's numbering). */
export interface IdSource {
  ocid(): string;
  release(ocid: string, date: Date): Pick<Identity, 'id' | 'noticeGuid'>;
}

type Json = Record<string, unknown>;

const DAY = 86_400_000;

/** CF ids are `<notice GUID>-<6 digits>`: the GUID; FTS ids (`nnnnnn-yyyy`) carry none: null. */
export function noticeGuidOf(releaseId: string): string | null {
  const guid = /^(.*)-\d+$/.exec(releaseId);
  return guid && guid[1].length === 36 ? guid[1] : null;
}

/** `text`: the release as the service wrote it (a real capture's text), else as JSON.stringify writes it. */
export function makeTemplate(release: Release, text: string = JSON.stringify(release)): Template {
  const oldId = String(release.id);
  return {
    text,
    oldId,
    oldNoticeGuid: noticeGuidOf(oldId),
    oldOcid: String(release.ocid),
    oldDate: String(release.date),
    nonFinite: hasNonFinite(release),
  };
}

function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value && typeof value === 'object') return Object.values(value).some(hasNonFinite);
  return false;
}

export function deriveRelease(template: Template, who: Identity, what: Procurement, random: Random): Release {
  const date = formatUkIso(who.date, who.winter);
  // Id first: a CF id contains the notice GUID, which is swapped next.
  let text = template.text.split(template.oldId).join(who.id);
  if (template.oldNoticeGuid && who.noticeGuid) text = text.split(template.oldNoticeGuid).join(who.noticeGuid);
  text = text.split(template.oldOcid).join(what.ocid).split(template.oldDate).join(date);
  const release = JSON.parse(text) as Json;
  setBuyer(release, what.buyer);
  const tender = asObject(release.tender);
  if (tender) {
    tender.title = what.title;
    setValues(tender, release, what.amount, random);
    setPeriods(tender, release, who, random);
  }
  setCpvs(release, what.cpvs);
  return release;
}

function asObject(value: unknown): Json | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function asObjects(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(asObject).filter((v): v is Json => v !== undefined) : [];
}

function setBuyer(release: Json, buyer: Procurement['buyer']): void {
  const ref = asObject(release.buyer);
  if (ref) Object.assign(ref, { id: buyer.id, name: buyer.name });
  for (const party of asObjects(release.parties)) {
    if (!(party.roles as unknown[] | undefined)?.includes('buyer')) continue;
    party.id = buyer.id;
    party.name = buyer.name;
    const identifier = asObject(party.identifier);
    if (identifier && 'legalName' in identifier) identifier.legalName = buyer.name;
    if (identifier && 'scheme' in identifier) Object.assign(identifier, { scheme: buyer.scheme, id: buyer.localId });
    else if (identifier && 'id' in identifier) identifier.id = buyer.localId;
    // The template organisation's other identifiers are not this buyer's: kept in shape, made its
    // own, or two buyers derived from one template would share a key and the registry merge them.
    const others = asObjects(party.additionalIdentifiers);
    others.forEach((other, i) => Object.assign(other, { id: `${buyer.localId}-${i + 1}` }));
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Keeps each value's real shape: only the amount keys the template has are written. */
function setMoney(holder: Json | undefined, key: string, amount: number): void {
  const value = asObject(holder?.[key]);
  if (!value) return;
  if ('amount' in value) value.amount = amount;
  if ('amountGross' in value) value.amountGross = round2(amount * 1.2);
}

function setValues(tender: Json, release: Json, amount: number, random: Random): void {
  setMoney(tender, 'value', amount);
  setMoney(tender, 'minValue', round2(amount * (0.2 + 0.6 * random())));
  const lots = asObjects(tender.lots);
  for (const lot of lots) setMoney(lot, 'value', round2(amount / lots.length));
  for (const award of asObjects(release.awards)) setMoney(award, 'value', round2(amount * (0.6 + 0.4 * random())));
}

/** A UK calendar day `days` after `from`, at a UK wall-clock time, written like the release date. */
function ukDay(from: Date, days: number, time: string, winter: Identity['winter']): string {
  const day = formatUkLocal(new Date(from.getTime() + days * DAY)).slice(0, 10);
  return formatUkIso(parseUkLocal(`${day}T${time}`) as Date, winter);
}

function setPeriod(holder: Json | undefined, key: string, dates: Record<string, string>): void {
  const period = asObject(holder?.[key]);
  if (!period) return;
  for (const [field, value] of Object.entries(dates)) if (field in period) period[field] = value;
}

function setPeriods(tender: Json, release: Json, who: Identity, random: Random): void {
  const deadlineDays = intBetween(random, 10, 45);
  const deadline = ukDay(who.date, deadlineDays, random() < 0.5 ? '12:00:00' : '23:59:59', who.winter);
  setPeriod(tender, 'tenderPeriod', { endDate: deadline });
  setPeriod(tender, 'enquiryPeriod', { endDate: ukDay(who.date, deadlineDays - 7, '23:59:59', who.winter) });
  const startDays = deadlineDays + 30;
  const years = intBetween(random, 1, 4);
  const contract = {
    startDate: ukDay(who.date, startDays, '00:00:00', who.winter),
    endDate: ukDay(who.date, startDays + years * 365 - 1, '23:59:59', who.winter),
    maxExtentDate: ukDay(who.date, startDays + (years + 2) * 365 - 1, '23:59:59', who.winter),
  };
  setPeriod(tender, 'contractPeriod', contract);
  for (const lot of asObjects(tender.lots)) setPeriod(lot, 'contractPeriod', contract);
  for (const award of asObjects(release.awards)) {
    setPeriod(award, 'contractPeriod', contract);
    if ('date' in award) award.date = ukDay(who.date, 0, '00:00:00', who.winter);
  }
}

function cpvEntry(cpv: Cpv) {
  return { scheme: 'CPV', id: cpv.id, description: cpv.description };
}

/** CF puts the main code in `tender.classification`, FTS in items' `additionalClassifications`. */
function setCpvs(release: Json, cpvs: Cpv[]): void {
  const tender = asObject(release.tender);
  const items = [tender, ...asObjects(release.awards)].flatMap((holder) => asObjects(holder?.items));
  for (const holder of [tender, ...items]) {
    const main = asObject(holder?.classification);
    if (main?.scheme === 'CPV') Object.assign(main, { id: cpvs[0].id, description: cpvs[0].description });
  }
  for (const item of items) {
    if (!Array.isArray(item.additionalClassifications)) continue;
    const others = asObjects(item.additionalClassifications).filter((c) => c.scheme !== 'CPV');
    const codes = asObject(item.classification) ? cpvs.slice(1) : cpvs;
    item.additionalClassifications = [...codes.map(cpvEntry), ...others];
  }
}

/** Contract values spread from small works to large frameworks. */
export function drawAmount(random: Random): number {
  const amount = logUniform(random, 2_000, 50_000_000);
  return amount > 100_000 ? Math.round(amount / 100) * 100 : round2(amount);
}
