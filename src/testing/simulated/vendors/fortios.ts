import { randomBytes } from 'node:crypto';
import type { SimulatedReply } from '../types.js';
import { DEFAULT_BANNER, type PersonalitySettings, type BuiltInPersonality } from './kit.js';

const PAGER = '--More-- ';

/**
 * Every `ENC <value>` in the configuration gets a fresh random base64 value of about the same
 * length on each read, as FortiOS re-salts encrypted secrets whenever it prints them.
 */
export function resaltEncryptedValues(config: string): string {
  return config.replace(/\bENC (\S+)/g, (_match, value: string) => {
    const bytes = Math.max(12, Math.floor((value.length * 3) / 4));
    return `ENC ${randomBytes(bytes).toString('base64')}`;
  });
}

/**
 * FortiOS: prompt `fw1 # ` (with its trailing space), pager `--More-- ` erased with `\r`, spaces,
 * `\r`. Paging cannot be turned off (confsnap must not change console settings), so long output
 * always pages. `show` and `show full-configuration` print the configuration with every
 * `ENC <value>` re-salted (see {@link resaltEncryptedValues}); `get system status` prints the
 * version. Unknown commands: `Unknown action 0`.
 */
export function fortios(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'fw1';
  const version = settings.version ?? '7.2.5';
  const unknown: SimulatedReply = { kind: 'output', text: 'Unknown action 0\n' };
  return {
    vendor: 'fortios',
    mode: 'shell',
    sampleConfig,
    ident: 'FortiSSH',
    hostname,
    version,
    prompt: `${hostname} # `,
    banner: DEFAULT_BANNER,
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    respond(command, session) {
      const words = command.split(/\s+/);
      if (command === 'show' || command === 'show full-configuration') {
        return { kind: 'config', text: resaltEncryptedValues(session.config) };
      }
      if (command === 'get system status') {
        return {
          kind: 'output',
          text: `Version: FortiGate-60F v${session.version},build1517,230606 (GA.F)\nHostname: ${session.hostname}\n`,
        };
      }
      if (
        words.length === 1 &&
        (command === 'exit' || command === 'quit' || command === 'logout')
      ) {
        return { kind: 'exit' };
      }
      return undefined;
    },
    invalidCommand: () => unknown,
  };
}

/** The `fortios` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `config system global
    set hostname "${hostname}"
    set admintimeout 30
end
config system admin
    edit "admin"
        set password ENC SH2abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH=
    next
end
config firewall address
    edit "web # server >"
        set subnet 192.0.2.10 255.255.255.255
    next
end
`;
}
