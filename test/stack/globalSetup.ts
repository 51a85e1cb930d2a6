import type { TestProject } from 'vitest/node';
import { startMongo, type MongoServer } from '../../scripts/local/mongoServer.ts';

/**
 * Starts the MongoDB-compatible server once for the test run and hands its URI to every file of the
 * projects that name this file (test/vitest.config.ts: db, e2e, chaos; never fast). Vitest loads it
 * once per such project, all in its own process: the server is kept on `globalThis` and stopped after
 * the last of them is torn down, so `npm test` starts one server, not three.
 */
interface Shared {
  server: Promise<MongoServer>;
  users: number;
}
const key = Symbol.for('tender-sync.test.mongo');
const store = globalThis as unknown as Record<symbol, Shared | undefined>;

export default async function setup(project: TestProject) {
  let shared = store[key];
  if (!shared) {
    shared = { server: startMongo(), users: 0 };
    store[key] = shared;
    shared.server.then((mongo) => console.log(`tests use ${mongo.kind} at ${mongo.uri}`)).catch(() => {});
  }
  shared.users += 1;
  const mongo = await shared.server;
  project.provide('mongoUri', mongo.uri);
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    store[key] = undefined;
    await mongo.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}
