import { idOf, isIdentifiedList, isObject } from './ocdsMerge.ts';

export interface FieldChange {
  /** Dotted path; an item of an array merged by id is `[id]`: `awards[AWD-1].value.amount`. */
  path: string;
  old?: unknown;
  new?: unknown;
}

export interface HistoryEntry extends FieldChange {
  /** The notice whose release brought the change, and its release date. */
  noticeId: string;
  date: Date;
}

/** A record keeps this many of its latest changes. */
export const HISTORY_LIMIT = 100;

/**
 * The field changes from one compiled state to the next, leaf by leaf (arrays of objects with ids
 * item by item, other arrays whole). Pure; the order follows `after`, then what `after` dropped.
 */
export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
    return keys.flatMap((key) => fieldChanges(before[key], after[key], path ? `${path}.${key}` : key));
  }
  if (Array.isArray(before) && Array.isArray(after) && isIdentifiedList(before) && isIdentifiedList(after)) {
    const old = new Map(before.map((item) => [idOf(item), item]));
    const now = new Map(after.map((item) => [idOf(item), item]));
    const ids = [...new Set([...now.keys(), ...old.keys()])];
    return ids.flatMap((id) => fieldChanges(old.get(id), now.get(id), `${path}[${id}]`));
  }
  if (sameValue(before, after)) return [];
  return [{ path, ...(before !== undefined && { old: before }), ...(after !== undefined && { new: after }) }];
}

/** Stored history, then the new changes, each attributed to a notice by `by`; the latest HISTORY_LIMIT kept. */
export function appendHistory(stored: readonly HistoryEntry[], changes: readonly FieldChange[], by: (change: FieldChange) => { noticeId: string; date: Date }): HistoryEntry[] {
  return [...stored, ...changes.map((change) => ({ ...change, ...by(change) }))].slice(-HISTORY_LIMIT);
}

/** The value at a path as fieldChanges writes it (`awards[AWD-1].value.amount`), or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let at = value;
  for (const segment of path.match(/[^.[\]]+|\[[^\]]*\]/g) ?? []) {
    if (segment.startsWith('[')) at = Array.isArray(at) ? at.find((item) => isObject(item) && String(item.id) === segment.slice(1, -1)) : undefined;
    else at = isObject(at) ? at[segment] : undefined;
  }
  return at;
}

/** Equal as stored JSON / BSON would be: key order ignored, dates by instant. */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(canonical);
  if (isObject(value)) return Object.fromEntries(Object.keys(value).sort().filter((k) => value[k] !== undefined).map((k) => [k, canonical(value[k])]));
  return value;
}
