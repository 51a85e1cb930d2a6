import * as v from 'valibot';
import type { Db } from 'mongodb';
import type { Config } from '../../shared/config.ts';
import { enqueueDueWindows } from '../../shared/steps/enqueueDueWindows.ts';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { sources } from '../../shared/sources/sources.ts';
import { withDb } from '../../shared/store/db.ts';
import { findWindowsOverlapping, replanWindow } from '../../shared/store/replanWindows.ts';
import { windowsCollection } from '../../shared/store/windows.ts';
import type { TimeRange } from '../../shared/sources/source.ts';
import { firstCheckpoint } from '../../shared/windows/advanceCheckpoint.ts';
import { BODY_NOT_OBJECT, DateField, SourceField } from './adminFields.ts';
import { readBody } from './adminOnly.ts';
import { json } from './respond.ts';

/** Windows one call plans again at most: each is one update (FerretDB hangs on one update matching 100). */
export const MAX_REPLAN_WINDOWS = 200;

const ReplanBody = v.pipe(
  v.object({ source: SourceField, from: DateField, to: DateField }, BODY_NOT_OBJECT),
  v.forward(
    v.check((body) => body.from < body.to, 'must be after from'),
    ['to'],
  ),
);

/**
 * POST /admin/replan `{"source": "FIND_A_TENDER", "from": "2024-01-01", "to": "2024-03-01"}`: every
 * window of the source overlapping [from, to) is planned again (shared/store/replanWindows.ts) and
 * the due ones are put on the fetch queue at once, within FETCH_WINDOWS_IN_FLIGHT. What is stored
 * stays; the new fetch upserts over it (a newer release wins, as always).
 */
export async function postReplan(request: Request, env: Env, config: Config): Promise<Response> {
  const body = await readBody(request, ReplanBody);
  if (!body.ok) return body.response;
  const { source, from, to } = body.value;
  return withDb(config, async (db) => {
    const windows = await findWindowsOverlapping(db, source, { from, to }, MAX_REPLAN_WINDOWS + 1);
    if (windows.length > MAX_REPLAN_WINDOWS) return json(400, { error: `to: the range holds more than ${MAX_REPLAN_WINDOWS} windows; replan it in parts` });
    const replanned: string[] = [];
    const skipped: string[] = [];
    for (const window of windows) (await replanOne(db, source, window)) ? replanned.push(window._id) : skipped.push(window._id);
    const { sent: enqueued } = await enqueueDueWindows(env, config, db, source, new Date());
    return json(200, { source, from, to, replanned, skipped, enqueued });
  });
}

/** A window whose seq moved on between the read and the update is read again, a few times. */
async function replanOne(db: Db, source: SourceName, window: { _id: string; seq: number } & TimeRange): Promise<boolean> {
  const restartAt = firstCheckpoint(window, sources[source].maxSliceMs);
  for (let seq = window.seq, tries = 0; tries < 3; tries++) {
    if (await replanWindow(db, { _id: window._id, seq }, restartAt, new Date())) return true;
    const now = await windowsCollection(db).findOne({ _id: window._id }, { projection: { seq: 1 } });
    if (!now) return false;
    seq = now.seq;
  }
  return false;
}
