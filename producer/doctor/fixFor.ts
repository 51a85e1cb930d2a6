/**
 * What to change when MongoDB fails the doctor, by the error: one sentence each, matching the table
 * in docs/deploy.md (step 12). Pure, so each error's fix is tested without a server.
 */
import { mongoErrorChain, type MongoErrorChain } from '../../shared/store/mongoErrorChain.ts';
import { isLoginRefused } from '../../shared/store/mongoUnreachable.ts';

/** What the fix depends on beyond the error: the URI's form (never the URI itself) and the database. */
export interface MongoContext {
  srv: boolean;
  /** Whether the client asks for TLS: `mongodb+srv://` does unless told `tls=false`, `mongodb://` only when told `tls=true` (or `ssl=true`). */
  tls: boolean;
  db: string;
}

export function mongoContext(uri: string, db: string): MongoContext {
  const srv = uri.startsWith('mongodb+srv://');
  const said = /[?&](?:tls|ssl)=(true|false)\b/i.exec(uri)?.[1]?.toLowerCase();
  return { srv, tls: said ? said === 'true' : srv, db };
}

export const FIXES = {
  srv: 'the SRV lookup failed inside the Worker: use the seed-list form mongodb://host1,host2,host3/?tls=true&replicaSet=...&authSource=admin (docs/deploy.md, step 7, form A), then wrangler secret put MONGODB_URI.',
  password: 'the user or password in MONGODB_URI is wrong (a password with special characters must be percent-encoded; a seed list needs authSource=admin): wrangler secret put MONGODB_URI.',
  role: (db: string) => `the user lacks readWrite on ${db}: give it readWrite@${db} in Atlas (Database Access), or set MONGODB_DB to the database its role names.`,
  tls: 'the server closed the connection before answering, as Atlas does to a client without TLS: add tls=true to MONGODB_URI (docs/deploy.md, step 7), then wrangler secret put MONGODB_URI.',
  host: 'a host in MONGODB_URI does not resolve: copy the hosts again (docs/deploy.md, step 7), then wrangler secret put MONGODB_URI.',
  accessList: "Atlas refuses the connection: add 0.0.0.0/0 to the project's IP access list (Workers have no fixed egress addresses; docs/deploy.md, step 5), and check the cluster is running.",
  unknown: 'MongoDB failed in a way the doctor does not recognise: read the detail, and docs/deploy.md (step 12) for the usual causes.',
} as const;

/** The first rule that matches gives the fix. */
const RULES: { matches: (seen: MongoErrorChain, context: MongoContext) => boolean; fix: (context: MongoContext) => string }[] = [
  // mongodb+srv:// makes the driver look up _mongodb._tcp.<host> (SRV) and <host> (TXT) through node:dns first.
  { matches: (seen, { srv }) => srv && (/query(Srv|Txt)|_mongodb\._tcp|not implemented|No addresses found at host|ENOTFOUND|ESERVFAIL/i.test(seen.text) || seen.has('ENOTFOUND', 'ESERVFAIL', 'ENODATA')), fix: () => FIXES.srv },
  { matches: (seen) => isLoginRefused(seen), fix: () => FIXES.password },
  { matches: (seen) => seen.has(13) || /not authorized on/i.test(seen.text), fix: ({ db }) => FIXES.role(db) },
  { matches: (seen) => seen.has('ENOTFOUND', 'EAI_AGAIN') || /ENOTFOUND|EAI_AGAIN/.test(seen.text), fix: () => FIXES.host },
  // A TLS-only server reads the driver's first message as a broken handshake and hangs up.
  { matches: (seen, { tls }) => !tls && (seen.has('ECONNRESET') || /connection .*closed|ECONNRESET/i.test(seen.text)), fix: () => FIXES.tls },
  // Not let in: the TCP connection is refused, or closed during the TLS handshake, or server selection waits it out.
  {
    matches: (seen) => seen.has('ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT') || /MongoServerSelectionError|MongoNetwork(Timeout)?Error|Server selection timed out|ECONNREFUSED|ECONNRESET|secure TLS connection|connection .*closed/i.test(seen.text),
    fix: () => FIXES.accessList,
  },
];

export function fixFor(error: unknown, context: MongoContext): string {
  const seen = mongoErrorChain(error);
  return RULES.find((rule) => rule.matches(seen, context))?.fix(context) ?? FIXES.unknown;
}
