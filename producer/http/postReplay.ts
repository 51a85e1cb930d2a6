import type { Config } from '../../shared/config.ts';
import { withDb } from '../../shared/store/db.ts';
import { replayDeadLetters } from '../replayDeadLetters.ts';
import { json } from './respond.ts';

/**
 * POST /admin/replay (and POST /replay, the older name `npm run replay` and scripts call): re-sends
 * the stored dead letters (producer/replayDeadLetters.ts). No body.
 */
export async function postReplay(_request: Request, env: Env, config: Config): Promise<Response> {
  return json(200, await withDb(config, (db) => replayDeadLetters(env, db, new Date())));
}
