import { MongoNetworkError, MongoNetworkTimeoutError, MongoServerError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { TransientError } from '../errors.ts';
import { isMongoUnreachable } from './mongoUnreachable.ts';

describe('isMongoUnreachable', () => {
  it.each([
    { name: 'server selection timed out', error: new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017', { servers: new Map() } as never), unreachable: true },
    { name: 'a connection reset under a command', error: new MongoNetworkError('connection 1 to 127.0.0.1:27017 closed'), unreachable: true },
    { name: 'a command timed out on the socket', error: new MongoNetworkTimeoutError('connection timed out'), unreachable: true },
    { name: 'the server refusing a command', error: new MongoServerError({ message: 'E11000 duplicate key', code: 11000 }), unreachable: false },
    { name: 'the client closed by the Worker', error: new MongoTopologyClosedError(), unreachable: false },
    { name: 'an upstream 503', error: new TransientError('HTTP 503'), unreachable: false },
  ])('$name: $unreachable', ({ error, unreachable }) => {
    expect(isMongoUnreachable(error)).toBe(unreachable);
  });
});
