import { BUILT_IN_VENDORS } from '../../../collectors/vendors/index.js';
import type { SimulatedPersonality, SimulatedVendorId } from '../types.js';
import { aristaEos } from './arista-eos.js';
import { arubaAoscx } from './aruba-aoscx.js';
import { arubaAosw } from './aruba-aosw.js';
import { arubaInstant } from './aruba-instant.js';
import { ciscoAsa } from './cisco-asa.js';
import { ciscoIos } from './cisco-ios.js';
import { ciscoIosxr } from './cisco-iosxr.js';
import { ciscoNxos } from './cisco-nxos.js';
import { fortios } from './fortios.js';
import { hpeComware } from './hpe-comware.js';
import { huaweiVrp } from './huawei-vrp.js';
import { junos } from './junos.js';
import type { BuiltInPersonality, PersonalitySettings } from './kit.js';
import { linux } from './linux.js';
import { routeros } from './routeros.js';
import { ruckusIcx } from './ruckus-icx.js';
import { vyos } from './vyos.js';
import { pfsense } from './pfsense.js';
import { opnsense } from './opnsense.js';
import { mlnxos } from './mlnxos.js';
import { sonicos } from './sonicos.js';
import { netgear } from './netgear.js';
import { tplink } from './tplink.js';
import { firelinuxos } from './firelinuxos.js';
import { efos } from './efos.js';
import { cumulus } from './cumulus.js';
import { cumulusFrr } from './cumulus-frr.js';
import { panos } from './panos.js';
import { tmos } from './tmos.js';
import { acos } from './acos.js';
import { netscaler } from './netscaler.js';
import { firewareos } from './firewareos.js';
import { zynos } from './zynos.js';
import { dlink } from './dlink.js';
import { opengear } from './opengear.js';
import { edgecos } from './edgecos.js';
import { arubaosSwitch } from './arubaos-switch.js';
import { dellPowerconnect } from './dell-powerconnect.js';
import { dellOs10 } from './dell-os10.js';
import { dellDnos } from './dell-dnos.js';
import { ciscoSmb } from './cisco-smb.js';
import { ciscoAireos } from './cisco-aireos.js';
import { extremeExos } from './extreme-exos.js';
import { extremeVoss } from './extreme-voss.js';
import { ubiquitiEdgeswitch } from './ubiquiti-edgeswitch.js';
import { nokiaSros } from './nokia-sros.js';

export type { PersonalitySettings } from './kit.js';
export { SIMULATED_LINUX_CONFIG_PATH } from './linux.js';

const FACTORIES: Readonly<
  Record<SimulatedVendorId, (settings: PersonalitySettings) => BuiltInPersonality>
> = {
  routeros,
  'cisco-ios': ciscoIos,
  'cisco-nxos': ciscoNxos,
  'cisco-iosxr': ciscoIosxr,
  'cisco-asa': ciscoAsa,
  junos,
  'arista-eos': aristaEos,
  'huawei-vrp': huaweiVrp,
  fortios,
  vyos,
  linux,
  'ruckus-icx': ruckusIcx,
  'aruba-aoscx': arubaAoscx,
  'hpe-comware': hpeComware,
  'aruba-aosw': arubaAosw,
  'aruba-instant': arubaInstant,
  pfsense,
  opnsense,
  mlnxos,
  sonicos,
  netgear,
  tplink,
  firelinuxos,
  efos,
  cumulus,
  panos,
  tmos,
  acos,
  netscaler,
  firewareos,
  zynos,
  dlink,
  opengear,
  edgecos,
  'arubaos-switch': arubaosSwitch,
  'dell-powerconnect': dellPowerconnect,
  'dell-os10': dellOs10,
  'dell-dnos': dellDnos,
  'cisco-smb': ciscoSmb,
  'cisco-aireos': ciscoAireos,
  'extreme-exos': extremeExos,
  'extreme-voss': extremeVoss,
  'ubiquiti-edgeswitch': ubiquitiEdgeswitch,
  'nokia-sros': nokiaSros,
  'cumulus-frr': cumulusFrr,
};

/** Every built-in vendor id, in the order of SPEC §3: the same list as `BUILT_IN_VENDORS`. */
export const SIMULATED_VENDOR_IDS: readonly SimulatedVendorId[] = BUILT_IN_VENDORS;

/**
 * A built-in vendor's personality, e.g. to wrap it with extra commands for a test, or for its
 * {@link SimulatedPersonality.sampleConfig}.
 *
 * @throws {RangeError} for an id that is not a built-in vendor.
 * @example
 * ```ts
 * const ios = simulatedPersonality('cisco-ios', { hostname: 'edge1' });
 * const withVersion: SimulatedPersonality = {
 *   ...ios,
 *   respond: (command, session) =>
 *     command === 'show version'
 *       ? { kind: 'output', text: 'Cisco IOS Software, Version 15.2(4)M7\n' }
 *       : ios.respond(command, session),
 * };
 * await using device = await startSimulatedDevice({
 *   vendor: withVersion,
 *   config: ios.sampleConfig('edge1'),
 * });
 * ```
 */
export function simulatedPersonality(
  vendor: SimulatedVendorId,
  settings: PersonalitySettings = {},
): SimulatedPersonality & Required<Pick<SimulatedPersonality, 'sampleConfig'>> {
  const factory = Object.hasOwn(FACTORIES, vendor) ? FACTORIES[vendor] : undefined;
  if (!factory) {
    throw new RangeError(
      `unknown simulated vendor ${JSON.stringify(vendor)}; built-in: ${SIMULATED_VENDOR_IDS.join(', ')}`,
    );
  }
  return factory(settings);
}
