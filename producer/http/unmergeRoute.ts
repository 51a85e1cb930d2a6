import * as v from 'valibot';
import type { Config } from '../../shared/config.ts';
import { withDb } from '../../shared/store/db.ts';
import { unmergeBuyer } from '../unmergeBuyer.ts';
import { readBody } from './adminOnly.ts';
import { json } from './respond.ts';

const UnmergeBody = v.strictObject({
  registryId: v.pipe(v.string(), v.trim(), v.nonEmpty()),
  sourceIds: v.pipe(v.array(v.pipe(v.string(), v.trim(), v.nonEmpty())), v.minLength(1)),
});

/**
 * POST /admin/buyers/unmerge `{ "registryId": "GB-LAE-DUR", "sourceIds": ["name-durham-county-council"] }`
 * (an admin route: wrap in adminOnly): takes those source ids, and the contracts that came through
 * them, out of the buyer into a buyer of their own (producer/unmergeBuyer.ts). 400 names the bad
 * field; 409 says why the buyer cannot be split that way.
 */
export async function postUnmerge(request: Request, _env: Env, config: Config): Promise<Response> {
  const body = await readBody(request, UnmergeBody);
  if (!body.ok) return body.response;
  const report = await withDb(config, (db) => unmergeBuyer(db, body.value, config.WRITE_CHUNK_SIZE, new Date()));
  return report.ok ? json(200, report) : json(409, { error: report.reason });
}
