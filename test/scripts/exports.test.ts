// The export list that `npm run check:package` holds the package to (scripts/exports.mjs), and the
// public surface it records (api/exports.txt).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EXPORTS_FILE,
  builtExports,
  compareExports,
  declaredExports,
  entryPointsOf,
  exportListOf,
  formatExportList,
  parseExportList,
  type BuiltExports,
  type ExportRecord,
} from '../../scripts/exports.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A package with one entry point: `Widget` (a class), `makeWidget`, and the type `WidgetOptions`. */
const BUILT: BuiltExports = {
  widgets: {
    esm: ['Widget', 'makeWidget'],
    cjs: ['Widget', 'makeWidget'],
    dts: { values: ['Widget', 'makeWidget'], types: ['WidgetOptions'] },
    dcts: { values: ['Widget', 'makeWidget'], types: ['WidgetOptions'] },
  },
};
const RECORDED: ExportRecord[] = [
  { entry: 'widgets', kind: 'value', name: 'Widget' },
  { entry: 'widgets', kind: 'type', name: 'WidgetOptions' },
  { entry: 'widgets', kind: 'value', name: 'makeWidget' },
];

/** `BUILT` with its one entry point changed by `change`. */
function built(change: (exports: BuiltExports[string]) => BuiltExports[string]): BuiltExports {
  return { widgets: change(BUILT.widgets!) };
}
const plus = (names: readonly string[], name: string): string[] => [...names, name].sort();
const minus = (names: readonly string[], name: string): string[] => names.filter((n) => n !== name);

describe('compareExports', () => {
  it('finds no difference when the package exports what the list records', () => {
    expect(compareExports(RECORDED, BUILT)).toEqual([]);
  });

  it('reports a run-time export the list does not record', () => {
    const added = built((e) => ({
      esm: plus(e.esm, 'isWidgetName'),
      cjs: plus(e.cjs, 'isWidgetName'),
      dts: { ...e.dts, values: plus(e.dts.values, 'isWidgetName') },
      dcts: { ...e.dcts, values: plus(e.dcts.values, 'isWidgetName') },
    }));
    expect(compareExports(RECORDED, added)).toEqual([
      `+ widgets value isWidgetName: exported (ESM, CJS, d.ts value, d.cts value) but not in ${EXPORTS_FILE}`,
    ]);
  });

  it('reports a type export the list does not record', () => {
    const added = built((e) => ({
      ...e,
      dts: { ...e.dts, types: plus(e.dts.types, 'WidgetColor') },
      dcts: { ...e.dcts, types: plus(e.dcts.types, 'WidgetColor') },
    }));
    expect(compareExports(RECORDED, added)).toEqual([
      `+ widgets type WidgetColor: exported (d.ts type, d.cts type) but not in ${EXPORTS_FILE}`,
    ]);
  });

  it('reports a recorded export the package no longer has', () => {
    const removed = built((e) => ({
      esm: minus(e.esm, 'makeWidget'),
      cjs: minus(e.cjs, 'makeWidget'),
      dts: { ...e.dts, values: minus(e.dts.values, 'makeWidget') },
      dcts: { ...e.dcts, values: minus(e.dcts.values, 'makeWidget') },
    }));
    expect(compareExports(RECORDED, removed)).toEqual([
      `- widgets value makeWidget: in ${EXPORTS_FILE} but no longer exported`,
    ]);
  });

  it('reports a value the CJS module lacks although the ESM module has it', () => {
    const esmOnly = built((e) => ({ ...e, cjs: minus(e.cjs, 'makeWidget') }));
    expect(compareExports(RECORDED, esmOnly)).toEqual([
      '! widgets value makeWidget: missing from CJS',
    ]);
  });

  it('reports a value that turned into a type-only export', () => {
    const typeOnly = built((e) => ({
      esm: minus(e.esm, 'Widget'),
      cjs: minus(e.cjs, 'Widget'),
      dts: { values: minus(e.dts.values, 'Widget'), types: plus(e.dts.types, 'Widget') },
      dcts: { values: minus(e.dcts.values, 'Widget'), types: plus(e.dcts.types, 'Widget') },
    }));
    expect(compareExports(RECORDED, typeOnly)).toEqual([
      `! widgets Widget: a value in ${EXPORTS_FILE}, exported as a type (d.ts type, d.cts type)`,
    ]);
  });

  it('reports an entry point that is new and one that is gone', () => {
    const renamed: BuiltExports = { 'widgets/next': BUILT.widgets! };
    expect(compareExports(RECORDED, renamed)).toEqual([
      `- widgets: an entry point in ${EXPORTS_FILE} that the package does not have`,
      `+ widgets/next: an entry point of the package that ${EXPORTS_FILE} does not list`,
    ]);
  });
});

describe('the export list file', () => {
  it('reads back what it writes, sorted by entry point and name (by code unit)', () => {
    const text = formatExportList(exportListOf(BUILT));
    expect(parseExportList(text)).toEqual(RECORDED);
    expect(text).toContain('widgets  type   WidgetOptions\n');
  });

  it('rejects a line that is not "<entry point> value|type <name>"', () => {
    expect(() => parseExportList('widgets value Widget\nwidgets function makeWidget\n')).toThrow(
      `${EXPORTS_FILE}:2: expected "<entry point> value|type <name>"`,
    );
  });

  it('rejects a name listed twice for one entry point', () => {
    expect(() => parseExportList('widgets value Widget\nwidgets type Widget\n')).toThrow(
      `${EXPORTS_FILE}:2: widgets Widget is listed twice`,
    );
  });
});

describe('builtExports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'confsnap-exports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the run-time names of both modules and the declared names, chunk aliases resolved', async () => {
    const files: Record<string, string> = {
      'package.json': JSON.stringify({
        name: 'widgets',
        type: 'module',
        exports: {
          '.': {
            import: { types: './index.d.ts', default: './index.js' },
            require: { types: './index.d.cts', default: './index.cjs' },
          },
          './package.json': './package.json',
        },
      }),
      'index.js': 'export class Widget {}\nexport const makeWidget = () => new Widget();\n',
      'index.cjs':
        'class Widget {}\nmodule.exports = { Widget, makeWidget: () => new Widget() };\n',
      // As tsup writes them: declarations in a chunk, re-exported under their names.
      'chunk.d.ts': [
        'declare class Widget {}',
        'interface WidgetOptions { readonly size: number }',
        'declare function makeWidget(options?: WidgetOptions): Widget;',
        'declare class Gadget {}',
        'export { Widget as W, WidgetOptions as a, makeWidget as m, Gadget as G };',
        '',
      ].join('\n'),
      'index.d.ts':
        "import { G as Gadget } from './chunk.js';\nexport { W as Widget, a as WidgetOptions, m as makeWidget } from './chunk.js';\nexport { type Gadget };\n",
      'index.d.cts':
        "export { W as Widget, a as WidgetOptions, m as makeWidget } from './chunk.js';\n",
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);

    const exports = await builtExports(dir);

    expect(exports).toEqual({
      widgets: {
        esm: ['Widget', 'makeWidget'],
        cjs: ['Widget', 'makeWidget'],
        // `export { type Gadget }` is type-only although Gadget is a class.
        dts: { values: ['Widget', 'makeWidget'], types: ['Gadget', 'WidgetOptions'] },
        dcts: { values: ['Widget', 'makeWidget'], types: ['WidgetOptions'] },
      },
    });
    expect(compareExports(RECORDED, exports)).toEqual([
      `+ widgets type Gadget: exported (d.ts type) but not in ${EXPORTS_FILE}`,
    ]);
  });
});

describe(`confsnap's public surface (${EXPORTS_FILE})`, () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as unknown;
  const entries = entryPointsOf(manifest);
  const recorded = parseExportList(readFileSync(join(ROOT, EXPORTS_FILE), 'utf8'));

  it('lists every entry point of package.json and no other', () => {
    expect(entries.map((entry) => entry.specifier)).toEqual([
      'confsnap',
      'confsnap/hooks',
      'confsnap/nats',
      'confsnap/prometheus',
      'confsnap/redis',
      'confsnap/testing',
    ]);
    expect([...new Set(recorded.map((record) => record.entry))]).toEqual(
      entries.map((entry) => entry.specifier),
    );
  });

  it('is what the sources of the entry points export', () => {
    // The sources of dist/x/index.js are src/x/index.ts; check:package holds the build to the same list.
    const sources = entries.map((entry) =>
      join(ROOT, entry.esm.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')),
    );
    const declared = declaredExports(sources);
    const fromSources = entries.flatMap((entry, index) => {
      const { values, types } = declared[index]!;
      return [
        ...values.map((name) => ({ entry: entry.specifier, kind: 'value' as const, name })),
        ...types.map((name) => ({ entry: entry.specifier, kind: 'type' as const, name })),
      ];
    });
    const key = (record: ExportRecord): string => `${record.entry} ${record.kind} ${record.name}`;
    expect(fromSources.map(key).sort()).toEqual(recorded.map(key).sort());
  }, 60_000);

  it('keeps internal helpers out', () => {
    const names = new Set(recorded.map((record) => record.name));
    for (const internal of ['isSubjectToken', 'isUpdaterPinning', 'uniformJitter', 'abortReason']) {
      expect(names, internal).not.toContain(internal);
    }
  });

  it('is named export by export in every barrel (no `export *`)', () => {
    const barrels = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((path) => path === 'index.ts' || path.endsWith('/index.ts'))
      .map((path) => join(ROOT, 'src', path));
    expect(barrels.length).toBeGreaterThanOrEqual(10);
    const wholesale = barrels.filter((file) =>
      /^\s*export\s+(type\s+)?\*/m.test(readFileSync(file, 'utf8')),
    );
    expect(wholesale.map((file) => relative(ROOT, file))).toEqual([]);
  });
});
