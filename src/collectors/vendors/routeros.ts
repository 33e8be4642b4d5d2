import { endsInOddBackslashes, lastNonBlankLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { CollectorContext, CommandPlan, ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

const EXPORT_HEADER = /^# .{0,40}? by RouterOS (\S+)/m;

/** Options of {@link routerosCollector}. */
export interface RouterosCollectorOptions {
  /**
   * Leave passwords, keys and secrets out of the backup (`/export hide-sensitive`). Default
   * false: the backup holds them, so a router can be rebuilt from it.
   */
  readonly hideSensitive?: boolean;
}

/**
 * MikroTik RouterOS over an exec channel, with `/export`.
 *
 * Command by `device.version`: RouterOS 7 hides secrets unless asked, so v7 runs
 * `/export show-sensitive`; v6 shows them by default and runs `/export`; an unknown version tries
 * the v7 form and falls back to `/export` when the device answers
 * `expected end of command (line 1 column 9)` (a v6 that does not know `show-sensitive`).
 *
 * With `hideSensitive`, or when the backup masks secrets (`maskSecrets`, SPEC §9), every version
 * runs `/export hide-sensitive` (v6 would print secrets with a plain `/export`). Only a known v7,
 * where a plain `/export` hides them too, may fall back to it.
 *
 * Normalization (SPEC §4): joins `\` continuations, drops the export header in its three date
 * forms and the comments that report run-time state (`# <interface> not ready`,
 * `# inactive time`, `# received packet from <address> bad format`, any `# poe-out status: …`,
 * `# Firmware upgraded successfully, …`, `# channel: …`); every other comment is kept. Complete
 * when the export has a `/section` line and does not end in a continuation.
 *
 * @example
 * ```ts
 * const collectors = createCollectorRegistry([routerosCollector({ hideSensitive: true })]);
 * ```
 */
export function routerosCollector(options: RouterosCollectorOptions = {}): ConfigCollector {
  const hideSensitive = options.hideSensitive === true;
  return defineCollector({
    vendor: 'routeros',
    displayName: 'MikroTik RouterOS',
    mode: 'exec',
    options: [
      {
        name: 'hide_sensitive',
        type: 'boolean',
        default: hideSensitive,
        doc: 'Leave passwords, keys and secrets out of the export (/export hide-sensitive); masking secrets implies it.',
      },
    ],
    // Masking asks the device itself to leave secrets out; the secret rules then mask what
    // `hide-sensitive` still prints (SNMP community names) and what an old export shows anyway.
    commands: (context) =>
      context.options?.hide_sensitive === true || context.maskSecrets === true
        ? hiddenSecretsPlan(context)
        : fullExportPlan(context),
    errorPatterns: [
      /^(?:bad command name|expected end of command|syntax error)\b.*\(line \d+ column \d+\)/m,
      /^failure: /m,
      /^not enough permissions\b/m,
    ],
    syntaxErrorPatterns: [
      /^expected end of command \(line \d+ column \d+\)/m,
      /^syntax error \(line \d+ column \d+\)/m,
    ],
    isComplete: (text) => /^\//m.test(text) && !endsInOddBackslashes(lastNonBlankLine(text)),
    // The export header names the version: `# 2024-05-01 12:00:00 by RouterOS 7.16.2`.
    detectVersion: (head) => EXPORT_HEADER.exec(head)?.[1],
    normalization: {
      joinBackslashContinuations: true,
      dropLines: [
        /^# (?:\d{4}-\d{2}-\d{2}|[a-z]{3}\/\d{2}\/\d{4}|\d{4}\/\d{2}\/\d{2}) \d{2}:\d{2}:\d{2} by RouterOS \S/i,
        /^# .+ not ready$/,
        /^# inactive time$/,
        /^# received packet from \S+ bad format$/,
        /^# poe-out status: /,
        /^# Firmware upgraded successfully, please reboot for changes to take effect!$/,
        /^# channel: /,
      ],
    },
    secrets: ROUTEROS_SECRETS,
  });
}

/**
 * RouterOS secrets: the `key=value` settings that hold them (`password`, `secret`, `passphrase`,
 * `pre-shared-key`, `wpa-pre-shared-key`, `wpa2-pre-shared-key`, `authentication-key`,
 * `private-key`, `auth-password`, `encryption-password`, …), quoted or not, and what
 * `hide-sensitive` still prints: SNMP community names (under `/snmp community`). PEM keys too.
 */
const ROUTEROS_SECRETS: readonly SecretRule[] = [
  {
    line: /(?:^|\s)(?:password|secret|passphrase|pre-shared-key|wpa-pre-shared-key|wpa2-pre-shared-key|wpa3-pre-shared-key|authentication-key|auth-key|private-key|auth-password|encryption-password|key|psk|shared-secret|ipsec-secret)=(?:"((?:[^"\\]|\\.)*)"|(\S+))/g,
  },
  {
    line: /(?:^|\s)name=(?:"((?:[^"\\]|\\.)*)"|(\S+))/,
    within: { from: /^\/snmp community$/, until: /^\// },
  },
  PRIVATE_KEY_BLOCK,
];

/** The built-in RouterOS collector: full export, secrets included. See {@link routerosCollector}. */
export const routeros: ConfigCollector = routerosCollector();

function fullExportPlan({ device }: CollectorContext): CommandPlan {
  const major = majorVersion(device.version);
  if (major === undefined) {
    return { commands: ['/export show-sensitive'], fallback: ['/export'] };
  }
  return { commands: [major >= 7 ? '/export show-sensitive' : '/export'] };
}

function hiddenSecretsPlan({ device }: CollectorContext): CommandPlan {
  const major = majorVersion(device.version);
  return major !== undefined && major >= 7
    ? { commands: ['/export hide-sensitive'], fallback: ['/export'] }
    : { commands: ['/export hide-sensitive'] };
}

/** `7` for `7.16.2`, `6` for `6.48.6 (long-term)`; undefined when absent or unreadable. */
function majorVersion(version: string | undefined): number | undefined {
  const match = version === undefined ? null : /^\s*v?(\d+)(?:[.\s]|$)/i.exec(version);
  return match ? Number(match[1]) : undefined;
}
