import type { GenericSchema } from 'valibot';

/**
 * Shape repairs applied to one release before it is validated, one named rule per known publishing
 * defect (evidence: ../sources/UPSTREAM.md "Shapes"). Driven by the release schema itself: wherever
 * the schema expects a list, these shapes are read as the list they stand for. Pure: the value
 * given is never changed; a copy is made along the repaired paths only.
 */
export const SHAPE_RULES = {
  /** `{"1": {...}, "2": {...}}` where a list belongs (a 2021 FTS notice's `deliveryAddresses`): the values in key order. */
  keyedByPosition: 'a list published as an object keyed by position',
  /** `{...}` where a list belongs: a list of that one object. */
  singleObject: 'a single object where a list belongs',
  /** `[null, {...}]`: the null items are no items. (A whole list that is `null` is already read as none.) */
  nullItems: 'null items in a list',
} as const;
export type ShapeRule = keyof typeof SHAPE_RULES;

/** One repair made: where, and by which rule. */
export interface ShapeRepair {
  path: string;
  rule: ShapeRule;
}

/** Schema nodes as valibot builds them: only the fields this walk reads. */
interface SchemaNode {
  type: string;
  wrapped?: SchemaNode;
  item?: SchemaNode;
  entries?: Record<string, SchemaNode>;
}

const WRAPPERS = new Set(['nullish', 'optional', 'nullable', 'exact_optional', 'undefinedable']);
const POSITION_KEY = /^\d+$/;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value` read by `schema` with the shape rules; the repairs made are pushed onto `repairs`. */
export function repairShapes(schema: GenericSchema, value: unknown, repairs: ShapeRepair[] = []): unknown {
  return repairNode(schema as unknown as SchemaNode, value, '', repairs);
}

function repairNode(schema: SchemaNode, value: unknown, path: string, repairs: ShapeRepair[]): unknown {
  if (WRAPPERS.has(schema.type) && schema.wrapped) return value == null ? value : repairNode(schema.wrapped, value, path, repairs);
  if (schema.type === 'array' && schema.item) return repairList(schema.item, value, path, repairs);
  if (schema.entries && isPlainObject(value)) return repairEntries(schema.entries, value, path, repairs);
  return value;
}

function repairList(item: SchemaNode, value: unknown, path: string, repairs: ShapeRepair[]): unknown {
  let list: unknown[];
  if (Array.isArray(value)) list = value;
  else if (isPlainObject(value)) {
    const keys = Object.keys(value);
    const byPosition = keys.length > 0 && keys.every((key) => POSITION_KEY.test(key));
    repairs.push({ path, rule: byPosition ? 'keyedByPosition' : 'singleObject' });
    list = byPosition ? keys.sort((a, b) => Number(a) - Number(b)).map((key) => value[key]) : [value];
  } else return value;
  if (list.some((entry) => entry === null)) {
    repairs.push({ path, rule: 'nullItems' });
    list = list.filter((entry) => entry !== null);
  }
  let changed = list !== value;
  const items = list.map((entry, index) => {
    const repaired = repairNode(item, entry, `${path}.${index}`, repairs);
    changed ||= repaired !== entry;
    return repaired;
  });
  return changed ? items : value;
}

function repairEntries(entries: Record<string, SchemaNode>, value: Record<string, unknown>, path: string, repairs: ShapeRepair[]): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const [key, schema] of Object.entries(entries)) {
    if (!Object.hasOwn(value, key)) continue;
    const repaired = repairNode(schema, value[key], path === '' ? key : `${path}.${key}`, repairs);
    if (repaired === value[key]) continue;
    copy ??= { ...value };
    copy[key] = repaired;
  }
  return copy ?? value;
}
