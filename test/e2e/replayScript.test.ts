import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { deadLettersCollection, storeDeadLetter } from '../../shared/store/deadLetters.ts';
import { messageKey } from '../../shared/store/messageFailures.ts';
import { makeMappedRelease, makeWriteMessage } from '../factories.ts';
import { monthWindow, recordWindow } from '../handlers/recordWindow.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * `npm run replay` with only MONGODB_URI: it starts a Worker of its own under wrangler dev on that
 * database, re-sends the dead letters through it, waits for the work to settle, prints what it did
 * and stops the Worker. The letter is a write part, so only a running write consumer can have stored
 * its contract.
 */
let testDb: Awaited<ReturnType<typeof openTestDb>>;
const release = makeMappedRelease({ contract: { noticeId: '004711-2018', buyerOrg: 'GB-REPLAY-1', buyerName: 'Replay Council' } });
const body = makeWriteMessage({ windowId: 'FIND_A_TENDER:2018-03', releases: [release] });

beforeAll(async () => {
  testDb = await openTestDb('e2e_replay');
  await ensureIndexes(testDb.db);
  await recordWindow(testDb.db, monthWindow('FIND_A_TENDER', '2018-03'), { state: 'failed', lastError: 'write message dead-lettered: HTTP 500' });
  await storeDeadLetter(testDb.db, { queue: 'write', body, error: 'HTTP 500', attempts: 9, messageId: 'm1' }, new Date());
});
afterAll(() => testDb?.close());

describe('npm run replay with a MongoDB URI and no Worker', () => {
  it('starts its own Worker, replays the letter through it, reports, stops the Worker and exits 0', async () => {
    const script = resolve(import.meta.dirname, '../../scripts/replay.ts');
    const { WORKER_URL: _unset, ...env } = process.env;
    const { stdout } = await promisify(execFile)(process.execPath, [script], { env: { ...env, MONGODB_URI: testDb.uri, MONGODB_DB: testDb.name, REPLAY_TIMEOUT_SECONDS: '60' }, timeout: 150_000 });

    expect(stdout).toContain('1 dead letter(s) waiting');
    expect(stdout).toContain(`replayed 1, parked 0\n  replayed ${messageKey('write', body)}\n`);
    expect(await deadLettersCollection(testDb.db).findOne({})).toMatchObject({ state: 'replayed', replays: 1 });
    // The write consumer of the Worker it started stored the part.
    expect(await testDb.db.collection(COLLECTIONS.contracts).findOne({ noticeId: '004711-2018' })).toMatchObject({ noticeId: '004711-2018', buyerOrg: 'GB-REPLAY-1' });
  }, 180_000);
});
