import type { SimRelease } from './dataset.ts';

/**
 * A release of a data set published anew at `date` (for `simulator.publish`): another id makes a
 * new notice, the same id a changed one; `title` changes the tender's title.
 */
export function republished(from: SimRelease, date: Date, changes: { id?: string; title?: string } = {}): SimRelease {
  const id = changes.id ?? from.id;
  const release = structuredClone(from.release);
  Object.assign(release, { id, date: date.toISOString() });
  if (changes.title !== undefined) (release.tender as Record<string, unknown>).title = changes.title;
  return { id, notice: id.replace(/-\d{6}$/, ''), date, release };
}
