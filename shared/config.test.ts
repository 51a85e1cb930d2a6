import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { CONFIG_NAMES, readConfig, variableNames, type ConfigName } from './config.ts';

const env = (vars: Record<string, string>) => ({ MONGODB_URI: 'mongodb://127.0.0.1:27017/', ...vars });

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
      STORE_RAW: 'object',
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
    MONGODB_URI: 'https://admin:hunter2@db.example/',
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
    FETCH_INVOCATION_SECONDS: '1.5',
    FTS_DEFAULT_RETRY_SECONDS: '0',
    CF_BLOCK_PAUSE_SECONDS: 'never',
    FETCH_WINDOWS_IN_FLIGHT: '0',
    STALL_MINUTES: 'soon',
    DELTA_TICK_MINUTES: '7',
    MAX_WINDOW_ATTEMPTS: '-1',
    ADMIN_TOKEN: 'too-short',
    STATUS_TOKEN: 'short-status',
  };
  const SECRETS: ConfigName[] = ['MONGODB_URI', 'ADMIN_TOKEN', 'STATUS_TOKEN'];

  it('has a bad value for every variable', () => {
    expect(Object.keys(BAD).sort()).toEqual([...CONFIG_NAMES].sort());
  });

  it.each(CONFIG_NAMES)('fails naming %s when it is bad, without showing a secret', (name) => {
    const read = () => readConfig(env({ [name]: BAD[name] }));
    expect(read).toThrow(new RegExp(`^bad config: ${name}: `));
    if (SECRETS.includes(name)) expect(read).not.toThrow(BAD[name]);
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
