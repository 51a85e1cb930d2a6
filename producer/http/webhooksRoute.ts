import * as v from 'valibot';
import type { Config } from '../../shared/config.ts';
import { UK_REGIONS } from '../../shared/mapping/regions.ts';
import { CHANGE_KINDS } from '../../shared/store/changes.ts';
import { withDb } from '../../shared/store/db.ts';
import { insertWebhook, listWebhooks, newestCursor, publicView } from '../../shared/store/webhooks.ts';
import { BODY_NOT_OBJECT, SourceField } from './adminFields.ts';
import { readBody } from './adminOnly.ts';
import { json } from './respond.ts';

const list = <T extends v.GenericSchema>(item: T) => v.pipe(v.array(item, 'must be a list'), v.minLength(1, 'must name at least one'));
const amount = v.pipe(v.number('must be a number'), v.minValue(0, 'must be 0 or more'));

const FilterBody = v.pipe(
  v.strictObject({
    sources: v.optional(list(SourceField)),
    kinds: v.optional(list(v.picklist(CHANGE_KINDS, `must be one of ${CHANGE_KINDS.join(', ')}`))),
    cpvPrefixes: v.optional(list(v.pipe(v.string('must be a string'), v.regex(/^\d{1,8}$/, 'must be 1 to 8 digits of a CPV code (45, 4523, 45233140)')))),
    regions: v.optional(list(v.picklist(UK_REGIONS, `must be one of ${UK_REGIONS.join(', ')}`))),
    valueMin: v.optional(amount),
    valueMax: v.optional(amount),
  }, 'filter: must be an object of sources, kinds, cpvPrefixes, regions, valueMin, valueMax'),
  v.check((f) => f.valueMin === undefined || f.valueMax === undefined || f.valueMin <= f.valueMax, 'filter: valueMin must not be above valueMax'),
);

const WebhookBody = v.object({
  url: v.pipe(v.string('must be a string'), v.url('must be an http(s) URL'), v.regex(/^https?:\/\//i, 'must be an http(s) URL')),
  secret: v.pipe(v.string('must be a string'), v.minLength(16, 'must be at least 16 characters'), v.maxLength(200, 'must be at most 200 characters')),
  filter: v.optional(FilterBody, {}),
  /** Deliver from this cursor on (0: every change the feed keeps); by default, changes from now on. */
  after: v.optional(v.pipe(v.number('must be a cursor'), v.integer('must be a cursor'), v.minValue(0, 'must be a cursor'))),
}, BODY_NOT_OBJECT);

/**
 * POST /admin/webhooks `{"url", "secret", "filter": {...}, "after"?}`: registers a subscription
 * (docs/webhooks.md) and answers it, without its secret: 201. It is delivered the matching changes
 * after `after`, by default after the feed's newest cursor now.
 */
export async function postWebhook(request: Request, _env: Env, config: Config): Promise<Response> {
  const body = await readBody(request, WebhookBody);
  if (!body.ok) return body.response;
  const { url, secret, filter, after } = body.value;
  const webhook = await withDb(config, async (db) => insertWebhook(db, { _id: `wh-${crypto.randomUUID()}`, url, secret, filter, cursor: after ?? (await newestCursor(db)) }, new Date()));
  return json(201, { webhook: publicView(webhook) });
}

/** GET /admin/webhooks: every subscription, its cursor, deliveries and failures; never a secret. */
export async function getWebhooks(_request: Request, _env: Env, config: Config): Promise<Response> {
  return json(200, { webhooks: await withDb(config, listWebhooks) });
}
