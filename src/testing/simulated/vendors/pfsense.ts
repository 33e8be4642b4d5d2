import { firewallXmlCli } from './firewall-xml.js';
import type { BuiltInPersonality, PersonalitySettings } from './kit.js';

/**
 * pfSense CE (exec, `\n` line ends): `cat /cf/conf/config.xml` prints the configuration, tab
 * indented, with a `<revision>` block before `</pfsense>` (its time moves on every read under the
 * `volatileChangeTimes` fault); `cat /etc/version` prints the version. Other commands: tcsh's
 * `foo: Command not found.` on stderr, exit status 1; under the `commandError` fault, `cat`
 * answers `Permission denied`.
 */
export function pfsense(settings: PersonalitySettings = {}): BuiltInPersonality {
  return {
    vendor: 'pfsense',
    mode: 'exec',
    sampleConfig,
    ident: 'OpenSSH_9.3',
    hostname: settings.hostname ?? 'pfSense',
    version: settings.version ?? '2.7.2-RELEASE',
    ...firewallXmlCli({
      configPath: '/cf/conf/config.xml',
      rootEnd: '</pfsense>',
      indent: '\t',
      extra: { 'cat /etc/version': (session) => `${session.version}\n` },
    }),
  };
}

/** The `pfsense` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `<?xml version="1.0"?>
<pfsense>
\t<version>23.3</version>
\t<system>
\t\t<hostname>${hostname}</hostname>
\t\t<domain>example.net</domain>
\t</system>
\t<interfaces>
\t\t<wan>
\t\t\t<enable></enable>
\t\t\t<if>em0</if>
\t\t\t<descr><![CDATA[uplink # core >]]></descr>
\t\t\t<ipaddr>192.0.2.8</ipaddr>
\t\t\t<subnet>24</subnet>
\t\t</wan>
\t</interfaces>
</pfsense>
`;
}
