import { COLLECT_DEFAULTS, type BackupErrorKind } from '../index.js';
import type { CredentialSpec } from './inventory.js';

/** What the advice may refer to: the device's setup and the command line it ran with. */
export interface AdviceContext {
  readonly deviceId: string;
  readonly host?: string;
  readonly port?: number;
  readonly credentials?: CredentialSpec;
  readonly knownHostsFile: string;
  readonly timeoutMs?: number;
  readonly legacySsh?: boolean;
  readonly natsUrl?: string;
  readonly outDir?: string;
  /** `run` retries by itself; `backup` needs to be run again. */
  readonly command: 'backup' | 'run';
}

/** Where the device's secret comes from, in words, e.g. `the password in $ROUTER_PASSWORD`. */
export function describeSecretSource(spec: CredentialSpec | undefined): string {
  if (!spec) return 'its credentials';
  const parts: string[] = [];
  if (spec.passwordEnv !== undefined) parts.push(`the password in $${spec.passwordEnv}`);
  if (spec.passwordFile !== undefined) parts.push(`the password in ${spec.passwordFile}`);
  if (spec.privateKeyFile !== undefined) parts.push(`the key in ${spec.privateKeyFile}`);
  if (spec.enableSecretEnv !== undefined)
    parts.push(`the enable secret in $${spec.enableSecretEnv}`);
  return `username "${spec.username}" and ${parts.join(' and ') || 'its secret'}`;
}

/**
 * What to do about a failure of `kind`, in one or two sentences, in terms of the CLI: which flag,
 * which inventory field, which command. The library's own message says what happened.
 */
export function adviceFor(kind: BackupErrorKind | undefined, context: AdviceContext): string {
  const target =
    context.host === undefined ? 'the device' : `${context.host}:${context.port ?? 22}`;
  const again = context.command === 'run' ? 'confsnap run retries it' : 'run confsnap backup again';
  switch (kind) {
    case 'auth-failed':
      return (
        `Check ${describeSecretSource(context.credentials)} against the device's accounts. ` +
        (context.command === 'run'
          ? 'The device is not tried again until that secret changes; confsnap run notices the change by itself.'
          : 'Then run confsnap backup again.')
      );
    case 'host-key-mismatch':
      return (
        'If the device was replaced or re-keyed on purpose, forget the old key with: ' +
        `confsnap hostkeys reset ${context.deviceId} --known-hosts ${context.knownHostsFile} — ` +
        'otherwise find out what answers at that address before sending it any password.'
      );
    case 'negotiation-failed':
      return context.legacySsh
        ? 'The device offers no SSH algorithm confsnap supports even with --legacy-ssh; update its SSH server or firmware.'
        : 'Old firmware offers only older SSH algorithms: try again with --legacy-ssh.';
    case 'connect-timeout':
      return (
        `Connect, key exchange and login did not finish within ${context.timeoutMs ?? COLLECT_DEFAULTS.connectTimeoutMs} ms: ` +
        `check that ${target} answers SSH from this host (firewall, ACL, a hung SSH server); ` +
        'for slow links raise --timeout-ms.'
      );
    case 'connection-refused':
      return `Nothing accepts SSH at ${target}: check the port in the inventory and that SSH is enabled on the device.`;
    case 'unreachable':
      return `Check the host name or address of ${context.deviceId} in the inventory, DNS, routing and firewalls towards ${target}.`;
    case 'command-timeout':
      return (
        `The device did not finish a command within ${context.timeoutMs ?? COLLECT_DEFAULTS.commandTimeoutMs} ms: ` +
        'for large configurations or slow devices raise --timeout-ms.'
      );
    case 'time-limit':
      return `The whole backup took longer than ${COLLECT_DEFAULTS.timeLimitMs / 1_000} s: check the device's load and the vendor in the inventory (a wrong vendor can wait for a prompt that never comes).`;
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
