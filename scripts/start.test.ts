import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

describe('npm start checks the Worker variables before it starts anything', () => {
  it('a bad value: exit 2 with the Worker parser’s message, no secret in it, nothing started', () => {
    const result = spawnSync(process.execPath, ['scripts/start.ts'], {
      cwd: root,
      env: { ...process.env, FTS_REQUESTS_PER_MINUTE: 'abc', MONGODB_URI: 'mongodb://tender:s3cret-pw@db.example.net/', CI: 'true' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('bad config: FTS_REQUESTS_PER_MINUTE: Invalid number');
    const output = result.stdout + result.stderr;
    expect(output).not.toMatch(/s3cret|tender:/);
    // It stopped before the local run began (that prints its first line).
    expect(result.stdout).not.toContain('tender-sync local run');
  });
});
