import type { SimulatedReply, SimulatedSession } from '../types.js';
import type { BuiltInPersonality, PersonalitySettings } from './kit.js';

const pad = (value: number): string => String(value).padStart(2, '0');

/** `2026-03-07:12:00:00`, as tmsh prints file objects' times. */
function tmshTime(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** The ssl-cert file object tmsh lists first, with its times. */
function certificate(session: SimulatedSession): string {
  const changed = session.faults.volatileChangeTimes
    ? session.volatileTime()
    : session.configChangedAt;
  return `sys file ssl-cert /Common/default.crt {
    cache-path /config/filestore/files_d/Common_d/certificate_d/:Common:default.crt_1
    checksum SHA1:1302:4d1a0f0e6b3c2c5f1e7a8b9c0d1e2f3a4b5c6d7e
    create-time 2026-01-01:00:00:00
    created-by root
    last-update-time ${tmshTime(changed)}
    revision ${String(Math.floor(changed.getTime() / 1000) % 100000)}
    size 1302
    updated-by root
}
`;
}

/**
 * F5 BIG-IP 17 (exec, bash as the login shell): `tmsh -q list` (also `tmsh list`, `tmsh -q show
 * running-config`) prints the `sys file ssl-cert /Common/default.crt` object, whose
 * `last-update-time` and `revision` follow the configuration's change time (new on every read under
 * `volatileChangeTimes`), then the configuration; `tmsh -q show sys version` prints the version.
 * An unknown tmsh command: `Syntax Error: "<word>" unknown property` on stderr, exit 1; anything
 * else: bash's `command not found`, exit 127.
 */
export function tmos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'bigip1.example.net';
  return {
    vendor: 'tmos',
    mode: 'exec',
    sampleConfig,
    ident: 'OpenSSH_7.4',
    hostname,
    version: settings.version ?? '17.1.1.3',
    respond(command, session): SimulatedReply | undefined {
      const words = command.trim().split(/\s+/);
      if (words[0] !== 'tmsh') return undefined;
      const rest = words.slice(words[1] === '-q' ? 2 : 1).join(' ');
      if (rest === 'list' || rest === 'show running-config') {
        return { kind: 'config', text: certificate(session) + session.config };
      }
      if (rest === 'show sys version') {
        return {
          kind: 'output',
          text: `\nSys::Version\nMain Package\n  Product     BIG-IP\n  Version     ${session.version}\n`,
        };
      }
      return undefined;
    },
    invalidCommand(command): SimulatedReply {
      const words = command.trim().split(/\s+/);
      if (words[0] === 'tmsh') {
        const bad = words.slice(words[1] === '-q' ? 2 : 1)[0] ?? '';
        return {
          kind: 'output',
          stderr: `Syntax Error: "${bad}" unknown property\n`,
          exitStatus: 1,
        };
      }
      return {
        kind: 'output',
        stderr: `-bash: ${words[0] ?? ''}: command not found\n`,
        exitStatus: 127,
      };
    },
  };
}

/** The `tmos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `ltm node /Common/web-1 {
    address 192.0.2.11
    description "web # 1 > {dmz}"
}
ltm pool /Common/web-pool {
    members {
        /Common/web-1:80 {
            address 192.0.2.11
        }
    }
    monitor /Common/http
}
ltm virtual /Common/web-vs {
    destination /Common/198.51.100.10:80
    ip-protocol tcp
    pool /Common/web-pool
}
sys global-settings {
    gui-setup disabled
    hostname ${hostname}
}
sys sshd {
    banner enabled
    banner-text "#### authorized use only > ####"
}
`;
}
