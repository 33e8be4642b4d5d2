import type { BackupErrorKind } from '../index.js';
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
  /** `telnet` when the device's record says so (absent: SSH). Not in the JSON. */
  readonly transport?: 'telnet';
  /** What happened, for failures and skips; never a secret or config text. Not in the JSON. */
  readonly message?: string;
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

/** The `--json` output: exactly the documented fields, in a stable order. */
export function summaryJson(summary: BackupSummary): string {
  return JSON.stringify({
    total: summary.total,
    succeeded: summary.succeeded,
    failed: summary.failed,
    changed: summary.changed,
    unchanged: summary.unchanged,
    devices: summary.devices.map((device) => ({
      id: device.id,
      status: device.status,
      ...(device.kind === undefined ? {} : { kind: device.kind }),
      ...(device.sha256 === undefined ? {} : { sha256: device.sha256 }),
      ...(device.changed === undefined ? {} : { changed: device.changed }),
      durationMs: Math.round(device.durationMs),
    })),
  });
}

/**
 * The closing report for people: one line of counts, then each failed or skipped device with what
 * happened and what to do about it.
 */
export function formatReport(
  summary: BackupSummary,
  options: { out: string; elapsedMs: number; adviceFor: (device: DeviceResult) => string },
): string {
  const skipped = summary.total - summary.succeeded - summary.failed;
  const telnet = summary.devices.filter((device) => device.transport === 'telnet').length;
  const lines = [
    `Backed up ${summary.succeeded} of ${summary.total} devices into ${options.out} in ${formatDuration(options.elapsedMs)}: ` +
      `${summary.changed} changed, ${summary.unchanged} unchanged, ${summary.failed} failed` +
      (skipped > 0 ? `, ${skipped} skipped` : '') +
      (telnet > 0 ? `, ${telnet} over telnet (password in clear text).` : '.'),
  ];
  const problems = summary.devices.filter((device) => device.status !== 'success');
  if (problems.length > 0) {
    const named = (device: DeviceResult): string =>
      `${device.id}${transportNote(device.transport)}`;
    const width = Math.min(24, Math.max(...problems.map((device) => named(device).length)));
    const kindWidth = Math.max(...problems.map((device) => (device.kind ?? device.status).length));
    lines.push(
      '',
      `${problems.length === 1 ? 'One device' : `${problems.length} devices`} not backed up:`,
    );
    for (const device of problems) {
      lines.push(
        `  ${named(device).padEnd(width)}  ${(device.kind ?? device.status).padEnd(kindWidth)}  ${device.message ?? ''}`.trimEnd(),
        `  ${' '.repeat(width)}  ${' '.repeat(kindWidth)}  → ${options.adviceFor(device)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
