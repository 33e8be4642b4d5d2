import { pathToFileURL } from 'node:url';
import {
  createCollectorRegistry,
  type CollectorRegistry,
  type ConfigCollector,
} from '../../index.js';

/** A custom collector module that cannot be used: `file` is the module as shown to the user. */
export interface CollectorFileProblem {
  readonly file: string;
  readonly message: string;
}

/**
 * The built-in collectors and those of `files` (absolute paths of ES modules whose default export
 * is a `defineCollector` result), loaded in order. Every file is tried; each one that cannot be
 * imported, exports no collector, or declares the vendor id of an earlier file is a problem naming
 * it. A collector with a built-in vendor id replaces the built-in one.
 *
 * @example
 * ```ts
 * const { collectors, problems } = await loadCollectorFiles(['/etc/confsnap/acme.mjs'], show);
 * ```
 */
export async function loadCollectorFiles(
  files: readonly string[],
  shown: (file: string) => string,
): Promise<{ collectors: CollectorRegistry; problems: CollectorFileProblem[] }> {
  const collectors = createCollectorRegistry();
  const problems: CollectorFileProblem[] = [];
  const fromFile = new Map<string, string>();
  for (const file of files) {
    const name = shown(file);
    let loaded: unknown;
    try {
      loaded = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push({
        file: name,
        message:
          code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(file)
            ? 'collector module not found'
            : `collector module cannot be loaded: ${firstLine(error)}`,
      });
      continue;
    }
    if (!isCollector(loaded)) {
      problems.push({
        file: name,
        message:
          loaded === undefined
            ? 'has no default export; export the collector: export default defineCollector({ … })'
            : 'its default export is not a collector; export the result of defineCollector({ … })',
      });
      continue;
    }
    const earlier = fromFile.get(loaded.vendor);
    if (earlier !== undefined) {
      problems.push({
        file: name,
        message: `vendor "${loaded.vendor}" is declared by ${earlier} already; give each collector its own vendor id`,
      });
      continue;
    }
    // As createCollectorRegistry(extra): a built-in id is replaced (routerosCollector({ … })).
    collectors.register(loaded, { replace: true });
    fromFile.set(loaded.vendor, name);
  }
  return { collectors, problems };
}

/** What `defineCollector` returns (it checked the rest). */
function isCollector(value: unknown): value is ConfigCollector {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof ConfigCollector, unknown>>;
  return (
    typeof candidate.vendor === 'string' &&
    typeof candidate.displayName === 'string' &&
    (candidate.mode === 'exec' || candidate.mode === 'shell') &&
    typeof candidate.commands === 'function' &&
    typeof candidate.setupCommands === 'function' &&
    candidate.promptPattern instanceof RegExp
  );
}

/** The first line of an import error: a syntax error's own text, without a stack. */
function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'error';
}
