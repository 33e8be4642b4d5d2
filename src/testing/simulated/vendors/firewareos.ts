import { exactCli } from './exact.js';
import { type BuiltInPersonality, type PersonalitySettings } from './kit.js';

/**
 * WatchGuard Fireware 12: prompt `WG#`; never pages. `export config to console` prints the XML
 * profile (`<?xml …?>`, `<profile>`, `<version>`). Commands must be typed in full: anything else is
 * `% Invalid command` (the answer of a CLI in the style of Cisco's, which Fireware's is).
 */
export function firewareos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'WG';
  return {
    vendor: 'firewareos',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_8.4',
    hostname,
    version: settings.version ?? '12.10.4',
    prompt: `${hostname}#`,
    banner: '--\n-- WatchGuard Fireware OS > authorized use only # \n--\n',
    ...exactCli({
      commands: { 'export config to console': 'export', exit: 'exit' },
      handle: (id, session) =>
        id === 'exit'
          ? { kind: 'exit' }
          : {
              kind: 'config',
              text: `<?xml version="1.0"?>\n<profile>\n  <version>${session.version}</version>\n${session.config}`,
            },
      invalidText: () => '% Invalid command\n',
    }),
  };
}

/** The `firewareos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `  <base-model>T40</base-model>
  <system-parameters>
    <device-conf>
      <system-name>${hostname}</system-name>
      <description>branch # 1 &gt; &lt;main&gt;</description>
    </device-conf>
  </system-parameters>
  <interface-list>
    <interface>
      <name>External</name>
      <ip>203.0.113.2</ip>
    </interface>
  </interface-list>
</profile>
`;
}
