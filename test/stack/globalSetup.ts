import type { TestProject } from 'vitest/node';
import { startMongo } from '../../scripts/local/mongoServer.ts';

/** Starts the MongoDB-compatible server once for the test run and hands its URI to every file. */
export default async function setup(project: TestProject) {
  const mongo = await startMongo();
  console.log(`tests use ${mongo.kind} at ${mongo.uri}`);
  project.provide('mongoUri', mongo.uri);
  return () => mongo.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}
