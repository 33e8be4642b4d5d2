import { firewallXmlCli } from './firewall-xml.js';
import type { BuiltInPersonality, PersonalitySettings } from './kit.js';

/**
 * OPNsense (exec, `\n` line ends): `cat /conf/config.xml` prints the configuration, indented by two
 * spaces, with a `<revision>` block before `</opnsense>` (its time moves on every read under the
 * `volatileChangeTimes` fault); `opnsense-version` prints `OPNsense <version>`. Other commands:
 * `foo: Command not found.` on stderr, exit status 1; under the `commandError` fault, `cat`
 * answers `Permission denied`.
 */
export function opnsense(settings: PersonalitySettings = {}): BuiltInPersonality {
  return {
    vendor: 'opnsense',
    mode: 'exec',
    sampleConfig,
    ident: 'OpenSSH_9.3',
    hostname: settings.hostname ?? 'OPNsense',
    version: settings.version ?? '23.7',
    ...firewallXmlCli({
      configPath: '/conf/config.xml',
      rootEnd: '</opnsense>',
      indent: '  ',
      extra: { 'opnsense-version': (session) => `OPNsense ${session.version}\n` },
    }),
  };
}

/** The `opnsense` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `<?xml version="1.0"?>
<opnsense>
  <theme>opnsense</theme>
  <system>
    <hostname>${hostname}</hostname>
    <domain>example.net</domain>
  </system>
  <interfaces>
    <lan>
      <enable>1</enable>
      <if>vtnet0</if>
      <descr>LAN # core ></descr>
      <ipaddr>192.0.2.9</ipaddr>
      <subnet>24</subnet>
    </lan>
  </interfaces>
</opnsense>
`;
}
