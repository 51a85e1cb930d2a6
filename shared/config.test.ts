import { describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';

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

  it('trims a trailing slash from base URLs', () => {
    expect(readConfig(env({ FTS_API_URL: 'http://127.0.0.1:8788/' })).FTS_API_URL).toBe('http://127.0.0.1:8788');
  });
});
