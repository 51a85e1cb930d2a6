import type { SimRelease } from './dataset.ts';

/**
 * A release of a data set published anew at `date` (for `simulator.publish`): another id makes a
 * new notice, the same id a changed one; `title` changes the tender's title, `ocid` moves it to another procurement.
 */
export function republished(from: SimRelease, date: Date, changes: { id?: string; title?: string; ocid?: string } = {}): SimRelease {
  const id = changes.id ?? from.id;
  const release = structuredClone(from.release);
  Object.assign(release, { id, date: date.toISOString() }, changes.ocid !== undefined && { ocid: changes.ocid });
  if (changes.title !== undefined) (release.tender as Record<string, unknown>).title = changes.title;
  return { id, notice: id.replace(/-\d{6}$/, ''), date, release };
}

/**
 * A CF notice's next version (its counter + 1) published at `date` but listed under the
 * publication date of the version it replaces: CF's search filters on publication date, so no
 * delta window after `date` returns it (UPSTREAM.md, "Hidden losses").
 */
export function newVersionKeepingPublication(from: SimRelease, date: Date, changes: { title?: string } = {}): SimRelease {
  const counter = Number(/-(\d{6})$/.exec(from.id)?.[1]);
  if (!Number.isInteger(counter)) throw new Error(`${from.id} is not a CF release id (<GUID>-<counter>)`);
  const next = republished(from, date, { ...changes, id: `${from.notice}-${String(counter + 1).padStart(6, '0')}` });
  return { ...next, listedAt: from.listedAt ?? from.date };
}
