import { BackupError } from '../core/errors.js';

/** Why a privilege step failed; published as `details.reason` beside `details.stage: "enable"`. */
export type EnableFailureReason = 'no-secret' | 'wrong-secret' | 'refused';

/**
 * The `auth-failed` error of a refused privilege step (`details.stage: "enable"`): permanent,
 * like a refused login, so the device is not asked again until its credentials change. The
 * device's own words are passed in already masked (see {@link maskSecret}).
 * @internal
 */
export function enableFailed(
  deviceId: string,
  reason: EnableFailureReason,
  what: string,
  deviceError?: string,
): BackupError {
  const quoted = deviceError === undefined ? '' : ` (the device said "${deviceError}")`;
  return new BackupError({
    kind: 'auth-failed',
    deviceId,
    message: `${deviceId}: ${what}${quoted}`,
    details: {
      stage: 'enable',
      reason,
      ...(deviceError === undefined ? {} : { deviceError }),
    },
  });
}

/**
 * `text` with every occurrence of `secret` replaced by `***`: a device that echoes the typed
 * secret (some do, some echo `*`) must not carry it into an error or a log.
 * @internal
 */
export function maskSecret(text: string, secret: string): string {
  if (secret === '') return text;
  // Shell text is latin1 (one char per byte): a non-ASCII secret arrives as its UTF-8 bytes.
  const asBytes = Buffer.from(secret, 'utf8').toString('latin1');
  return text.split(secret).join('***').split(asBytes).join('***');
}
