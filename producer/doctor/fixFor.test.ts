import { MongoAPIError, MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { FIXES, fixFor, mongoContext } from './fixFor.ts';

/** A Node error as node:dns and node:net raise them: a message and a string code. */
const nodeError = (message: string, code: string) => Object.assign(new Error(message), { code });
/** Server selection gave up; `serverError` is why the one server was not usable, where the driver keeps it. */
const selection = (message: string, serverError?: Error) =>
  new MongoServerSelectionError(message, { servers: new Map(serverError ? [['ac-1.abcde.mongodb.net:27017', { error: serverError }]] : []) } as never);
const serverError = (code: number, errmsg: string) => new MongoServerError({ ok: 0, code, errmsg });

const srv = { srv: true, tls: true, db: 'tendhunt' };
const seedList = { srv: false, tls: true, db: 'tendhunt' };
const withoutTls = { srv: false, tls: false, db: 'tendhunt' };

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
    // As the driver says it inside workerd and in Node, measured against a TLS-only FerretDB (test/e2e/atlasPath.test.ts).
    { name: 'a TLS-only server hanging up on a URI without tls=true', error: selection('connection <monitor> to localhost:41355 closed', new MongoNetworkError('connection <monitor> to localhost:41355 closed')), context: withoutTls, fix: FIXES.tls },
    { name: 'the same hang-up when the URI asks for TLS: not let in', error: selection('connection <monitor> to localhost:41355 closed'), context: seedList, fix: FIXES.accessList },
    // workerd gives the Worker one text for a refused connection and a certificate it does not trust.
    { name: "workerd's socket failing to connect", error: selection('proxy request failed, cannot connect to the specified address'), context: seedList, fix: FIXES.accessList },
    { name: 'the SRV lookup failing inside workerd (its DNS-over-HTTPS fetch)', error: nodeError('querySRV EBADQUERY _mongodb._tcp.cluster0.tender-sync.invalid', 'EBADQUERY'), context: srv, fix: FIXES.srv },
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
    expect(fixFor(serverError(13, 'not authorized'), { srv: false, tls: true, db: 'tenders_prod' })).toBe('the user lacks readWrite on tenders_prod: give it readWrite@tenders_prod in Atlas (Database Access), or set MONGODB_DB to the database its role names.');
  });

  it('gives each fix as one sentence', () => {
    for (const fix of [FIXES.srv, FIXES.password, FIXES.role('tendhunt'), FIXES.tls, FIXES.host, FIXES.accessList, FIXES.unknown]) expect(fix).toMatch(/^[^\n]+\.$/);
  });
});

describe('mongoContext: the URI\'s form, as the driver reads it', () => {
  it.each([
    { uri: 'mongodb+srv://app:pw@cluster0.abcde.mongodb.net/?retryWrites=true', srv: true, tls: true },
    { uri: 'mongodb+srv://app:pw@cluster0.abcde.mongodb.net/?tls=false', srv: true, tls: false },
    { uri: 'mongodb://h1:27017,h2:27017/?tls=true&replicaSet=atlas-x&authSource=admin', srv: false, tls: true },
    { uri: 'mongodb://h1:27017/?ssl=TRUE', srv: false, tls: true },
    { uri: 'mongodb://127.0.0.1:27017/', srv: false, tls: false },
  ])('$uri', ({ uri, srv, tls }) => {
    expect(mongoContext(uri, 'tendhunt')).toEqual({ srv, tls, db: 'tendhunt' });
  });
});
