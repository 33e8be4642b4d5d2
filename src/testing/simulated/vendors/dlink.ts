import {
  abbreviatingCli,
  configReply,
  type BuiltInPersonality,
  type CommandSyntax,
  type PersonalitySettings,
} from './kit.js';

type DlinkCommand = 'clipaging-off' | 'clipaging-on' | 'show-config' | 'exit';

const SYNTAX: readonly CommandSyntax<DlinkCommand>[] = [
  { id: 'clipaging-off', words: ['disable', 'clipaging'] },
  { id: 'clipaging-on', words: ['enable', 'clipaging'] },
  { id: 'show-config', words: ['show', 'config', 'current'] },
  { id: 'exit', words: ['logout'] },
];

const PAGER = 'CTRL+C ESC q Quit SPACE n Next Page ENTER Next Entry a All';
const RULE = `#${'-'.repeat(67)}`;

/**
 * D-Link DGS-3120 (firmware 4.04): prompt `DGS-3120-24TC:admin#`; every command is echoed as
 * `Command: <command>` and a blank line; pager `CTRL+C ESC q Quit SPACE n Next Page ENTER Next
 * Entry a All` that `disable clipaging` turns off (answering `Success.`). `show config current`
 * prints the header comment block with the firmware, the configuration and the `End of
 * configuration file` block. An unknown command: `Available commands:` and a list.
 */
export function dlink(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'DGS-3120-24TC';
  const echo = (command: string): string => `Command: ${command.trim()}\n\n`;
  const cli = abbreviatingCli({
    syntax: SYNTAX,
    handle(id, _args, session) {
      switch (id) {
        case 'clipaging-off':
          session.paging = false;
          return { kind: 'output', text: `${echo('disable clipaging')}Success.\n\n` };
        case 'clipaging-on':
          session.paging = true;
          return { kind: 'output', text: `${echo('enable clipaging')}Success.\n\n` };
        case 'exit':
          return { kind: 'exit' };
        case 'show-config':
          return configReply(
            [
              'Command: show config current',
              '',
              RULE,
              `#                       ${hostname} Gigabit Ethernet Switch`,
              '#                                Configuration',
              '#',
              `#                          Firmware: Build ${session.version}`,
              '#           Copyright(C) 2013 D-Link Corporation. All rights reserved.',
              RULE,
              '',
            ],
            `${session.config}\n${RULE}\n#             End of configuration file\n${RULE}\n`,
          );
      }
    },
    invalidText: () =>
      'Available commands:\n..                  ?                   cable_diag          clear\nconfig              create              delete              disable\n',
  });
  return {
    vendor: 'dlink',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_5.1',
    hostname,
    version: settings.version ?? '4.04.B005',
    prompt: `${hostname}:admin#`,
    banner: `\n                     ${hostname} Gigabit Ethernet Switch\n                            Command Line Interface\n  # authorized > users only #\n`,
    telnetLogin: {
      greeting: '\r\n',
      usernamePrompt: 'UserName:',
      passwordPrompt: 'PassWord:',
      failureText: '\r\nFail!\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    respond: cli.respond,
    invalidCommand: (command, session) => {
      const reply = cli.invalidCommand(command, session);
      return { ...reply, text: echo(command) + (reply.text ?? '') };
    },
  };
}

/** The `dlink` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `# BASIC

config snmp system_name ${hostname}
config snmp system_location "rack # 4 > row 2"

# VLAN

create vlan users tag 20
config vlan users add untagged 1-20

# IP

config ipif System ipaddress 192.0.2.70/24 vlan default
`;
}
