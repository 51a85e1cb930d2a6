/**
 * Public Contracts Scotland site notices, derived from the real captures (test/fixtures/real/pcs/:
 * 90 contract notices of April 2019) the way dataset.ts derives the other sources' releases: each
 * keeps a real notice's shape, buyers and oddities; only what identifies it is replaced. A few a
 * day, at day precision, deterministic by seed; a later notice of a procurement (an award) follows
 * its contract notice. The captures themselves carry no release id, so none is served as captured.
 */
import { noticeIdOfOwnDocument } from '../../shared/sources/pcs/noticeIdentity.ts';
import { readPcsCaptures } from '../fixtures/realPcs.ts';
import { intBetween, pick, type Random } from './random.ts';

const DAY = 86_400_000;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** How often a new notice is the award of an earlier contract notice (same ocid). */
const AWARD_SHARE = 0.3;

/** A release as dataset.ts's `PcsRelease` holds it (not imported: dataset.ts imports this file). */
export interface PcsRelease {
  id: string;
  notice: string;
  date: Date;
  release: Record<string, unknown>;
  noticeType: number;
}

interface Template {
  text: string;
  noticeId: string;
  ocid: string;
  date: string;
}

let templates: Template[] | undefined;

function templatesOf(): Template[] {
  templates ??= readPcsCaptures().map(({ text, release }) => ({ text, noticeId: noticeIdOfOwnDocument(release.tender.documents)!, ocid: release.ocid, date: release.date }));
  return templates;
}

/**
 * `count` notices over the days of [from, to), oldest first: site contract notices (102), prior
 * information notices (101), Quick Quote awards (104), and awards (103) of earlier contract notices.
 */
export function generatePcsReleases(perDay: number, from: Date, to: Date, random: Random): PcsRelease[] {
  const firstDay = Math.ceil(from.getTime() / DAY);
  const days = Math.max(0, Math.ceil(to.getTime() / DAY) - firstDay);
  const count = Math.round(perDay * days);
  const dates = Array.from({ length: count }, () => (firstDay + Math.floor(random() * days)) * DAY)
    .filter((time) => time >= from.getTime() && time < to.getTime())
    .sort((a, b) => a - b);
  let number = 850_000 + intBetween(random, 0, 9_999);
  const open: { ocid: string; template: Template }[] = [];
  return dates.map((time) => {
    const date = new Date(time);
    const noticeId = `${MONTHS[date.getUTCMonth()]}${(number += intBetween(random, 1, 40))}`;
    if (open.length > 0 && random() < AWARD_SHARE) {
      const [awarded] = open.splice(intBetween(random, 0, open.length - 1), 1);
      return derive(awarded.template, { noticeId, number, ocid: awarded.ocid, date, noticeType: 103 });
    }
    const template = pick(random, templatesOf());
    const ocid = `ocds-r6ebe6-${String(number).padStart(10, '0')}`;
    const noticeType = pick(random, [101, 102, 102, 102, 104]);
    if (noticeType === 102) open.push({ ocid, template });
    return derive(template, { noticeId, number, ocid, date, noticeType });
  });
}

/** A release of `template` as notice `noticeId` (its SC Ref `number`) of procurement `ocid`. */
function derive(template: Template, who: { noticeId: string; number: number; ocid: string; date: Date; noticeType: number }): PcsRelease {
  const date = `${who.date.toISOString().slice(0, 10)}T00:00:00Z`;
  const text = template.text.split(template.noticeId).join(who.noticeId).split(template.ocid).join(who.ocid).split(template.date).join(date).replace(/\(SC Ref:\s*\d+\)/g, `(SC Ref:${who.number})`);
  const { ocid, ...rest } = JSON.parse(text) as Record<string, unknown>;
  const award = who.noticeType === 103 || who.noticeType === 104;
  const release: Record<string, unknown> = { id: `rls-1-${who.noticeId}`, ocid, ...rest, tag: [award ? 'award' : who.noticeType === 101 ? 'planning' : 'tender'] };
  if (award) {
    const tender = release.tender as { status?: string; documents: { id?: string; documentType?: string }[] };
    tender.status = 'complete';
    for (const doc of tender.documents) if (doc.id === who.noticeId) doc.documentType = 'awardNotice';
    release.awards = [{ id: `${who.noticeId}-1`, status: 'active', date }];
  }
  return { id: String(release.id), notice: who.noticeId, date: who.date, release, noticeType: who.noticeType };
}
