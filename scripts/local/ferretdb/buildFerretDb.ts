/**
 * Builds the project's FerretDB main (main.go beside this file) once into .cache/, against a copy of
 * FerretDB v1.24.2 with the `_id` lookup patch below. The binary's name carries a hash of everything
 * it is built from, so a changed main or patch builds anew. About 2 minutes cold, seconds with the
 * Go module cache.
 */
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const here = import.meta.dirname;
const cacheDir = resolve(here, '../../../.cache/ferretdb');
const MODULE = 'github.com/FerretDB/FerretDB';

/**
 * FerretDB's SQLite backend looks documents up by `_id` with `_ferretdb_sjson->'$._id'` while its
 * unique `_id` index is on `_ferretdb_sjson->"_id"`; SQLite matches index expressions by their text,
 * so every lookup, update and write-back scanned the whole collection. And it narrowed a query by
 * `_id` only when the filter was `_id: <value>` alone, so a guarded update (`{_id, countStamp}`) or
 * a read of many (`{_id: {$in: [...]}}`) scanned too. Patched: lookups use the index's own
 * expression, and an `_id` equality or `$in` narrows any query (patch/idpushdown.go). Measured in
 * FERRETDB.md.
 */
const ID_COLUMN = { file: 'internal/backends/sqlite/metadata/metadata.go', from: `IDColumn = DefaultColumn + "->'$._id'"`, to: 'IDColumn = DefaultColumn + `->"_id"`' };
/** The query's own `_id` narrowing, replaced by idWhereClause. */
const QUERY_BY_ID = {
  file: 'internal/backends/sqlite/collection.go',
  from: `	if params.Filter.Len() == 1 {
		v, _ := params.Filter.Get("_id")
		switch v.(type) {
		case string, types.ObjectID:
			whereClause = fmt.Sprintf(\` WHERE %s = ?\`, metadata.IDColumn)
			args = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
		}
	}
`,
  to: `	whereClause, args = idWhereClause(params.Filter)
`,
};
const ADDED_FILE = { from: 'patch/idpushdown.go', to: 'internal/backends/sqlite/idpushdown.go' };

/**
 * The embeddable package's Config has no way to turn on FerretDB's SCRAM authentication (the
 * `--test-enable-new-auth` and `--setup-*` flags of its own binary, which does not start: see
 * FERRETDB.md), and a main outside the module cannot import its internal packages: these fields
 * pass them through, so main.go's -user can start a server that wants a password, as Atlas does.
 */
const EMBEDDED = 'ferretdb/ferretdb.go';
const NEW_AUTH = [
  {
    file: EMBEDDED,
    from: '	SQLiteURL string // For example: `file:data/`.\n',
    to: `	SQLiteURL string // For example: \`file:data/\`.

	// Patched by tender-sync: SCRAM authentication, and the user the first start creates.
	EnableNewAuth bool
	SetupDatabase string
	SetupUsername string
	SetupPassword string
`,
  },
  {
    file: EMBEDDED,
    from: '		SQLiteURL: config.SQLiteURL,\n',
    to: `		SQLiteURL: config.SQLiteURL,

		SetupDatabase: config.SetupDatabase,
		SetupUsername: config.SetupUsername,
		SetupPassword: password.WrapPassword(config.SetupPassword),
`,
  },
  { file: EMBEDDED, from: '			BatchSize:               100,\n', to: '			BatchSize:               100,\n			EnableNewAuth:           config.EnableNewAuth,\n' },
  { file: EMBEDDED, from: '	"github.com/FerretDB/FerretDB/internal/util/state"\n', to: '	"github.com/FerretDB/FerretDB/internal/util/password"\n	"github.com/FerretDB/FerretDB/internal/util/state"\n' },
];

export function buildFerretDb(): string {
  const binary = join(cacheDir, `ferretdb-${sourceHash()}`);
  if (existsSync(binary)) return binary;
  const go = goCommand();
  const moduleDir = downloadModule(go);
  const patched = join(cacheDir, 'FerretDB-patched');
  rmSync(patched, { recursive: true, force: true });
  cpSync(moduleDir, patched, { recursive: true });
  makeWritable(patched);
  for (const { file, from, to } of [ID_COLUMN, QUERY_BY_ID, ...NEW_AUTH]) {
    const path = join(patched, file);
    const text = readFileSync(path, 'utf8');
    if (text.split(from).length !== 2) throw new Error(`building FerretDB: the text to patch is not once in ${file}: ${JSON.stringify(from.slice(0, 60))}`);
    writeFileSync(path, text.replace(from, () => to));
  }
  writeFileSync(join(patched, ADDED_FILE.to), readFileSync(join(here, ADDED_FILE.from), 'utf8').replace('//go:build ignore\n', ''));
  // The main's own go.mod, replacing the module by the patched copy (go.sum sits beside a -modfile).
  const modfile = join(cacheDir, 'build.mod');
  writeFileSync(modfile, `${readFileSync(join(here, 'go.mod'), 'utf8')}\nreplace ${MODULE} => ${patched}\n`);
  cpSync(join(here, 'go.sum'), join(cacheDir, 'build.sum'));
  run(go, ['build', `-modfile=${modfile}`, '-o', binary, '.']);
  return binary;
}

function downloadModule(go: string): string {
  const version = readFileSync(join(here, 'go.mod'), 'utf8').match(new RegExp(`${MODULE} (v[\\w.-]+)`))![1];
  const info = JSON.parse(run(go, ['mod', 'download', '-json', `${MODULE}@${version}`])) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`building FerretDB: go mod download: ${info.Error}`);
  return info.Dir;
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const name of ['main.go', 'go.mod', 'go.sum', 'buildFerretDb.ts', ADDED_FILE.from]) hash.update(readFileSync(join(here, name)));
  return hash.digest('hex').slice(0, 12);
}

/** The module cache is read-only; the copy must not be. */
function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) makeWritable(path);
    else chmodSync(path, 0o644);
  }
}

function goCommand(): string {
  return spawnSync('sh', ['-c', 'command -v go'], { stdio: 'ignore' }).status === 0 ? 'go' : '/usr/local/go/bin/go';
}

function run(command: string, args: string[]): string {
  mkdirSync(cacheDir, { recursive: true });
  const result = spawnSync(command, args, { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`building FerretDB failed: ${command} ${args.join(' ')} exited ${result.status}`);
  return result.stdout;
}
