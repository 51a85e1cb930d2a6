import { describe, expect, it, vi } from 'vitest';
import * as v from 'valibot';
import { CONFIG_NAMES, readAdminToken, readConfig, variableNames, type ConfigName } from './config.ts';

const env = (vars: Record<string, string>) => ({ MONGODB_URI: 'mongodb://127.0.0.1:27017/', ...vars });

/** Secrets spelled so that no part of them appears in a message by chance. */
const DB_USER = 'tender-ops';
const DB_PASSWORD = 'hunter2-Qx7';
const GOOD_SECRETS = { MONGODB_URI: `mongodb+srv://${DB_USER}:${DB_PASSWORD}@db.example/`, ADMIN_TOKEN: 'g00d-t0ken-Zk42-Wm9' };

/** What must not be shown of a secret: the whole value, a URI's user, and no five characters in a row of a password or token. */
function secretParts(value: string): string[] {
  const runs = (text: string) => Array.from({ length: Math.max(text.length - 4, 0) }, (_, i) => text.slice(i, i + 5));
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url) return [value, ...runs(value)];
  return [value, decodeURIComponent(url.username), ...runs(decodeURIComponent(url.password))].filter((part) => part !== '');
}

/** Everything `read` shows: the message and stack of what it throws, and whatever it writes to the console. */
function shownBy(read: () => unknown): string {
  const said: unknown[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) => vi.spyOn(console, method).mockImplementation((...args) => void said.push(...args)));
  try {
    read();
    return said.map(String).join('\n');
  } catch (error) {
    const e = error as Error;
    return [e.message, e.stack, String(e.cause), ...said.map(String)].join('\n');
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

function expectNoSecret(shown: string, secrets: string[]) {
  for (const part of secrets.flatMap(secretParts)) expect(shown.includes(part), `"${part}" shown in:\n${shown}`).toBe(false);
}

describe('readConfig', () => {
  it('fills every default', () => {
    expect(readConfig(env({}))).toMatchObject({
      FTS_API_URL: 'https://www.find-tender.service.gov.uk',
      CF_API_URL: 'https://www.contractsfinder.service.gov.uk',
      MONGODB_DB: 'tendhunt',
      FTS_REQUESTS_PER_MINUTE: 6,
      CF_REQUESTS_PER_MINUTE: 6,
      FTS_START_DATE: new Date('2021-01-01T00:00:00Z'),
      CF_START_DATE: new Date('2016-11-01T00:00:00Z'),
      FTS_DEFAULT_RETRY_SECONDS: 30,
      CF_BLOCK_PAUSE_SECONDS: 300,
      PCS_ENABLED: true,
      PCS_API_URL: 'https://api.publiccontractsscotland.gov.uk',
      PCS_REQUESTS_PER_MINUTE: 6,
      PCS_RECONCILE_PER_HOUR: 12,
      UPSTREAM_PROBE_SECONDS: 15,
      UPSTREAM_PROBE_MAX_SECONDS: 120,
      STORE_RAW: 'object',
      QUERY_INDEXES: 'on',
      CHANGES_RETENTION_DAYS: 30,
      RECONCILE: 2,
      RECONCILE_RECORDS: 10,
    });
  });

  it('fails naming each bad variable', () => {
    expect(() => readConfig(env({ FTS_REQUESTS_PER_MINUTE: 'fast', STORE_RAW: 'zip', CF_API_URL: 'nowhere' }))).toThrow(
      /FTS_REQUESTS_PER_MINUTE.*CF_API_URL|CF_API_URL.*FTS_REQUESTS_PER_MINUTE/,
    );
    expect(() => readConfig(env({ STORE_RAW: 'zip' }))).toThrow(/STORE_RAW/);
    expect(() => readConfig({})).toThrow(/MONGODB_URI/);
  });

  /** One bad value per variable: typed over every name, so a variable added without one fails to compile (and below, to run). */
  const BAD: Record<ConfigName, string> = {
    FTS_API_URL: 'find-tender',
    CF_API_URL: 'not a url',
    MONGODB_URI: `https://${DB_USER}:${DB_PASSWORD}@db.example/`,
    MONGODB_DB: 'tender.sync',
    MONGODB_TIMEOUT_MS: '0',
    FTS_REQUESTS_PER_MINUTE: 'fast',
    CF_REQUESTS_PER_MINUTE: '-6',
    FTS_START_DATE: '2021-13-01',
    CF_START_DATE: 'yesterday',
    STORE_RAW: 'zip',
    WRITE_CHUNK_SIZE: '1001',
    PAGE_LIMIT: '101',
    FETCH_TIMEOUT_MS: '30s',
    UPSTREAM_PROBE_SECONDS: '0',
    UPSTREAM_PROBE_MAX_SECONDS: 'often',
    FETCH_INVOCATION_SECONDS: '1.5',
    FTS_DEFAULT_RETRY_SECONDS: '0',
    CF_BLOCK_PAUSE_SECONDS: 'never',
    PCS_ENABLED: 'yes',
    PCS_API_URL: 'scotland',
    PCS_REQUESTS_PER_MINUTE: '0',
    PCS_START_DATE: '2019',
    PCS_NOTICE_TYPES: '105',
    PCS_RECONCILE_PER_HOUR: '0.2',
    PCS_BLOCK_PAUSE_SECONDS: '-1',
    FETCH_WINDOWS_IN_FLIGHT: '0',
    STALL_MINUTES: 'soon',
    DELTA_TICK_MINUTES: '7',
    MAX_WINDOW_ATTEMPTS: '-1',
    QUERY_INDEXES: 'yes',
    CHANGES_RETENTION_DAYS: '0',
    RECONCILE: 'no',
    RECONCILE_RECORDS: 'all',
    ADMIN_TOKEN: 's3cr3t-t0k3n',
    STATUS_TOKEN: 'st4tu5-t0k3n',
  };
  const SECRETS: ConfigName[] = ['MONGODB_URI', 'ADMIN_TOKEN', 'STATUS_TOKEN'];

  it('has a bad value for every variable', () => {
    expect(Object.keys(BAD).sort()).toEqual([...CONFIG_NAMES].sort());
  });

  it.each(CONFIG_NAMES)('fails naming %s when it is bad, without showing any part of a secret', (name) => {
    const read = () => readConfig(env({ ...GOOD_SECRETS, [name]: BAD[name] }));
    expect(read).toThrow(new RegExp(`^bad config: ${name}: `));
    expectNoSecret(shownBy(read), [...Object.values(GOOD_SECRETS), ...(SECRETS.includes(name) ? [BAD[name]] : [])]);
  });

  it('shows no part of a secret when every other variable is bad', () => {
    const others = Object.fromEntries(CONFIG_NAMES.filter((name) => !SECRETS.includes(name)).map((name) => [name, BAD[name]]));
    const shown = shownBy(() => readConfig(env({ ...others, ...GOOD_SECRETS })));
    expect(shown).toMatch(/^bad config: /);
    expectNoSecret(shown, Object.values(GOOD_SECRETS));
  });

  it('takes good secrets without a word', () => {
    expect(shownBy(() => readConfig(env(GOOD_SECRETS)))).toBe('');
  });

  it('takes QUERY_INDEXES on or off', () => {
    expect([readConfig(env({ QUERY_INDEXES: 'on' })).QUERY_INDEXES, readConfig(env({ QUERY_INDEXES: 'off' })).QUERY_INDEXES]).toEqual(['on', 'off']);
    expect(() => readConfig(env({ QUERY_INDEXES: 'OFF' }))).toThrow(/^bad config: QUERY_INDEXES: /);
  });

  it('takes RECONCILE off (0) or a pace in requests a minute', () => {
    expect([readConfig(env({ RECONCILE: 'off' })).RECONCILE, readConfig(env({ RECONCILE: '5' })).RECONCILE]).toEqual([0, 5]);
    for (const bad of ['0', 'on', '2.5', '10000']) expect(() => readConfig(env({ RECONCILE: bad }))).toThrow(/^bad config: RECONCILE: /);
  });

  it('trims a trailing slash from base URLs', () => {
    expect(readConfig(env({ FTS_API_URL: 'http://127.0.0.1:8788/' })).FTS_API_URL).toBe('http://127.0.0.1:8788');
  });

  it('refuses a variable declared twice (two sources, or a source and the shared ones)', () => {
    const a = v.object({ A_API_URL: v.string(), PAGE_LIMIT: v.string() });
    const b = v.object({ B_API_URL: v.string() });
    expect(variableNames([a, b])).toEqual(['A_API_URL', 'PAGE_LIMIT', 'B_API_URL']);
    expect(() => variableNames([a, b, v.object({ B_API_URL: v.string() })])).toThrow('config variable B_API_URL is declared twice');
  });
});

describe('readAdminToken', () => {
  it('reads ADMIN_TOKEN by its own check while another variable is bad (the doctor opens with it)', () => {
    const bad = env({ ...GOOD_SECRETS, FTS_REQUESTS_PER_MINUTE: 'abc' });
    expect(() => readConfig(bad)).toThrow('bad config: FTS_REQUESTS_PER_MINUTE');
    expect(readAdminToken(bad)).toBe(GOOD_SECRETS.ADMIN_TOKEN);
  });

  it('is undefined when ADMIN_TOKEN is unset, empty or too short: the admin endpoints stay closed', () => {
    expect([readAdminToken(env({})), readAdminToken(env({ ADMIN_TOKEN: '' })), readAdminToken(env({ ADMIN_TOKEN: 'short-token' }))]).toEqual([undefined, undefined, undefined]);
  });
});
