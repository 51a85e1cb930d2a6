import { MongoNetworkError, MongoNetworkTimeoutError, MongoServerError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { TransientError } from '../errors.ts';
import { isMongoUnreachable, mongoAway, mongoFailureText } from './mongoUnreachable.ts';

/** Server selection gave up; `serverError` is why the one server was not usable, where the driver keeps it. */
const selection = (message: string, serverError?: Error) => new MongoServerSelectionError(message, { servers: new Map(serverError ? [['127.0.0.1:27017', { error: serverError }]] : []) } as never);
/** What mongod (and FerretDB, to a mechanism it lacks) answers a login it refuses, as the driver raises it from connect(). */
const authenticationFailed = new MongoServerError({ ok: 0, code: 18, codeName: 'AuthenticationFailed', errmsg: 'Authentication failed.' });

describe('mongoAway: which errors mean no work can be done until MongoDB is back', () => {
  it.each([
    { name: 'server selection timed out', error: selection('connect ECONNREFUSED 127.0.0.1:27017'), away: 'unreachable' },
    { name: 'a connection reset under a command', error: new MongoNetworkError('connection 1 to 127.0.0.1:27017 closed'), away: 'unreachable' },
    { name: 'a command timed out on the socket', error: new MongoNetworkTimeoutError('connection timed out'), away: 'unreachable' },
    { name: 'a wrong user or password (AuthenticationFailed, 18)', error: authenticationFailed, away: 'loginRefused' },
    { name: "Atlas's bad auth (8000), inside a selection error", error: selection('bad auth : authentication failed', new MongoServerError({ ok: 0, code: 8000, codeName: 'AtlasError', errmsg: 'bad auth : authentication failed' })), away: 'loginRefused' },
    { name: 'the server refusing a command', error: new MongoServerError({ message: 'E11000 duplicate key', code: 11000 }), away: null },
    { name: 'a role without the right (Unauthorized, 13): the login worked', error: new MongoServerError({ ok: 0, code: 13, errmsg: 'not authorized on tendhunt to execute command' }), away: null },
    { name: 'the client closed by the Worker', error: new MongoTopologyClosedError(), away: null },
    { name: 'an upstream 503', error: new TransientError('HTTP 503'), away: null },
  ])('$name: $away', ({ error, away }) => {
    expect(mongoAway(error)).toBe(away);
    expect(isMongoUnreachable(error)).toBe(away !== null);
  });
});

describe('mongoFailureText: what a log line or an answer says', () => {
  it.each([
    { error: selection('connect ECONNREFUSED 127.0.0.1:27017'), text: 'MongoDB unreachable: MongoServerSelectionError: connect ECONNREFUSED 127.0.0.1:27017' },
    { error: authenticationFailed, text: 'MongoDB refused the login (the user or password in MONGODB_URI): MongoServerError: Authentication failed.' },
    { error: new TransientError('HTTP 503'), text: 'TransientError: HTTP 503' },
  ])('$text', ({ error, text }) => {
    expect(mongoFailureText(error)).toBe(text);
  });
});
