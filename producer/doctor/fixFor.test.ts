import { MongoAPIError, MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { FIXES, fixFor } from './fixFor.ts';

/** A Node error as node:dns and node:net raise them: a message and a string code. */
const nodeError = (message: string, code: string) => Object.assign(new Error(message), { code });
/** Server selection gave up; `serverError` is why the one server was not usable, where the driver keeps it. */
const selection = (message: string, serverError?: Error) =>
  new MongoServerSelectionError(message, { servers: new Map(serverError ? [['ac-1.abcde.mongodb.net:27017', { error: serverError }]] : []) } as never);
const serverError = (code: number, errmsg: string) => new MongoServerError({ ok: 0, code, errmsg });

const srv = { srv: true, db: 'tendhunt' };
const seedList = { srv: false, db: 'tendhunt' };

describe('fixFor: what to change, by the error MongoDB gave the doctor', () => {
  it.each([
    { name: 'the SRV lookup not found', error: nodeError('querySrv ENOTFOUND _mongodb._tcp.cluster0.abcde.mongodb.net', 'ENOTFOUND'), context: srv, fix: FIXES.srv },
    { name: 'the TXT lookup failing', error: nodeError('queryTxt ESERVFAIL cluster0.abcde.mongodb.net', 'ESERVFAIL'), context: srv, fix: FIXES.srv },
    { name: 'node:dns resolve not implemented in the runtime', error: new Error('dns.resolveSrv is not implemented'), context: srv, fix: FIXES.srv },
    { name: 'an SRV record with no hosts', error: new MongoAPIError('No addresses found at host'), context: srv, fix: FIXES.srv },
    { name: 'ENOTFOUND on an SRV URI, wrapped', error: selection('getaddrinfo ENOTFOUND ac-1.abcde.mongodb.net', nodeError('getaddrinfo ENOTFOUND ac-1.abcde.mongodb.net', 'ENOTFOUND')), context: srv, fix: FIXES.srv },
    { name: 'a connection refused', error: selection('connect ECONNREFUSED 127.0.0.1:27017', new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017')), context: seedList, fix: FIXES.accessList },
    { name: 'server selection waiting it out', error: selection('Server selection timed out after 20000 ms'), context: srv, fix: FIXES.accessList },
    { name: 'the connection closed during TLS', error: new MongoNetworkError('Client network socket disconnected before secure TLS connection was established'), context: seedList, fix: FIXES.accessList },
    { name: 'a wrong password (code 18)', error: serverError(18, 'Authentication failed.'), context: srv, fix: FIXES.password },
    { name: 'Atlas’s bad auth, inside a selection error', error: selection('bad auth : authentication failed', serverError(8000, 'bad auth : authentication failed')), context: seedList, fix: FIXES.password },
    { name: 'a role without readWrite (code 13)', error: serverError(13, 'not authorized on tendhunt to execute command { insert: "syncJobs" }'), context: seedList, fix: FIXES.role('tendhunt') },
    { name: 'a seed-list host that does not resolve', error: selection('getaddrinfo ENOTFOUND ac-1.abcde.mongodb.net', nodeError('getaddrinfo ENOTFOUND ac-1.abcde.mongodb.net', 'ENOTFOUND')), context: seedList, fix: FIXES.host },
    { name: 'anything else', error: serverError(2, 'BadValue'), context: seedList, fix: FIXES.unknown },
    { name: 'not even an Error', error: 'boom', context: seedList, fix: FIXES.unknown },
  ])('$name', ({ error, context, fix }) => {
    expect(fixFor(error, context)).toBe(fix);
  });

  it('names the database whose role is missing', () => {
    expect(fixFor(serverError(13, 'not authorized'), { srv: false, db: 'tenders_prod' })).toBe('the user lacks readWrite on tenders_prod: give it readWrite@tenders_prod in Atlas (Database Access), or set MONGODB_DB to the database its role names.');
  });

  it('gives each fix as one sentence', () => {
    for (const fix of [FIXES.srv, FIXES.password, FIXES.role('tendhunt'), FIXES.host, FIXES.accessList, FIXES.unknown]) expect(fix).toMatch(/^[^\n]+\.$/);
  });
});
