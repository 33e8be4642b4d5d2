import { existsSync } from 'node:fs';
import { HOSTKEYS_USAGE, parseHostkeysArgs } from './args.js';
import { openHostKeys } from './backup.js';
import { EXIT } from './exit.js';
import { writeLine, type CliIO } from './io.js';

/**
 * `confsnap hostkeys list|reset`: shows the pinned fingerprints, or forgets one device's pin so its
 * next backup pins the key it presents (a `run` in progress notices and unblocks the device).
 */
export async function hostkeysCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseHostkeysArgs(argv, io.cwd);
  if (args === 'help') {
    io.stdout.write(HOSTKEYS_USAGE);
    return EXIT.ok;
  }
  const store = await openHostKeys(args.knownHosts, args.action === 'reset');
  const pins = (await store.entries()).sort(([a], [b]) => a.localeCompare(b));
  if (args.action === 'list') {
    if (args.json) {
      writeLine(io.stdout, JSON.stringify(Object.fromEntries(pins)));
      return EXIT.ok;
    }
    if (pins.length === 0) {
      writeLine(
        io.stderr,
        existsSync(args.knownHosts)
          ? `No host keys are pinned in ${args.knownHosts}.`
          : `No host keys are pinned yet: ${args.knownHosts} does not exist (the first backup creates it).`,
      );
      return EXIT.ok;
    }
    const width = Math.max(6, ...pins.map(([id]) => id.length));
    writeLine(io.stdout, `${'DEVICE'.padEnd(width)}  FINGERPRINT`);
    for (const [id, fingerprint] of pins)
      writeLine(io.stdout, `${id.padEnd(width)}  ${fingerprint}`);
    return EXIT.ok;
  }
  const pin = pins.find(([id]) => id === args.deviceId)?.[1];
  if (pin === undefined) {
    writeLine(
      io.stderr,
      `confsnap hostkeys: ${args.deviceId} has no pinned host key in ${args.knownHosts}` +
        (pins.length > 0
          ? ` (pinned: ${pins
              .map(([id]) => id)
              .slice(0, 10)
              .join(', ')}${pins.length > 10 ? ', …' : ''})`
          : ''),
    );
    return EXIT.failed;
  }
  await store.delete(args.deviceId);
  writeLine(
    io.stdout,
    `Forgot ${args.deviceId}'s host key ${pin}. Its next backup pins the key it presents then.`,
  );
  return EXIT.ok;
}
