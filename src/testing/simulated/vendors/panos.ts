import { exactCli } from './exact.js';
import { DEFAULT_BANNER, type BuiltInPersonality, type PersonalitySettings } from './kit.js';

type PanosCommand =
  'pager-off' | 'pager-on' | 'format-set' | 'format-default' | 'show-config' | 'exit';

const COMMANDS: Readonly<Record<string, PanosCommand>> = {
  'set cli pager off': 'pager-off',
  'set cli pager on': 'pager-on',
  'set cli config-output-format set': 'format-set',
  'set cli config-output-format default': 'format-default',
  'show config running': 'show-config',
  exit: 'exit',
  quit: 'exit',
};

const PAGER = '--More--';

/**
 * A brace-format configuration as PAN-OS prints it in the set format: one `set <path> <value>`
 * per leaf, without the outer `config`.
 */
export function panosSetFormat(config: string): string {
  const path: string[] = [];
  const out: string[] = [];
  for (const raw of config.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.endsWith('{')) path.push(line.slice(0, -1).trim());
    else if (line === '}') path.pop();
    else out.push(['set', ...path.slice(1), line.replace(/;$/, '')].join(' '));
  }
  return out.map((line) => `${line}\n`).join('');
}

/**
 * Palo Alto PAN-OS 10/11, operational mode: prompt `admin@PA-220> `; a pager (`--More--`) that `set cli pager off` turns off; `set cli config-output-format set` switches
 * `show config running` from the brace format to the set format. Commands must be typed in full:
 * anything else is `Unknown command: <word>` (an unknown first word) or `Invalid syntax.`.
 */
export function panos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'PA-220';
  return {
    vendor: 'panos',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_8.0',
    hostname,
    version: settings.version ?? '10.2.9-h1',
    prompt: `admin@${hostname}> `,
    banner: `Last login: Thu Dec  3 10:00:00 2026 from 192.0.2.9\n\n${DEFAULT_BANNER}\n`,
    telnetLogin: {
      greeting: '\r\n',
      usernamePrompt: 'login: ',
      passwordPrompt: 'Password: ',
      failureText: '\r\nLogin incorrect\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    ...exactCli({
      commands: COMMANDS,
      handle(id, session) {
        switch (id) {
          case 'pager-off':
            session.paging = false;
            return { kind: 'output' };
          case 'pager-on':
            session.paging = true;
            return { kind: 'output' };
          case 'format-set':
            session.flags.add('set-format');
            return { kind: 'output' };
          case 'format-default':
            session.flags.delete('set-format');
            return { kind: 'output' };
          case 'exit':
            return { kind: 'exit' };
          case 'show-config':
            return {
              kind: 'config',
              text: session.flags.has('set-format')
                ? panosSetFormat(session.config)
                : session.config,
            };
        }
      },
      invalidText: (command) => {
        const first = command.trim().split(/\s+/)[0] ?? '';
        return ['show', 'set', 'exit', 'quit'].includes(first)
          ? '\nInvalid syntax.\n\n'
          : `\nUnknown command: ${first}\n`;
      },
    }),
  };
}

/** The `panos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `config {
  mgt-config {
    users {
      admin {
        permissions {
          role-based {
            superuser yes;
          }
        }
      }
    }
  }
  devices {
    localhost.localdomain {
      deviceconfig {
        system {
          hostname ${hostname};
          login-banner "#### authorized use only > ####";
        }
      }
      vsys {
        vsys1 {
          address {
            web-1 {
              ip-netmask 192.0.2.10/32;
              description "web # 1 > {dmz}";
            }
          }
        }
      }
    }
  }
}
`;
}
