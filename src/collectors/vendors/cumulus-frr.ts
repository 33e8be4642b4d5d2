import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';
import { quoteForShell } from './linux.js';

/**
 * The files a Cumulus Linux switch without NVUE (Cumulus 3.x and 4.x, or 5.x managed by hand)
 * keeps its configuration in: ifupdown2 interfaces, FRR's daemons and integrated config, the
 * port breakout settings.
 */
export const CUMULUS_FRR_FILES: readonly string[] = Object.freeze([
  '/etc/hostname',
  '/etc/network/interfaces',
  '/etc/frr/daemons',
  '/etc/frr/frr.conf',
  '/etc/cumulus/ports.conf',
]);

/**
 * FRR secrets (its syntax is IOS-like): `password`/`enable password` of vtysh, BGP neighbor
 * passwords, OSPF keys, IS-IS passwords, and PEM private keys.
 */
const FRR_SECRETS: readonly SecretRule[] = [
  { line: /^(?:enable )?password (?:\d+ )?(\S+)/ },
  { line: /^\s*neighbor \S+ password (\S+)/ },
  { line: /^\s*ip ospf authentication-key (\S+)/ },
  { line: /^\s*ip ospf message-digest-key \d+ md5 (\S+)/ },
  { line: /^\s*ipv6 ospf6 authentication key-id \d+ hash-algo \S+ key (\S+)/ },
  { line: /^\s*(?:isis password|area-password|domain-password) (?:clear|md5) (\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * NVIDIA Cumulus Linux the classic way (Oxidized's `cumulus` model without NVUE, with
 * `cumulus_routing_daemon: frr`): the configuration files over exec channels, one
 * `cat -- '<path>'` per file of the `files` option ({@link CUMULUS_FRR_FILES} by default), in
 * order. The backup account must be able to read `/etc/frr/frr.conf` (the `frr` group, or
 * `frrvty` on some releases). A missing or unreadable file fails the backup (`command-failed`)
 * rather than backing up less. The files hold no volatile line: normalization drops nothing.
 */
export const cumulusFrr: ConfigCollector = defineCollector({
  vendor: 'cumulus-frr',
  displayName: 'NVIDIA Cumulus Linux (FRR)',
  mode: 'exec',
  options: [
    {
      name: 'files',
      type: 'strings',
      default: [...CUMULUS_FRR_FILES],
      doc: 'Absolute paths of the files to back up, in order.',
      check: (value) =>
        Array.isArray(value) &&
        value.length > 0 &&
        value.every((file) => typeof file === 'string' && /^\/[^\0\r\n]*$/.test(file))
          ? undefined
          : 'must list absolute paths, one line each',
    },
  ],
  commands: (context) => {
    const chosen = context.options?.files;
    const files = Array.isArray(chosen) ? (chosen as readonly string[]) : CUMULUS_FRR_FILES;
    return files.map((file) => `cat -- ${quoteForShell(file)}`);
  },
  errorPatterns: [/^cat: .*(?:No such file or directory|Permission denied|Is a directory)/m],
  secrets: FRR_SECRETS,
});
