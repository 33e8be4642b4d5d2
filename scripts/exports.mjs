// The public exports of the built package, per entry point, against the record of them in
// api/exports.txt, so that the public API changes only on purpose.
//
// For each entry point of package.json `exports` it lists the names the ESM and the CJS module
// export at run time, and the value and type-only names their declaration files (.d.ts, .d.cts)
// export, as the TypeScript compiler sees them. api/exports.txt holds one line per export: the
// entry point, `value` (exported at run time by both modules and declared as a value by both
// declaration files) or `type` (declared as a type only, absent at run time), and the name.
//
//   node scripts/exports.mjs            compare dist/ with api/exports.txt (after `npm run build`)
//   node scripts/exports.mjs --update   rewrite api/exports.txt from dist/
//
// `npm run check:package` runs the comparison on the packed tarball.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** Where the record of the public exports lives, relative to the repository root. */
export const EXPORTS_FILE = 'api/exports.txt';

/** What to run after an intended change of the public API. */
export const UPDATE_COMMAND = 'npm run build && npm run exports:update';

const HEADER = `# The public exports of confsnap, one line each: entry point, kind, name.
#   value  exported at run time by the ESM and the CJS module, and declared as a value by their
#          declaration files (.d.ts, .d.cts);
#   type   declared as a type only by both declaration files, absent at run time.
# \`npm run check:package\` fails when the built package differs from this file. After an intended
# change of the public API, run \`${UPDATE_COMMAND}\` and commit this file
# with the change.
`;

/** The facts a `value` and a `type` export consist of; see `factsOf`. */
const VALUE_FACTS = ['ESM', 'CJS', 'd.ts value', 'd.cts value'];
const TYPE_FACTS = ['d.ts type', 'd.cts type'];

const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The entry points of a package manifest's `exports` (not `./package.json`), as the specifiers
 * users import (`confsnap`, `confsnap/nats`…), with the files of each condition.
 */
export function entryPointsOf(manifest) {
  return Object.entries(manifest.exports)
    .filter(([subpath]) => subpath !== './package.json')
    .map(([subpath, conditions]) => ({
      specifier: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
      esm: conditions.import.default,
      esmTypes: conditions.import.types,
      cjs: conditions.require.default,
      cjsTypes: conditions.require.types,
    }));
}

/**
 * The value and type-only exports of declaration files, as the TypeScript compiler resolves them
 * (through re-exports and chunk aliases). A class is a value; `export { type X }` is a type even
 * when X is a class. Returns one `{ values, types }` per file, in order.
 */
export function declaredExports(files) {
  const program = ts.createProgram(files, {
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    allowJs: false,
  });
  const checker = program.getTypeChecker();
  return files.map((file) => {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`${file}: no such declaration file`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    const values = [];
    const types = [];
    for (const symbol of moduleSymbol === undefined
      ? []
      : checker.getExportsOfModule(moduleSymbol)) {
      (isValueExport(checker, symbol) ? values : types).push(symbol.name);
    }
    return { values: values.sort(byCodeUnit), types: types.sort(byCodeUnit) };
  });
}

function isValueExport(checker, symbol) {
  let current = symbol;
  while (current.flags & ts.SymbolFlags.Alias) {
    if (current.declarations?.some((node) => ts.isTypeOnlyImportOrExportDeclaration(node))) {
      return false;
    }
    const next = checker.getImmediateAliasedSymbol(current);
    if (next === undefined) return false;
    current = next;
  }
  return (current.flags & ts.SymbolFlags.Value) !== 0;
}

/**
 * What the built package in `packageDir` exports, per entry point: `{ [specifier]: { esm, cjs,
 * dts: { values, types }, dcts: { values, types } } }`. Imports each module, so the package's
 * dependencies must be installed where Node finds them from `packageDir`.
 */
export async function builtExports(packageDir) {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const entries = entryPointsOf(manifest);
  const declared = declaredExports(
    entries.flatMap((entry) => [
      resolve(packageDir, entry.esmTypes),
      resolve(packageDir, entry.cjsTypes),
    ]),
  );
  const require = createRequire(join(packageDir, 'package.json'));
  const built = {};
  for (const [index, entry] of entries.entries()) {
    const esm = await import(pathToFileURL(resolve(packageDir, entry.esm)).href);
    const cjs = require(resolve(packageDir, entry.cjs));
    built[entry.specifier] = {
      esm: Object.keys(esm).sort(byCodeUnit),
      cjs: Object.keys(cjs).sort(byCodeUnit),
      dts: declared[2 * index],
      dcts: declared[2 * index + 1],
    };
  }
  return built;
}

/** For one entry point of `builtExports`: each exported name and the facts that hold of it. */
function factsOf(exports) {
  const facts = new Map();
  const add = (names, fact) => {
    for (const name of names) {
      if (!facts.has(name)) facts.set(name, new Set());
      facts.get(name).add(fact);
    }
  };
  add(exports.esm, 'ESM');
  add(exports.cjs, 'CJS');
  add(exports.dts.values, 'd.ts value');
  add(exports.dts.types, 'd.ts type');
  add(exports.dcts.values, 'd.cts value');
  add(exports.dcts.types, 'd.cts type');
  return facts;
}

function kindOfFacts(facts) {
  return VALUE_FACTS.some((fact) => facts.has(fact)) ? 'value' : 'type';
}

/** The export list (`[{ entry, kind, name }]`, sorted) of what `builtExports` found. */
export function exportListOf(built) {
  const list = [];
  for (const [entry, exports] of Object.entries(built)) {
    for (const [name, facts] of factsOf(exports))
      list.push({ entry, kind: kindOfFacts(facts), name });
  }
  return sortList(list, Object.keys(built));
}

function sortList(list, entryOrder) {
  const rank = (entry) => {
    const at = entryOrder.indexOf(entry);
    return at === -1 ? entryOrder.length : at;
  };
  return [...list].sort(
    (a, b) =>
      rank(a.entry) - rank(b.entry) || byCodeUnit(a.entry, b.entry) || byCodeUnit(a.name, b.name),
  );
}

/** The text of api/exports.txt for an export list. */
export function formatExportList(list) {
  const entryWidth = Math.max(0, ...list.map(({ entry }) => entry.length));
  const lines = list.map(
    ({ entry, kind, name }) => `${entry.padEnd(entryWidth)}  ${kind.padEnd(5)}  ${name}`,
  );
  return `${HEADER}${lines.join('\n')}\n`;
}

/**
 * The export list in the text of api/exports.txt. Throws on a line that is not
 * `<entry point> value|type <name>`, or on a name listed twice for one entry point.
 */
export function parseExportList(text, file = EXPORTS_FILE) {
  const list = [];
  const seen = new Set();
  for (const [index, line] of text.split('\n').entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/\s+/);
    const [entry, kind, name] = fields;
    if (fields.length !== 3 || (kind !== 'value' && kind !== 'type')) {
      throw new Error(
        `${file}:${index + 1}: expected "<entry point> value|type <name>", got ${JSON.stringify(line)}`,
      );
    }
    const key = `${entry} ${name}`;
    if (seen.has(key)) throw new Error(`${file}:${index + 1}: ${entry} ${name} is listed twice`);
    seen.add(key);
    list.push({ entry, kind, name });
  }
  return list;
}

/**
 * How what the package exports (`built`, from `builtExports`) differs from the recorded export
 * list: one line per export that is new (`+`), gone (`-`), or not exported as recorded by every
 * module and declaration file (`!`). Empty when they agree.
 */
export function compareExports(recorded, built, file = EXPORTS_FILE) {
  const differences = [];
  const recordedEntries = [...new Set(recorded.map(({ entry }) => entry))];
  for (const entry of recordedEntries) {
    if (!(entry in built)) {
      differences.push(`- ${entry}: an entry point in ${file} that the package does not have`);
    }
  }
  for (const [entry, exports] of Object.entries(built)) {
    if (!recordedEntries.includes(entry)) {
      differences.push(`+ ${entry}: an entry point of the package that ${file} does not list`);
      continue;
    }
    const actual = factsOf(exports);
    const expected = new Map(
      recorded
        .filter((item) => item.entry === entry)
        .map(({ kind, name }) => [name, new Set(kind === 'value' ? VALUE_FACTS : TYPE_FACTS)]),
    );
    const names = [...new Set([...expected.keys(), ...actual.keys()])].sort(byCodeUnit);
    for (const name of names) {
      const want = expected.get(name);
      const got = actual.get(name) ?? new Set();
      if (want === undefined) {
        differences.push(
          `+ ${entry} ${kindOfFacts(got)} ${name}: exported (${[...got].join(', ')}) but not in ${file}`,
        );
        continue;
      }
      const kind = want.has('ESM') ? 'value' : 'type';
      if (got.size === 0) {
        differences.push(`- ${entry} ${kind} ${name}: in ${file} but no longer exported`);
        continue;
      }
      if (kindOfFacts(got) !== kind) {
        differences.push(
          `! ${entry} ${name}: a ${kind} in ${file}, exported as a ${kindOfFacts(got)} (${[...got].join(', ')})`,
        );
        continue;
      }
      const missing = [...want].filter((fact) => !got.has(fact));
      const extra = [...got].filter((fact) => !want.has(fact));
      if (missing.length === 0 && extra.length === 0) continue;
      const parts = [];
      if (missing.length > 0) parts.push(`missing from ${missing.join(', ')}`);
      if (extra.length > 0) parts.push(`also ${extra.join(', ')}`);
      differences.push(`! ${entry} ${kind} ${name}: ${parts.join('; ')}`);
    }
  }
  return differences;
}

/**
 * Compares the built package in `packageDir` with `recordFile`, or rewrites `recordFile` from it
 * when `update` is set. Returns the differences found (before the update); logs what it did.
 */
export async function checkExports(packageDir, recordFile, { update = false } = {}) {
  const built = await builtExports(packageDir);
  let recorded = [];
  try {
    recorded = parseExportList(readFileSync(recordFile, 'utf8'));
  } catch (error) {
    if (!update || error?.code !== 'ENOENT') throw error;
  }
  const differences = compareExports(recorded, built);
  const count = exportListOf(built).length;
  if (update) {
    writeFileSync(recordFile, formatExportList(exportListOf(built)));
    console.log(
      differences.length === 0
        ? `exports: ${EXPORTS_FILE} already lists the ${count} exports`
        : `exports: ${EXPORTS_FILE} rewritten (${count} exports):\n  ${differences.join('\n  ')}`,
    );
  } else if (differences.length === 0) {
    console.log(`exports: the ${count} exports are those listed in ${EXPORTS_FILE}`);
  }
  return differences;
}

/** The message of a failed comparison. */
export function exportsMismatchMessage(differences) {
  return `the package's exports differ from ${EXPORTS_FILE} (+ new, - gone, ! inconsistent):\n  ${differences.join('\n  ')}\nIf the change is intended, run \`${UPDATE_COMMAND}\` and commit ${EXPORTS_FILE}; otherwise name or drop the export in the entry point's index.ts.`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const update = process.argv.includes('--update');
  try {
    const differences = await checkExports(root, join(root, EXPORTS_FILE), { update });
    if (!update && differences.length > 0) {
      console.error(exportsMismatchMessage(differences));
      process.exitCode = 1;
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
