import { describe, expect, it } from 'vitest';
import { redactSecrets } from './respond.ts';

describe('redactSecrets', () => {
  const env = { MONGODB_URI: 'mongodb+srv://app:s3cret-pass@cluster0.example.mongodb.net/?retryWrites=true', ADMIN_TOKEN: 'admin-token-0123456789abcdef', STATUS_TOKEN: 'status-token-0123456789abcdef' };

  it.each([
    { name: 'the whole URI', text: `MongoParseError: bad option in ${env.MONGODB_URI}`, out: 'MongoParseError: bad option in [redacted]' },
    { name: 'the password alone', text: 'auth failed for app:s3cret-pass', out: 'auth failed for app:[redacted]' },
    { name: 'the token', text: `Bearer ${env.ADMIN_TOKEN} refused`, out: 'Bearer [redacted] refused' },
    { name: 'the status token', text: `Bearer ${env.STATUS_TOKEN} refused`, out: 'Bearer [redacted] refused' },
    { name: 'each of several', text: `${env.ADMIN_TOKEN} ${env.ADMIN_TOKEN} s3cret-pass`, out: '[redacted] [redacted] [redacted]' },
    { name: 'nothing secret', text: 'MongoServerSelectionError: connect ECONNREFUSED 127.0.0.1:27017', out: 'MongoServerSelectionError: connect ECONNREFUSED 127.0.0.1:27017' },
  ])('blanks $name', ({ text, out }) => {
    expect(redactSecrets(text, env)).toBe(out);
  });

  it('leaves text alone when the secrets are unset, empty or too short to be told from ordinary text', () => {
    expect(redactSecrets('a b c', {})).toBe('a b c');
    expect(redactSecrets('a b c', { MONGODB_URI: '', ADMIN_TOKEN: 'a' })).toBe('a b c');
    expect(redactSecrets('mongodb://localhost:27017 is down', { MONGODB_URI: 'mongodb://localhost:27017' })).toBe('[redacted] is down');
  });
});
