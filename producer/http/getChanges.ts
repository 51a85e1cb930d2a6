import type { Config } from '../../shared/config.ts';
import { SOURCE_NAMES } from '../../shared/sources/sourceName.ts';
import { CHANGE_KINDS, type ChangeKind } from '../../shared/store/changes.ts';
import { withDb } from '../../shared/store/db.ts';
import { readChanges, type ChangesQuery } from '../../shared/changes/readChanges.ts';
import { json } from './respond.ts';

export const MAX_CHANGES_LIMIT = 1_000;
const DEFAULT_LIMIT = 100;

/**
 * GET /changes?after=<cursor>&limit=&source=&kind= : the change feed from after a cursor, in
 * cursor order (readChanges.ts); `source` and `kind` take one value or several, comma-separated.
 * Resume from the answer's `next`. 410 when the cursor is older than the feed keeps
 * (CHANGES_RETENTION_DAYS): re-read what you hold, then follow the feed from `oldest`.
 */
export async function getChanges(request: Request, _env: Env, config: Config): Promise<Response> {
  const query = parseQuery(new URL(request.url).searchParams);
  if (typeof query === 'string') return json(400, { error: query });
  const page = await withDb(config, (db) => readChanges(db, query, new Date()));
  if (page.expired) {
    return json(410, {
      error: `cursor ${query.after} is older than the change feed keeps (CHANGES_RETENTION_DAYS=${config.CHANGES_RETENTION_DAYS}): entries after it may have expired. Re-read the collections, then follow the feed from \`oldest\``,
      oldest: page.oldest,
    });
  }
  const { expired: _, ...answer } = page;
  return json(200, answer);
}

/** The query, or what is wrong with it (naming the parameter, never repeating its value). */
export function parseQuery(params: URLSearchParams): ChangesQuery | string {
  const after = params.get('after') ?? '0';
  if (!/^\d{1,15}$/.test(after)) return 'after: must be a cursor (a whole number from a previous answer\'s `next`, or 0)';
  const limit = params.get('limit') ?? String(DEFAULT_LIMIT);
  if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_CHANGES_LIMIT) return `limit: must be a whole number from 1 to ${MAX_CHANGES_LIMIT}`;
  const sources = listParam(params, 'source', SOURCE_NAMES);
  if (typeof sources === 'string') return sources;
  const kinds = listParam(params, 'kind', CHANGE_KINDS);
  if (typeof kinds === 'string') return kinds;
  return { after: Number(after), limit: Number(limit), ...(sources && { sources }), ...(kinds && { kinds: kinds as ChangeKind[] }) };
}

function listParam(params: URLSearchParams, name: string, allowed: readonly string[]): string[] | undefined | string {
  const value = params.get(name);
  if (value === null) return undefined;
  const values = value.split(',').map((s) => s.trim());
  if (values.some((s) => !allowed.includes(s))) return `${name}: must be one or more of ${allowed.join(', ')} (comma-separated)`;
  return values;
}
