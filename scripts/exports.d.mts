// Types of scripts/exports.mjs, for the tests that import it.

/** Whether an export exists at run time (`value`) or only in the declarations (`type`). */
export type ExportKind = 'value' | 'type';

/** One line of api/exports.txt. */
export interface ExportRecord {
  /** The specifier users import: `confsnap`, `confsnap/nats`… */
  readonly entry: string;
  readonly kind: ExportKind;
  readonly name: string;
}

/** The value and type-only names a declaration file exports. */
export interface DeclaredExports {
  readonly values: readonly string[];
  readonly types: readonly string[];
}

/** What one entry point of a built package exports, per module and declaration file. */
export interface EntryPointExports {
  /** Run-time names of the ESM module. */
  readonly esm: readonly string[];
  /** Run-time names of the CJS module. */
  readonly cjs: readonly string[];
  readonly dts: DeclaredExports;
  readonly dcts: DeclaredExports;
}

/** What a built package exports, by entry point specifier. */
export type BuiltExports = Readonly<Record<string, EntryPointExports>>;

/** One entry point of a manifest's `exports`, with the file of each condition. */
export interface EntryPoint {
  readonly specifier: string;
  readonly esm: string;
  readonly esmTypes: string;
  readonly cjs: string;
  readonly cjsTypes: string;
}

export const EXPORTS_FILE: string;
export const UPDATE_COMMAND: string;
export function entryPointsOf(manifest: unknown): EntryPoint[];
export function declaredExports(files: readonly string[]): DeclaredExports[];
export function builtExports(packageDir: string): Promise<BuiltExports>;
export function exportListOf(built: BuiltExports): ExportRecord[];
export function formatExportList(list: readonly ExportRecord[]): string;
export function parseExportList(text: string, file?: string): ExportRecord[];
export function compareExports(
  recorded: readonly ExportRecord[],
  built: BuiltExports,
  file?: string,
): string[];
export function checkExports(
  packageDir: string,
  recordFile: string,
  options?: { update?: boolean },
): Promise<string[]>;
export function exportsMismatchMessage(differences: readonly string[]): string;
