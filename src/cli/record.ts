import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Credentials, Device } from '../core/device.js';
import { recordSession } from '../testing/record.js';
import { UsageError } from './args.js';
import { openHostKeys } from './backup.js';
import { EXIT } from './exit.js';
import { loadCollectorFiles } from './inventory/collectors.js';
import { writeLine, type CliIO } from './io.js';
import { closestNames, vendorForModel } from './models.js';
import { SetupError } from './publishers.js';

export const RECORD_USAGE = `Usage: confsnap record --host HOST --vendor ID --user NAME --password-env VAR --out FILE [options]

Back up one device once and record the session as an Oxidized simulation YAML file, to replay it
in a test with startRecordedDevice (confsnap/testing), or to attach to a bug report. Every secret
the vendor's rules know is masked, and so are the password, passphrase and enable secret wherever
the device echoed them. Read the file before you share it: text the rules do not know (a banner,
an interface description) stays as the device sent it; --anonymize hides the hostname.

Options:
  --host HOST              the device's address   [required]
  --port N                 SSH port (default 22)
  --id NAME                the device's id: its host-key pin and its name in messages (default
                           HOST, or HOST:PORT with --port)
  --vendor ID              a confsnap vendor id or an Oxidized model name   [required]
  --user NAME              login name   [required]
  --password-env VAR       the environment variable holding the password
  --key FILE               a private key to log in with (--passphrase-env VAR for its passphrase)
  --enable-secret-env VAR  the environment variable holding the enable secret
  --known-hosts FILE       pinned host keys (default ./.confsnap-hostkeys.json; created on first use)
  --collector FILE         a custom collector module (default export: defineCollector(…)); repeatable
  --anonymize              replace the device's hostname (read off its prompt) everywhere
  --hostname NAME          the hostname to replace (implies --anonymize)
  --anonymize-as NAME      what the hostname becomes (default: device)
  --no-mask-secrets        ask the device as confsnap backup --no-mask-secrets does (RouterOS:
                           show-sensitive); the recorded replies are masked either way
  --legacy-ssh             also offer the SSH algorithms old devices need
  --timeout-ms N           deadline of connect + login, and of each command (defaults 20000, 60000)
  --force                  overwrite FILE
  --out FILE               where the recording goes (written 0600); - for stdout   [required]
  -h, --help               show this help

Exit codes: 0 recorded a successful backup, 1 recorded a failing one (the file holds the session
up to the failure), 2 bad usage or setup.
`;

/** What `confsnap record` was asked. */
export interface RecordArgs {
  readonly host: string;
  readonly port: number | undefined;
  readonly id: string;
  readonly vendor: string;
  readonly user: string;
  readonly passwordEnv: string | undefined;
  readonly key: string | undefined;
  readonly passphraseEnv: string | undefined;
  readonly enableSecretEnv: string | undefined;
  readonly knownHosts: string;
  readonly collectors: readonly string[];
  readonly anonymize: boolean;
  readonly hostname: string | undefined;
  readonly anonymizeAs: string;
  readonly maskSecrets: boolean;
  readonly legacySsh: boolean;
  readonly timeoutMs: number | undefined;
  readonly force: boolean;
  /** An absolute path, or `-` for stdout. */
  readonly out: string;
}

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  id: { type: 'string' },
  vendor: { type: 'string' },
  user: { type: 'string' },
  'password-env': { type: 'string' },
  key: { type: 'string' },
  'passphrase-env': { type: 'string' },
  'enable-secret-env': { type: 'string' },
  'known-hosts': { type: 'string' },
  collector: { type: 'string', multiple: true },
  anonymize: { type: 'boolean' },
  hostname: { type: 'string' },
  'anonymize-as': { type: 'string' },
  'no-mask-secrets': { type: 'boolean' },
  'legacy-ssh': { type: 'boolean' },
  'timeout-ms': { type: 'string' },
  force: { type: 'boolean' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses `confsnap record`'s options; `'help'` for `--help`.
 *
 * @throws {UsageError} naming the option that is missing or wrong.
 */
export function parseRecordArgs(argv: readonly string[], cwd: string): RecordArgs | 'help' {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), 'record');
  }
  if (values.help === true) return 'help';
  const required = (name: 'host' | 'vendor' | 'user' | 'out'): string => {
    const value = values[name]?.trim();
    if (value === undefined || value === '') {
      throw new UsageError(`--${name} is required`, 'record');
    }
    return value;
  };
  const integer = (name: 'port' | 'timeout-ms', min: number, max: number): number | undefined => {
    const text = values[name];
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
      throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`, 'record');
    }
    return value;
  };
  const host = required('host');
  const vendor = required('vendor');
  const user = required('user');
  const out = required('out');
  if (values['password-env'] === undefined && values.key === undefined) {
    throw new UsageError('say how to log in: --password-env VAR or --key FILE', 'record');
  }
  if (values['passphrase-env'] !== undefined && values.key === undefined) {
    throw new UsageError('--passphrase-env needs --key FILE', 'record');
  }
  const port = integer('port', 1, 65_535);
  const id = values.id?.trim();
  if (id === '') throw new UsageError('--id must not be empty', 'record');
  return {
    host,
    port,
    id: id ?? (port === undefined ? host : `${host}:${port}`),
    vendor,
    user,
    passwordEnv: values['password-env'],
    key: values.key === undefined ? undefined : resolve(cwd, values.key),
    passphraseEnv: values['passphrase-env'],
    enableSecretEnv: values['enable-secret-env'],
    knownHosts: resolve(cwd, values['known-hosts'] ?? '.confsnap-hostkeys.json'),
    collectors: (values.collector ?? []).map((file) => resolve(cwd, file)),
    anonymize: values.anonymize === true || values.hostname !== undefined,
    hostname: values.hostname,
    anonymizeAs: values['anonymize-as'] ?? 'device',
    maskSecrets: values['no-mask-secrets'] !== true,
    legacySsh: values['legacy-ssh'] === true,
    timeoutMs: integer('timeout-ms', 1, 3_600_000),
    force: values.force === true,
    out: out === '-' ? '-' : resolve(cwd, out),
  };
}

/** `confsnap record`: backs up one device once and writes the session as a recording. */
export async function recordCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseRecordArgs(argv, io.cwd);
  if (args === 'help') {
    io.stdout.write(RECORD_USAGE);
    return EXIT.ok;
  }
  if (args.out !== '-' && existsSync(args.out) && !args.force) {
    throw new UsageError(`${args.out} exists; choose another --out FILE or add --force`, 'record');
  }
  const { collectors, problems } = await loadCollectorFiles(args.collectors, (file) => file);
  if (problems.length > 0) {
    throw new SetupError(problems.map((p) => `${p.file}: ${p.message}`).join('\n'), 2);
  }
  const vendor = collectors.get(args.vendor)
    ? args.vendor
    : (vendorForModel(args.vendor) ?? unknownVendor(args.vendor, [...collectors.vendors()]));
  const credentials = await credentialsOf(args, io);
  const hostKeys = await openHostKeys(args.knownHosts);
  const device: Device = {
    id: args.id,
    host: args.host,
    vendor,
    ...(args.port === undefined ? {} : { port: args.port }),
  };
  const recording = await recordSession({
    device,
    credentials,
    collectors,
    hostKeys,
    maskSecrets: args.maskSecrets,
    signal: io.signal,
    ...(args.legacySsh ? { algorithms: 'legacy' as const } : {}),
    ...(args.timeoutMs === undefined
      ? {}
      : { connectTimeoutMs: args.timeoutMs, commandTimeoutMs: args.timeoutMs }),
    ...(args.anonymize
      ? {
          anonymize: {
            replacement: args.anonymizeAs,
            ...(args.hostname === undefined ? {} : { hostname: args.hostname }),
          },
        }
      : {}),
  });
  if (args.out === '-') io.stdout.write(recording.yaml);
  else await writeFile(args.out, recording.yaml, { mode: 0o600 });
  const where = args.out === '-' ? 'stdout' : args.out;
  const commands = recording.session.commands.size;
  writeLine(
    io.stderr,
    `confsnap record: ${commands} command${commands === 1 ? '' : 's'} of ${args.host} (${vendor}) recorded to ${where}; secrets masked by the ${vendor} rules and the credentials.`,
  );
  if (args.anonymize) {
    writeLine(
      io.stderr,
      recording.anonymizedHostname === undefined
        ? 'confsnap record: no hostname found in the prompt to anonymize; give it with --hostname NAME'
        : `confsnap record: hostname "${recording.anonymizedHostname}" replaced by "${args.anonymizeAs}".`,
    );
  }
  writeLine(
    io.stderr,
    'confsnap record: read the file before you share it: text no rule knows (banners, descriptions) is kept as sent.',
  );
  writeLine(
    io.stderr,
    `confsnap record: replay it with the same maskSecrets (${args.maskSecrets ? 'true' : 'false'}${args.maskSecrets ? '' : ', from --no-mask-secrets'}): the commands sent depend on it for some vendors (RouterOS: hide-sensitive or show-sensitive).`,
  );
  if (recording.error) {
    writeLine(
      io.stderr,
      `confsnap record: the backup failed (${recording.error.kind}): ${recording.error.message}; the session up to the failure is recorded`,
    );
    if (recording.error.kind === 'host-key-mismatch') {
      writeLine(
        io.stderr,
        `confsnap record: if that key is the device's own, forget the old pin: confsnap hostkeys reset ${args.id} --known-hosts ${args.knownHosts} (or give another --id or --known-hosts)`,
      );
    }
    return EXIT.failed;
  }
  return EXIT.ok;
}

function unknownVendor(name: string, vendors: readonly string[]): never {
  const close = closestNames(name, vendors);
  throw new UsageError(
    `--vendor "${name}" is no vendor id or Oxidized model name${close.length > 0 ? `; did you mean ${close.join(', ')}?` : ''}`,
    'record',
  );
}

async function credentialsOf(args: RecordArgs, io: CliIO): Promise<Credentials> {
  const fromEnv = (option: string, name: string | undefined): string | undefined => {
    if (name === undefined) return undefined;
    const value = io.env[name];
    if (value === undefined) {
      throw new SetupError(`${option} ${name}: the environment variable ${name} is not set`, 2);
    }
    return value;
  };
  let privateKey: Buffer | undefined;
  if (args.key !== undefined) {
    try {
      privateKey = await readFile(args.key);
    } catch (error) {
      throw new SetupError(
        `--key ${args.key} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        2,
      );
    }
  }
  const password = fromEnv('--password-env', args.passwordEnv);
  const passphrase = fromEnv('--passphrase-env', args.passphraseEnv);
  const enableSecret = fromEnv('--enable-secret-env', args.enableSecretEnv);
  return {
    username: args.user,
    ...(password === undefined ? {} : { password }),
    ...(privateKey === undefined ? {} : { privateKey }),
    ...(passphrase === undefined ? {} : { passphrase }),
    ...(enableSecret === undefined ? {} : { enableSecret }),
  };
}
