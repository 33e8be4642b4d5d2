/**
 * The TypeScript snippets of the README and docs/*.md, for test/docs/snippets.test.ts.
 *
 * Every ```ts block is a snippet. By default it must type-check on its own and run. An HTML
 * comment right before the block (invisible on GitHub and the registry) can say otherwise:
 *
 *     <!-- snippet: check-only, because it needs NATS and Redis
 *     import type { NatsConnection } from 'nats';
 *     declare const nc: NatsConnection;
 *     -->
 *
 * - `check-only, because …`: type-checked, not run (the reason is required);
 * - `same-as PATH`: the block is the file PATH (its first line, a comment naming it, aside), which
 *   its own tests type-check and run;
 * - `run` (the default): type-checked and run.
 *
 * The comment's other lines are context: declarations of what the snippet takes from the text
 * around it, put before the snippet (or where a line `/* snippet *\/` stands).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** What the test does with a snippet. */
export type SnippetMode = 'run' | 'check-only' | 'same-as';

/** One ```ts block of a Markdown file. */
export interface Snippet {
  /** The Markdown file, relative to the repository. */
  readonly doc: string;
  /** Its 1-based number among the file's ts blocks. */
  readonly index: number;
  /** The line of the Markdown file where the block's code starts (1-based). */
  readonly line: number;
  readonly code: string;
  readonly mode: SnippetMode;
  /** Why it is not run (`check-only`), or the file it is the same as (`same-as`). */
  readonly note: string | undefined;
  /** Declarations put around the code, from the directive. */
  readonly context: string;
  /** Whether it is a vitest test file (its tests register as tests of the doc-snippet suite). */
  readonly isTestFile: boolean;
}

/** The Markdown files whose snippets are checked. */
export function snippetDocs(): string[] {
  const docs = readdirSync(join(REPO_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

const DIRECTIVE = /^<!-- snippet: ?(.*)$/;

/** Every ```ts snippet of `doc`, with what its directive says. */
export function extractSnippets(doc: string): Snippet[] {
  const lines = readFileSync(join(REPO_ROOT, doc), 'utf8').split('\n');
  const snippets: Snippet[] = [];
  let pending: { mode: SnippetMode; note: string | undefined; context: string[] } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const directive = DIRECTIVE.exec(line);
    if (directive) {
      const context: string[] = [];
      let head = directive[1]!.trim();
      const closesHere = head.endsWith('-->');
      if (closesHere) head = head.slice(0, -3).trim();
      else {
        for (i++; i < lines.length && lines[i]!.trim() !== '-->'; i++) context.push(lines[i]!);
      }
      pending = { ...parseHead(head, doc, i + 1), context };
      continue;
    }
    if (/^```ts\b/.test(line)) {
      const start = i + 1;
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!);
      const code = `${body.join('\n')}\n`;
      snippets.push({
        doc,
        index: snippets.length + 1,
        line: start + 1,
        code,
        mode: pending?.mode ?? 'run',
        note: pending?.note,
        context: pending?.context.join('\n') ?? '',
        isTestFile: /from 'vitest'/.test(code),
      });
      pending = undefined;
      continue;
    }
    // A directive applies to the very next block; only blank lines may stand between.
    if (pending && line.trim() !== '') {
      throw new Error(`${doc}:${i + 1}: a snippet directive must be followed by a ts block`);
    }
  }
  return snippets;
}

function parseHead(
  head: string,
  doc: string,
  line: number,
): { mode: SnippetMode; note: string | undefined } {
  if (head === '' || head === 'run') return { mode: 'run', note: undefined };
  const checkOnly = /^check-only, because (.+)$/.exec(head);
  if (checkOnly) return { mode: 'check-only', note: checkOnly[1] };
  const sameAs = /^same-as (\S+)$/.exec(head);
  if (sameAs) return { mode: 'same-as', note: sameAs[1] };
  throw new Error(
    `${doc}:${line}: unknown snippet directive "${head}" (run, check-only, because …, same-as PATH)`,
  );
}

/** A snippet's code as a module: context, code, and relative imports made absolute. */
export function moduleSource(snippet: Snippet, relativeBase: string | undefined): string {
  const context = snippet.context;
  const code =
    relativeBase === undefined ? snippet.code : absoluteImports(snippet.code, relativeBase);
  const joined = context.includes('/* snippet */')
    ? context.replace('/* snippet */', code)
    : `${context}\n${code}`;
  // `export {}` makes even a fragment a module: top-level await, no clashes between snippets.
  return `${joined}\nexport {};\n`;
}

/** The number of lines put before the snippet's first line in {@link moduleSource}. */
export function linesBefore(snippet: Snippet): number {
  const context = snippet.context;
  const at = context.indexOf('/* snippet */');
  return at === -1 ? context.split('\n').length : context.slice(0, at).split('\n').length - 1;
}

function absoluteImports(code: string, base: string): string {
  return code.replace(/from '\.\/([^']+)'/g, (_, path: string) => `from '${join(base, path)}'`);
}
