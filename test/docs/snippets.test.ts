// Every ```ts snippet of the README and docs/*.md is type-checked against the sources, and the
// runnable ones are run: scripts inside a test each, vitest test files as tests of this suite.
// Devices at documentation addresses (192.0.2.0/24) are routed to simulated devices. How a
// snippet says it is not runnable: test/docs/snippets.ts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type * as confsnap from '../../src/index.js';
import type { CollectOptions, Device } from '../../src/index.js';
import {
  startSimulatedDevice,
  type SimulatedDevice,
  type SimulatedVendorId,
} from '../../src/testing/index.js';
import { sampleConfig } from '../fixtures/configs.js';
import {
  REPO_ROOT,
  extractSnippets,
  linesBefore,
  moduleSource,
  snippetDocs,
  type Snippet,
} from './snippets.js';

/** Where relative imports of a doc's snippets point: the example the doc walks through. */
const RELATIVE_IMPORT_BASES: Readonly<Record<string, string>> = {
  'docs/custom-collector.md': join(REPO_ROOT, 'examples', 'custom-collector'),
};
/** The password of every simulated device, and of the environment variables snippets read. */
const DOC_PASSWORD = 'doc-snippet-password';
const PASSWORD_VARIABLES = ['ROUTER_PASSWORD', 'ACME_PASSWORD'];

const snippets = snippetDocs().flatMap((doc) => extractSnippets(doc));
const label = (snippet: Snippet): string =>
  `${snippet.doc} #${snippet.index} (line ${snippet.line})`;

// The snippets as modules inside the repository, so that `confsnap`, `vitest`, `nats`… resolve.
const dir = join(REPO_ROOT, '.doc-snippets');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(snippet: Snippet, variant = ''): string {
  const slug = snippet.doc.replace(/\.md$/, '').replace(/[^\w]+/g, '-');
  return join(dir, `${slug}-${snippet.index}${variant}.ts`);
}

const modules = snippets.filter((snippet) => snippet.mode !== 'same-as');
for (const snippet of modules) {
  writeFileSync(fileOf(snippet), moduleSource(snippet, RELATIVE_IMPORT_BASES[snippet.doc]));
}

describe('the doc snippets', () => {
  it('are found in the README and every guide that has code', () => {
    const docs = new Set(snippets.map((snippet) => snippet.doc));
    for (const doc of [
      'README.md',
      'docs/getting-started.md',
      'docs/custom-collector.md',
      'docs/testing.md',
      'docs/operations.md',
      'docs/wire-format.md',
    ]) {
      expect(docs, doc).toContain(doc);
    }
    expect(snippets.length).toBeGreaterThanOrEqual(20);
  });

  it('type-check against the sources', () => {
    const problems = typeCheck(modules);
    expect(problems, problems.join('\n')).toEqual([]);
  }, 120_000);

  it.each(snippets.filter((snippet) => snippet.mode === 'same-as').map((s) => [label(s), s]))(
    '%s is the example file it names',
    (_, snippet) => {
      const file = readFileSync(join(REPO_ROOT, snippet.note!), 'utf8');
      // The first line of each is a comment naming the file; the rest must match.
      const withoutFirstLine = (text: string): string => text.slice(text.indexOf('\n') + 1);
      expect(withoutFirstLine(snippet.code)).toBe(withoutFirstLine(file));
    },
  );

  it('that are not run say why', () => {
    for (const snippet of snippets.filter((s) => s.mode === 'check-only')) {
      expect(snippet.note, label(snippet)).toMatch(/\w/);
    }
  });
});

/** Type-checks the snippet modules with the project's compiler options; problems as doc:line. */
function typeCheck(selected: readonly Snippet[]): string[] {
  const configPath = join(REPO_ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, REPO_ROOT);
  const byFile = new Map(selected.map((snippet) => [fileOf(snippet), snippet]));
  const program = ts.createProgram([...byFile.keys()], parsed.options);
  const problems: string[] = [];
  for (const [file, snippet] of byFile) {
    const source = program.getSourceFile(file)!;
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    for (const diagnostic of diagnostics) {
      const { line } = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const snippetLine = line - linesBefore(snippet);
      const where =
        snippetLine >= 0
          ? `${snippet.doc}:${snippet.line + snippetLine}`
          : `${snippet.doc} #${snippet.index} (its directive)`;
      problems.push(`${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    }
  }
  return problems;
}

// --- Running ---------------------------------------------------------------------------------

/** Simulated devices standing in for the documentation addresses, one per vendor and version. */
const lab = new Map<string, Promise<SimulatedDevice>>();
afterAll(async () => {
  await Promise.all([...lab.values()].map(async (device) => (await device).close()));
});

function simulatedFor(device: Device): Promise<SimulatedDevice> {
  const key = `${device.vendor}@${device.version ?? ''}`;
  let started = lab.get(key);
  if (!started) {
    started = startSimulatedDevice({
      vendor: device.vendor as SimulatedVendorId,
      config: sampleConfig(device.vendor as SimulatedVendorId),
      ...(device.version === undefined ? {} : { version: device.version }),
      credentials: { username: 'backup', password: DOC_PASSWORD },
    });
    lab.set(key, started);
  }
  return started;
}

const isDocumentationAddress = (host: string): boolean => /^192\.0\.2\.\d+$/.test(host);

/** `collectConfig` with devices at documentation addresses sent to simulated devices. */
vi.mock('confsnap', async (importOriginal) => {
  const real = await importOriginal<typeof confsnap>();
  return {
    ...real,
    collectConfig: async (options: CollectOptions) => {
      if (!isDocumentationAddress(options.device.host)) return real.collectConfig(options);
      const sim = await simulatedFor(options.device);
      return real.collectConfig({
        ...options,
        device: { ...options.device, host: sim.host, port: sim.port },
      });
    },
  };
});

/** Runs a snippet module in a temp directory with the password variables set (or not). */
async function runSnippet(
  file: string,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<{ logged: string[]; errors: string[] }> {
  const cwd = mkdtempSync(join(tmpdir(), 'confsnap-doc-snippet-'));
  const before = process.cwd();
  const saved = Object.fromEntries(PASSWORD_VARIABLES.map((name) => [name, process.env[name]]));
  const logged: string[] = [];
  const errors: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args) => {
    logged.push(args.map(String).join(' '));
  });
  const error = vi.spyOn(console, 'error').mockImplementation((...args) => {
    errors.push(args.map(String).join(' '));
  });
  try {
    for (const name of PASSWORD_VARIABLES) process.env[name] = DOC_PASSWORD;
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    process.chdir(cwd);
    await import(file);
    return { logged, errors };
  } finally {
    process.chdir(before);
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    log.mockRestore();
    error.mockRestore();
    rmSync(cwd, { recursive: true, force: true });
  }
}

const runnable = modules.filter((snippet) => snippet.mode === 'run');
/** What a snippet run here must not reach: servers, or files outside its temp directory. */
const OUTSIDE_THE_TEST = /from 'nats'|from 'ioredis'|nats:\/\/|redis:\/\/|'\/(?:etc|var|srv|opt)\//;

describe('the runnable doc snippets run', () => {
  it.each(runnable.filter((s) => !s.isTestFile).map((s) => [label(s), s]))(
    '%s',
    async (_, snippet) => {
      expect(snippet.code, 'mark it check-only: it reaches outside the test').not.toMatch(
        OUTSIDE_THE_TEST,
      );
      const { errors } = await runSnippet(fileOf(snippet));
      expect(errors, 'a runnable snippet reports no error').toEqual([]);
    },
  );
});

// A snippet that is a vitest test file registers its tests here, at collection.
for (const snippet of runnable.filter((s) => s.isTestFile)) {
  if (OUTSIDE_THE_TEST.test(snippet.code)) {
    throw new Error(`${label(snippet)} reaches outside the test: mark it check-only`);
  }
  describe(label(snippet), async () => {
    await import(fileOf(snippet));
  });
}

describe('docs/getting-started.md, the first snippet', () => {
  const first = snippets.find(
    (s) => s.doc === 'docs/getting-started.md' && s.code.includes('collectConfig('),
  )!;
  afterEach(() => vi.restoreAllMocks());

  it('backs up the device (a simulated RouterOS at its documentation address)', async () => {
    const file = fileOf(first, '-set');
    writeFileSync(file, moduleSource(first, undefined));
    const { logged, errors } = await runSnippet(file);
    expect(errors).toEqual([]);
    expect(logged.join('\n')).toMatch(/^[0-9a-f]{64} \d+ SHA256:/);
  });

  it('stops with a clear message when ROUTER_PASSWORD is unset, before any login', async () => {
    const file = fileOf(first, '-unset');
    writeFileSync(file, moduleSource(first, undefined));
    const sim = await simulatedFor({
      id: 'core-r1',
      host: '192.0.2.1',
      vendor: 'routeros',
      version: '7.16.2',
    });
    const attempts = sim.authAttempts;
    await expect(runSnippet(file, { ROUTER_PASSWORD: undefined })).rejects.toThrow(
      /ROUTER_PASSWORD/,
    );
    expect(sim.authAttempts).toBe(attempts);
  });
});
