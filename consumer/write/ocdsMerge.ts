type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Release-level fields that name one release, not the procurement: left out of the compiled release. */
const RELEASE_ONLY = new Set(['id', 'date', 'tag']);

/**
 * The OCDS compiled release of releases given oldest first (the merge routine of the OCDS
 * standard, simplified): a later release overrides field by field, objects merge recursively,
 * arrays of objects that all carry an `id` merge item by item on that id, any other array is
 * replaced whole, and a `null` removes the field. `tag` is `["compiled"]`. Pure.
 */
export function compileReleases(releases: readonly unknown[]): JsonObject {
  const compiled: JsonObject = {};
  for (const release of releases) {
    if (!isObject(release)) continue;
    const fields = Object.fromEntries(Object.entries(release).filter(([key]) => !RELEASE_ONLY.has(key)));
    mergeInto(compiled, fields as JsonObject);
  }
  return { ...compiled, tag: ['compiled'] };
}

function mergeInto(target: JsonObject, source: JsonObject): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === null) delete target[key];
    else target[key] = merged(target[key], value);
  }
}

function merged(before: Json | undefined, after: Json): Json {
  if (isObject(after)) {
    const out: JsonObject = isObject(before) ? { ...before } : {};
    mergeInto(out, after);
    return out;
  }
  if (Array.isArray(after) && isIdentifiedList(after) && Array.isArray(before) && isIdentifiedList(before)) {
    const out: Json[] = [...before];
    for (const item of after) {
      const at = out.findIndex((old) => idOf(old) === idOf(item));
      if (at === -1) out.push(merged(undefined, item));
      else out[at] = merged(out[at], item);
    }
    return out;
  }
  return structuredClone(after);
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function isIdentifiedList(items: readonly unknown[]): items is JsonObject[] {
  return items.length > 0 && items.every((item) => isObject(item) && (typeof item.id === 'string' || typeof item.id === 'number'));
}

export const idOf = (item: Json): string => String((item as JsonObject).id);
