import type { BackupErrorKind } from '../index.js';
import type { ExplainedFailure } from './advice.js';
import { formatDuration } from './io.js';
import { transportNote } from './telnet-warning.js';

/** What happened to one device in a `backup`. */
export interface DeviceResult {
  readonly id: string;
  readonly status: 'success' | 'failed' | 'skipped';
  readonly kind?: BackupErrorKind;
  readonly sha256?: string;
  readonly changed?: boolean;
  readonly durationMs: number;
  /** `telnet` when the device's record says so (absent: SSH). In the JSON as `transport`. */
  readonly transport?: 'telnet';
  /** What happened, for failures and skips; never a secret or config text. Not in the JSON. */
  readonly message?: string;
  /** A failure of the jump host on the way (its name), not of the device. Not in the JSON. */
  readonly jumpHost?: string;
  /** A failure of a step after the login (`enable`). Not in the JSON. */
  readonly stage?: string;
}

/** The result of a whole `backup`. */
export interface BackupSummary {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly changed: number;
  readonly unchanged: number;
  /** In the order of the inventory. */
  readonly devices: readonly DeviceResult[];
}

/** Counts the results. */
export function summarize(devices: readonly DeviceResult[]): BackupSummary {
  let succeeded = 0;
  let failed = 0;
  let changed = 0;
  for (const device of devices) {
    if (device.status === 'success') {
      succeeded++;
      if (device.changed) changed++;
    } else if (device.status === 'failed') failed++;
  }
  return {
    total: devices.length,
    succeeded,
    failed,
    changed,
    unchanged: succeeded - changed,
    devices,
  };
}

/**
 * The `--json` output: exactly the documented fields, in a stable order — with `telnet`, the count of
 * devices reached over telnet, and each device's `transport` (`ssh` | `telnet`).
 */
export function summaryJson(summary: BackupSummary): string {
  return JSON.stringify({
    total: summary.total,
    succeeded: summary.succeeded,
    failed: summary.failed,
    changed: summary.changed,
    unchanged: summary.unchanged,
    telnet: summary.devices.filter((device) => device.transport === 'telnet').length,
    devices: summary.devices.map((device) => ({
      id: device.id,
      status: device.status,
      transport: device.transport ?? 'ssh',
      ...(device.kind === undefined ? {} : { kind: device.kind }),
      ...(device.sha256 === undefined ? {} : { sha256: device.sha256 }),
      ...(device.changed === undefined ? {} : { changed: device.changed }),
      durationMs: Math.round(device.durationMs),
    })),
  });
}

/** One paragraph of the closing report: a device, or a jump host with the devices behind it. */
interface ReportEntry {
  readonly label: string;
  readonly kind: string;
  readonly message: string;
  readonly advice: string;
  /** For a jump host: the devices that failed because of it. */
  readonly devices?: string[];
}

/**
 * The closing report for people: one line of counts, then each failed or skipped device with what
 * happened and what to do about it. Devices that failed because a jump host on their way failed
 * (`explain` gives a `hop`) are told once, in one paragraph for the jump host listing them.
 */
export function formatReport(
  summary: BackupSummary,
  options: {
    out: string;
    elapsedMs: number;
    explain: (device: DeviceResult) => ExplainedFailure;
    /**
     * Whether secrets were masked (`--no-mask-secrets` turns it off); `{ masked, total }` when the
     * inventory's `mask_secrets` masks some devices only; absent: not said.
     */
    secretsMasked?: boolean | { readonly masked: number; readonly total: number };
  },
): string {
  const skipped = summary.total - summary.succeeded - summary.failed;
  const telnet = summary.devices.filter((device) => device.transport === 'telnet').length;
  const lines = [
    `Backed up ${summary.succeeded} of ${summary.total} devices into ${options.out} in ${formatDuration(options.elapsedMs)}: ` +
      `${summary.changed} changed, ${summary.unchanged} unchanged, ${summary.failed} failed` +
      (skipped > 0 ? `, ${skipped} skipped` : '') +
      (telnet > 0 ? `, ${telnet} over telnet (password in clear text).` : '.'),
  ];
  const mixed = typeof options.secretsMasked === 'object' ? options.secretsMasked : undefined;
  if (mixed !== undefined) {
    lines.push(
      `Secrets masked for ${mixed.masked} of ${mixed.total} devices (mask_secrets in the inventory): ` +
        'the configs saved for the others hold passwords and keys; keep them private.',
    );
  } else if (options.secretsMasked === true) {
    lines.push('Secrets masked: passwords, keys and communities read <secret hidden>.');
  } else if (options.secretsMasked === false) {
    lines.push(
      'Secrets NOT masked (--no-mask-secrets): the saved configs hold passwords and keys; keep them private.',
    );
  }
  const problems = summary.devices.filter((device) => device.status !== 'success');
  if (problems.length > 0) {
    const entries: ReportEntry[] = [];
    const byHop = new Map<string, ReportEntry>();
    for (const device of problems) {
      const explained = options.explain(device);
      const kind = device.kind ?? device.status;
      const message = explained.message ?? '';
      if (explained.hop === undefined) {
        entries.push({
          label: `${device.id}${transportNote(device.transport)}`,
          kind,
          message,
          advice: explained.advice,
        });
        continue;
      }
      const prefix = `${device.id}: `;
      const hopMessage = message.startsWith(prefix) ? message.slice(prefix.length) : message;
      const key = `${explained.hop}\0${kind}\0${hopMessage}`;
      const known = byHop.get(key);
      if (known) {
        known.devices!.push(device.id);
        continue;
      }
      const entry: ReportEntry = {
        label: `jump host ${explained.hop}`,
        kind,
        message: hopMessage,
        advice: explained.advice,
        devices: [device.id],
      };
      byHop.set(key, entry);
      entries.push(entry);
    }
    const width = Math.min(24, Math.max(...entries.map((entry) => entry.label.length)));
    const kindWidth = Math.max(...entries.map((entry) => entry.kind.length));
    const indent = `  ${' '.repeat(width)}  ${' '.repeat(kindWidth)}  `;
    lines.push(
      '',
      `${problems.length === 1 ? 'One device' : `${problems.length} devices`} not backed up:`,
    );
    for (const entry of entries) {
      lines.push(
        `  ${entry.label.padEnd(width)}  ${entry.kind.padEnd(kindWidth)}  ${entry.message}`.trimEnd(),
      );
      if (entry.devices) {
        lines.push(
          `${indent}${entry.devices.length === 1 ? 'the device behind it' : `the ${entry.devices.length} devices behind it`}: ${entry.devices.join(', ')}`,
        );
      }
      lines.push(`${indent}→ ${entry.advice}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
