/** Arrays the interfaces require even when empty (FTS contract termination and change notices name no CPV code). */
const REQUIRED_ARRAYS = new Set(['suppliers', 'contacts', 'cpvCodes']);

/** Paths of empty values anywhere in a mapped document: there must be none. */
export function emptyPaths(value: unknown, path = ''): string[] {
  if (value === undefined || value === null || value === '') return [path];
  if (Array.isArray(value)) {
    const key = path.split('.').at(-1)!;
    if (value.length === 0 && !REQUIRED_ARRAYS.has(key)) return [path];
    return value.flatMap((item, i) => emptyPaths(item, `${path}[${i}]`));
  }
  if (typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => emptyPaths(item, path ? `${path}.${key}` : key));
  }
  return [];
}
