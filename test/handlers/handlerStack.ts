import type { Db } from 'mongodb';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { ConfigName } from '../../shared/config.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import type { RateLimit } from '../simulator/rateLimiter.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/server.ts';
import { openTestDb } from '../stack/testDb.ts';
import { fakeEnv, type FakeEnv } from './fakeEnv.ts';

/** A limit the handlers never reach, and a budget to match, unless a test sets its own. */
const GENEROUS: RateLimit = { requests: 100_000, periodMs: 60_000 };
const GENEROUS_BUDGET = '6000';

export interface HandlerStackOptions {
  /** Prefix of the test database's name (test/stack/testDb.ts). */
  prefix: string;
  /** Start the upstream simulator on this dataset; every source's URL points at it. `rateLimit`: the same for every source. */
  upstream?: Pick<SimulatorOptions, 'dataset' | 'pauseAfterRefusalMs'> & { rateLimit?: RateLimit };
  /** The Worker's variables beyond the database (and the simulator's URLs and generous budgets). */
  vars?: Partial<Record<ConfigName, string>>;
  /**
   * What each test gets anew: `database` a database of its own (dropped after it), a fresh env and a
   * clean simulator log, for tests that must not see one another's windows; `env` only fresh fakes
   * (queues, gates) on the file's database. Unset: one database and one env for the whole file.
   */
  perTest?: 'database' | 'env';
}

export interface HandlerStack {
  simulator: Simulator;
  testDb: Awaited<ReturnType<typeof openTestDb>>;
  db: Db;
  env: FakeEnv;
}

/**
 * The setup every handler test shares: registers the vitest hooks that start the simulator (if
 * asked), open a test database with its indexes and build a fake env on them, and close it all.
 * The returned object's fields are filled by those hooks: read them inside tests and hooks only.
 */
export function handlerStack(options: HandlerStackOptions): HandlerStack {
  const stack = {} as HandlerStack;
  const { upstream, perTest } = options;

  const openDb = async () => {
    stack.testDb = await openTestDb(options.prefix);
    stack.db = stack.testDb.db;
    await ensureIndexes(stack.db);
  };
  const buildEnv = () => {
    const toUpstream = upstream && {
      FTS_API_URL: stack.simulator.url,
      CF_API_URL: stack.simulator.url,
      PCS_API_URL: stack.simulator.url,
      FTS_REQUESTS_PER_MINUTE: GENEROUS_BUDGET,
      CF_REQUESTS_PER_MINUTE: GENEROUS_BUDGET,
      PCS_REQUESTS_PER_MINUTE: GENEROUS_BUDGET,
    };
    stack.env = fakeEnv({ ...toUpstream, ...options.vars, MONGODB_URI: stack.testDb.uri, MONGODB_DB: stack.testDb.name });
  };

  beforeAll(async () => {
    if (upstream) {
      const limit = upstream.rateLimit ?? GENEROUS;
      stack.simulator = await startSimulator({ ...upstream, rateLimit: { FIND_A_TENDER: limit, CONTRACTS_FINDER: limit, PUBLIC_CONTRACTS_SCOTLAND: limit } });
    }
    if (perTest === 'database') return;
    await openDb();
    if (!perTest) buildEnv();
  });
  afterAll(async () => {
    await stack.simulator?.close();
    if (perTest !== 'database') await stack.testDb?.close();
  });

  if (perTest === 'database') {
    beforeEach(async () => {
      await openDb();
      buildEnv();
      stack.simulator?.resetLog();
    });
    afterEach(() => stack.testDb.close());
  }
  if (perTest === 'env') beforeEach(buildEnv);
  return stack;
}
