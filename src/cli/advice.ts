import {
  COLLECT_DEFAULTS,
  type BackupErrorKind,
  type DeviceSSHSettings,
  type DeviceTransport,
  type JumpHost,
} from '../index.js';
import type { CredentialSpec } from './inventory.js';

/** A jump host on a device's way (`via:`), as the advice names it. */
export interface HopContext {
  /** Its name in `jump_hosts:` (its id). */
  readonly id: string;
  readonly host: string;
  readonly port?: number;
  /** Where its login comes from, from its `jump_hosts:` entry. */
  readonly credentials?: CredentialSpec;
}

/** A device's `via` (one jump host or a list, nearest first) with each hop's inventory credentials. */
export function hopsOf(
  via: JumpHost | readonly JumpHost[],
  credentials: ReadonlyMap<string, CredentialSpec>,
): HopContext[] {
  const hops: readonly JumpHost[] = isHopList(via) ? via : [via];
  return hops.map((hop) => {
    const hopCredentials = credentials.get(hop.id);
    return { ...hop, ...(hopCredentials ? { credentials: hopCredentials } : {}) };
  });
}

function isHopList(via: JumpHost | readonly JumpHost[]): via is readonly JumpHost[] {
  return Array.isArray(via);
}

/** What the advice may refer to: the device's setup and the command line it ran with. */
export interface AdviceContext {
  readonly deviceId: string;
  readonly host?: string;
  readonly port?: number;
  readonly credentials?: CredentialSpec;
  /** How the device is reached (its record's `transport`); absent: SSH. */
  readonly transport?: DeviceTransport;
  /** The device's own `ssh:` settings from the inventory, which win over the command line's. */
  readonly ssh?: DeviceSSHSettings;
  /** The jump hosts the device is reached through, nearest first. */
  readonly via?: readonly HopContext[];
  readonly knownHostsFile: string;
  readonly timeoutMs?: number;
  readonly legacySsh?: boolean;
  readonly natsUrl?: string;
  readonly outDir?: string;
  /** `run` retries by itself; `backup` needs to be run again. */
  readonly command: 'backup' | 'run';
}

/** Where the device's secret comes from, in words, e.g. `the password in $ROUTER_PASSWORD`. */
export function describeSecretSource(
  spec: CredentialSpec | undefined,
  options: { loginOnly?: boolean } = {},
): string {
  if (!spec) return 'its credentials';
  const parts: string[] = [];
  if (spec.passwordEnv !== undefined) parts.push(`the password in $${spec.passwordEnv}`);
  if (spec.passwordFile !== undefined) parts.push(`the password in ${spec.passwordFile}`);
  if (spec.privateKeyFile !== undefined) parts.push(`the key in ${spec.privateKeyFile}`);
  if (spec.enableSecretEnv !== undefined && options.loginOnly !== true)
    parts.push(`the enable secret in $${spec.enableSecretEnv}`);
  return `username "${spec.username}" and ${parts.join(' and ') || 'its secret'}`;
}

/**
 * What to do about a failure of `kind`, in one or two sentences, in terms of the CLI: which flag,
 * which inventory field, which command. The library's own message says what happened.
 */
export function adviceFor(kind: BackupErrorKind | undefined, context: AdviceContext): string {
  const telnet = context.transport === 'telnet';
  const protocol = telnet ? 'telnet' : 'SSH';
  const target =
    context.host === undefined
      ? 'the device'
      : `${context.host}:${context.port ?? (telnet ? 23 : 22)}`;
  const again = context.command === 'run' ? 'confsnap run retries it' : 'run confsnap backup again';
  switch (kind) {
    case 'auth-failed':
      return (
        (telnet &&
        context.credentials !== undefined &&
        context.credentials.passwordEnv === undefined &&
        context.credentials.passwordFile === undefined
          ? `Over telnet only a password logs in, and ${context.deviceId} has none in the inventory: set password_env or password_file for it (a key serves SSH only). `
          : `Check ${describeSecretSource(context.credentials, { loginOnly: true })} against the device's accounts. `) +
        (context.command === 'run'
          ? 'The device is not tried again until that secret changes; confsnap run notices the change by itself.'
          : 'Then run confsnap backup again.')
      );
    case 'host-key-mismatch':
      return (
        'If the device was replaced or re-keyed on purpose, forget the old key with: ' +
        `${resetCommand(context.deviceId, context.knownHostsFile)} — ` +
        'otherwise find out what answers at that address before sending it any password.'
      );
    case 'negotiation-failed':
      return telnet ? TELNETLIB_ADVICE : algorithmsAdvice(context);
    case 'connect-timeout':
      return (
        `Connect${telnet ? '' : ', key exchange'} and login did not finish within ${timeoutOf(context, 'connectTimeoutMs')} ms: ` +
        `check that ${target} answers ${protocol} from this host (firewall, ACL, a hung ${protocol} server); ` +
        `for slow links raise ${timeoutSetting(context, 'connectTimeoutMs')}.`
      );
    case 'connection-refused':
      return telnet
        ? `Nothing accepts telnet at ${target}: check the port in the inventory (telnet's default is 23) and that the device's telnet server is enabled.`
        : `Nothing accepts SSH at ${target}: check the port in the inventory and that SSH is enabled on the device.`;
    case 'unreachable':
      return `Check the host name or address of ${context.deviceId} in the inventory, DNS, routing and firewalls towards ${target}.`;
    case 'command-timeout':
      return (
        `The device did not finish a command within ${timeoutOf(context, 'commandTimeoutMs')} ms: ` +
        `for large configurations or slow devices raise ${timeoutSetting(context, 'commandTimeoutMs')}.`
      );
    case 'time-limit':
      return (
        `The whole backup took longer than ${formatLimit(context.ssh?.timeLimitMs ?? COLLECT_DEFAULTS.timeLimitMs)}` +
        `${context.ssh?.timeLimitMs === undefined ? '' : ' (time_limit_ms in its ssh: settings)'}: ` +
        "check the device's load and the vendor in the inventory (a wrong vendor can wait for a prompt that never comes)."
      );
    case 'command-failed':
      return 'The device refused the backup command: check that the account may read the configuration (privilege level) and that vendor and version in the inventory match the device.';
    case 'truncated-output':
      return `The configuration arrived incomplete (the session ended early); ${again}. If it keeps happening, check the vendor in the inventory and the device's session limits.`;
    case 'invalid-output':
      return "The device sent no usable configuration: check the vendor in the inventory and the account's privileges.";
    case 'output-too-large':
      return 'The device sent more than 16 MiB: check the vendor in the inventory (a wrong command can print endless output).';
    case 'credentials-unavailable':
      return `Provide ${describeSecretSource(context.credentials)} to confsnap: set the environment variable or make the file readable by this user.`;
    case 'payload-too-large':
      return "The snapshot is larger than the NATS server's max_payload: raise max_payload on the server.";
    case 'publish-failed':
      return context.natsUrl !== undefined
        ? `Check that ${context.outDir ?? 'the output directory'} is writable (and git works, with --git), and that NATS answers and a JetStream stream captures config.snapshot.create.>.`
        : `Check that ${context.outDir ?? 'the output directory'} is writable and has free space (and that git works, with --git).`;
    case 'cancelled':
      return `The run was interrupted before ${context.deviceId} finished; ${again}.`;
    case undefined:
      return `${again[0]!.toUpperCase()}${again.slice(1)}; if it fails the same way, report it with the message above.`;
  }
}

/** Where to install telnetlib: beside confsnap, in the project or globally. */
export const TELNETLIB_ADVICE =
  'Install telnetlib where confsnap is installed: npm install telnetlib in the project that has confsnap, or npm install -g telnetlib for a global confsnap.';

/** The deadline in force for the device: its own `ssh:` setting, else `--timeout-ms`, else the default. */
function timeoutOf(context: AdviceContext, name: 'connectTimeoutMs' | 'commandTimeoutMs'): number {
  return context.ssh?.[name] ?? context.timeoutMs ?? COLLECT_DEFAULTS[name];
}

/** What to raise: the device's own `ssh:` setting when it has one (it wins), else `--timeout-ms`. */
function timeoutSetting(
  context: AdviceContext,
  name: 'connectTimeoutMs' | 'commandTimeoutMs',
): string {
  const key = name === 'connectTimeoutMs' ? 'connect_timeout_ms' : 'command_timeout_ms';
  return context.ssh?.[name] === undefined
    ? `--timeout-ms (or ${key} in the device's ssh: settings)`
    : `${key} in the device's ssh: settings (it wins over --timeout-ms)`;
}

function formatLimit(ms: number): string {
  return ms % 1_000 === 0 ? `${ms / 1_000} s` : `${ms} ms`;
}

/** Advice for an SSH algorithm mismatch, from the algorithms in force for the device. */
function algorithmsAdvice(context: AdviceContext): string {
  const own = context.ssh?.algorithms;
  if (own === 'modern') {
    return 'The device has ssh: { algorithms: modern } in the inventory, which offers only current algorithms (even with --legacy-ssh): set algorithms: legacy there for old firmware.';
  }
  if (own === 'legacy' || (own === undefined && context.legacySsh)) {
    return `The device offers no SSH algorithm confsnap supports even with the legacy ones (${own === undefined ? '--legacy-ssh' : 'ssh: { algorithms: legacy }'}); update its SSH server or firmware.`;
  }
  if (own !== undefined) {
    return 'The device shares no SSH algorithm with the lists in its ssh: { algorithms: … } settings: compare them with what the device offers (the message above), or use algorithms: legacy.';
  }
  return 'Old firmware offers only older SSH algorithms: set ssh: { algorithms: legacy } on this device in the inventory (or --legacy-ssh for every device).';
}

/** A failure as the CLI tells it: its message in the CLI's words, and what to do about it. */
export interface ExplainedFailure {
  /** The library's message with its API terms replaced by the inventory's (`enable_secret_env`, …). */
  readonly message: string | undefined;
  readonly advice: string;
  /**
   * Set when a jump host failed rather than the device: its name. Every device behind it fails
   * the same way, so the report tells it once for the jump host.
   */
  readonly hop?: string;
}

/** Which part failed, as the library's outcomes and events say (`jumpHost`, `stage`). */
export interface FailedPart {
  readonly jumpHost?: string | undefined;
  readonly stage?: string | undefined;
}

/**
 * What failed (the device, its enable step, or a jump host on its way) and what to do, in terms of
 * the CLI. `part` is what the library's outcome or event said (`jumpHost`, `stage`).
 */
export function explainFailure(
  kind: BackupErrorKind | undefined,
  message: string | undefined,
  context: AdviceContext,
  part: FailedPart = {},
): ExplainedFailure {
  const hop =
    part.jumpHost === undefined
      ? undefined
      : context.via?.find((candidate) => candidate.id === part.jumpHost);
  if (hop) {
    return {
      message: message === undefined ? undefined : hopMessageInCliWords(message, hop, context),
      advice: hopAdviceFor(kind, message ?? '', hop, context) ?? adviceFor(kind, context),
      hop: hop.id,
    };
  }
  if (kind === 'auth-failed' && message !== undefined && part.stage === 'enable') {
    return {
      message: enableMessageInCliWords(message, context),
      advice: enableAdvice(context),
    };
  }
  return { message, advice: adviceFor(kind, context) };
}

function hopTarget(hop: HopContext): string {
  return `${hop.host}:${hop.port ?? 22}`;
}

function hopMessageInCliWords(message: string, hop: HopContext, context: AdviceContext): string {
  return message
    .replace(
      "rejected the credentials given for it (the provider's answer for the record with vendor 'jump-host'); fix them",
      `rejected the credentials of jump host ${hop.id} in the inventory`,
    )
    .replace(
      "(the provider's answer for the record with vendor 'jump-host')",
      `(the credentials of jump host ${hop.id} in the inventory)`,
    )
    .replace(
      / The devices behind it are blocked until its pin changes\.$/,
      context.command === 'run' ? ' The devices behind it are blocked until its pin changes.' : '',
    )
    .replace(
      'check that SSH is enabled on the device and the port is right',
      `check that SSH is enabled on the jump host and its port in jump_hosts: is right`,
    )
    .replace(
      `(confsnap hostkeys reset ${hop.id})`,
      `(${resetCommand(hop.id, context.knownHostsFile)})`,
    )
    .replace(
      / — the devices behind it are blocked until then$/,
      context.command === 'run' ? ' — the devices behind it are blocked until then' : '',
    );
}

/** What to do when a jump host failed; `undefined`: the device's advice applies. */
function hopAdviceFor(
  kind: BackupErrorKind | undefined,
  message: string,
  hop: HopContext,
  context: AdviceContext,
): string | undefined {
  const name = `jump host ${hop.id}`;
  switch (kind) {
    case 'host-key-mismatch':
      return (
        `If ${name} was replaced or re-keyed on purpose, forget its old key with: ` +
        `${resetCommand(hop.id, context.knownHostsFile)} — otherwise find out what answers at ` +
        `${hopTarget(hop)} before sending it any password. The devices' own pins are not affected: keep them.`
      );
    case 'auth-failed':
      return (
        `Check ${describeSecretSource(hop.credentials)} of ${name} (its entry in jump_hosts:) against the jump host's accounts. ` +
        (context.command === 'run'
          ? 'The devices behind it are not tried again until that secret changes; confsnap run notices the change by itself.'
          : 'Then run confsnap backup again.')
      );
    case 'credentials-unavailable':
      return `Provide ${describeSecretSource(hop.credentials)} of ${name} to confsnap: set the environment variable or make the file readable by this user.`;
    case 'connection-refused':
      return `Nothing accepts SSH at ${hopTarget(hop)} (${name}): check its port in jump_hosts: and that its SSH server runs.`;
    case 'connect-timeout':
      return (
        `Connect, key exchange and login did not finish within ${context.timeoutMs ?? COLLECT_DEFAULTS.connectTimeoutMs} ms: ` +
        `check that ${name} (${hopTarget(hop)}) answers SSH from this host (firewall, ACL, a hung SSH server); ` +
        'for slow links raise --timeout-ms.'
      );
    case 'unreachable':
      return / refuses to forward /.test(message)
        ? `Allow TCP forwarding for the account of ${name} (OpenSSH: AllowTcpForwarding yes, PermitOpen).`
        : `Check the host name or address of ${name} in jump_hosts:, DNS, routing and firewalls towards ${hopTarget(hop)}.`;
    case 'negotiation-failed':
      return context.legacySsh
        ? `${name} offers no SSH algorithm confsnap supports even with --legacy-ssh; update its SSH server.`
        : `${name} offers only older SSH algorithms: try again with --legacy-ssh.`;
    default:
      return undefined;
  }
}

function enableSource(context: AdviceContext): string {
  const env = context.credentials?.enableSecretEnv;
  return env === undefined
    ? 'the enable secret (enable_secret_env)'
    : `the enable secret in $${env}`;
}

function enableMessageInCliWords(message: string, context: AdviceContext): string {
  const source = enableSource(context);
  const blocked =
    context.command === 'run' ? ` (the device is not tried again until ${source} changes)` : '';
  return message
    .replace(
      /credentials\.enableSecret is wrong; fix it \(the device is not tried again until the credentials change\)/,
      `${source} is wrong${blocked}`,
    )
    .replace(
      /set credentials\.enableSecret \('' when (.*?) asks for no password\)/,
      'set enable_secret_env in the inventory (to a variable set but empty when $1 asks for no password)',
    )
    .replace(/credentials\.enableSecret/g, source);
}

function enableAdvice(context: AdviceContext): string {
  const env = context.credentials?.enableSecretEnv;
  const fix =
    env === undefined
      ? `The login worked; the device needs an enable secret: name its environment variable in enable_secret_env (on ${context.deviceId} or in defaults).`
      : `The login worked; check the enable secret in $${env} against the device's enable password (and the account's enable rights).`;
  return `${fix} ${
    context.command === 'run'
      ? 'The device is not tried again until that secret changes; confsnap run notices the change by itself.'
      : 'Then run confsnap backup again.'
  }`;
}

/** `confsnap hostkeys reset ID --known-hosts FILE`, the file quoted for a shell when it needs it. */
function resetCommand(id: string, knownHostsFile: string): string {
  const file = /^[\w@%+=:,./-]+$/.test(knownHostsFile)
    ? knownHostsFile
    : `'${knownHostsFile.replaceAll("'", "'\\''")}'`;
  return `confsnap hostkeys reset ${id} --known-hosts ${file}`;
}
