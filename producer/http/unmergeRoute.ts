import * as v from 'valibot';
import type { Config } from '../../shared/config.ts';
import { withDb } from '../../shared/store/db.ts';
import { describeIssues } from '../../shared/valibot/describeIssues.ts';
import { unmergeBuyer } from '../unmergeBuyer.ts';
import { isAuthorized } from './isAuthorized.ts';

export const UNMERGE_PATH = '/admin/buyers/unmerge';

const UnmergeBody = v.strictObject({
  registryId: v.pipe(v.string(), v.trim(), v.nonEmpty()),
  sourceIds: v.pipe(v.array(v.pipe(v.string(), v.trim(), v.nonEmpty())), v.minLength(1)),
});

/**
 * POST /admin/buyers/unmerge `{ "registryId": "GB-LAE-DUR", "sourceIds": ["name-durham-county-council"] }`
 * (Authorization: Bearer ADMIN_TOKEN): takes those source ids, and the contracts that came through
 * them, out of the buyer into a buyer of their own (producer/unmergeBuyer.ts). 400 names the bad
 * field; 409 says why the buyer cannot be split that way. The answer's status and JSON body.
 */
export async function handleUnmerge(request: Request, config: Config): Promise<{ status: number; body: unknown }> {
  if (!config.ADMIN_TOKEN) return json(403, { error: 'admin calls are closed: set the ADMIN_TOKEN secret to open them' });
  if (!isAuthorized(request.headers.get('authorization'), config.ADMIN_TOKEN)) return json(401, { error: 'unmerge needs Authorization: Bearer <ADMIN_TOKEN>' });
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return json(400, { error: 'the body is not JSON: expected { "registryId": string, "sourceIds": [string, …] }' });
  }
  const parsed = v.safeParse(UnmergeBody, body);
  if (!parsed.success) return json(400, { error: describeIssues(parsed.issues) });
  const report = await withDb(config, (db) => unmergeBuyer(db, parsed.output, config.WRITE_CHUNK_SIZE, new Date()));
  return report.ok ? json(200, report) : json(409, { error: report.reason });
}

const json = (status: number, body: unknown) => ({ status, body });
