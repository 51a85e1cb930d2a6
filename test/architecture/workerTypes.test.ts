import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** `Env` comes from wrangler.toml: a binding or variable added there and not regenerated fails here. */
it('worker-configuration.d.ts is what `wrangler types` makes of wrangler.toml now', () => {
  const check = spawnSync(process.execPath, [join(root, 'node_modules/wrangler/bin/wrangler.js'), 'types', '--check', '--include-runtime=false', '--strict-vars=false'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
  });
  expect(check.status, `${check.stdout}${check.stderr}\nregenerate with: npm run types`).toBe(0);
});
