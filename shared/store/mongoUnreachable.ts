import { MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { errorText } from '../errors.ts';
import { mongoErrorChain, type MongoErrorChain } from './mongoErrorChain.ts';

/**
 * Why MongoDB cannot take any work at all: it cannot be reached (no server was selected in time:
 * connecting, an election, an access list, a paused cluster; or a connection failed under a
 * command, a pool cleared by one counting, PoolClearedError being a network error), or it refuses
 * the login (a rotated password, a deleted user). Neither is the fault of the work at hand, and
 * neither is mended by trying it again soon: the work waits for MongoDB.
 */
export type MongoAway = 'unreachable' | 'loginRefused';

export function mongoAway(error: unknown): MongoAway | null {
  if (isLoginRefused(mongoErrorChain(error))) return 'loginRefused';
  if (error instanceof MongoServerSelectionError || error instanceof MongoNetworkError) return 'unreachable';
  return null;
}

/** MongoDB cannot be reached, or refuses the login: an outage to wait out (see MongoAway). */
export function isMongoUnreachable(error: unknown): boolean {
  return mongoAway(error) !== null;
}

/**
 * The login refused: AuthenticationFailed (18, what mongod and FerretDB answer a wrong user,
 * password or mechanism), or Atlas's own "bad auth" (AtlasError 8000), wherever the driver keeps it.
 */
export function isLoginRefused(chain: MongoErrorChain): boolean {
  return chain.has(18) || /Authentication failed|bad auth/i.test(chain.text);
}

const AWAY_TEXT: Record<MongoAway, string> = {
  unreachable: 'MongoDB unreachable',
  loginRefused: 'MongoDB refused the login (the user or password in MONGODB_URI)',
};

/** Why MongoDB is away, as a log line or an answer says it; null when the error is not of that kind. */
export function mongoAwayText(error: unknown): string | null {
  const away = mongoAway(error);
  return away && AWAY_TEXT[away];
}

/** A failure as a log line or an answer gives it: why MongoDB is away first, when it is, then the error. */
export function mongoFailureText(error: unknown): string {
  const away = mongoAwayText(error);
  return away ? `${away}: ${errorText(error)}` : errorText(error);
}
