import { MongoNetworkError, MongoServerSelectionError } from 'mongodb';

/**
 * MongoDB could not be reached: no server was selected in time (connecting, an election, an access
 * list, a paused cluster) or a connection failed under a command (a pool cleared by one counts,
 * PoolClearedError being a network error). An outage to wait out, not the fault of the work at hand.
 */
export function isMongoUnreachable(error: unknown): boolean {
  return error instanceof MongoServerSelectionError || error instanceof MongoNetworkError;
}
