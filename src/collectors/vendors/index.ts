/**
 * The built-in vendors: their ids, in the order of SPEC §3, and their collectors. Adding a
 * built-in vendor is its collector file, one line in {@link BUILT_IN_VENDORS} and one in
 * {@link BUILT_IN_COLLECTORS} (the type checker asks for it), its simulated personality and its
 * vectors; every list of vendors elsewhere is derived from these.
 *
 * @packageDocumentation
 */
import type { ConfigCollector } from '../types.js';
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

/**
 * The ids of the vendors confsnap ships a collector (and a simulated device) for, in the order of
 * SPEC §3.
 *
 * @example
 * ```ts
 * if ((BUILT_IN_VENDORS as readonly string[]).includes(device.vendor)) {
 *   // a built-in collector will handle it
 * }
 * ```
 */
export const BUILT_IN_VENDORS = Object.freeze([
  'routeros',
  'cisco-ios',
  'cisco-nxos',
  'cisco-iosxr',
  'cisco-asa',
  'junos',
  'arista-eos',
  'huawei-vrp',
  'fortios',
  'vyos',
  'linux',
  'ruckus-icx',
  'aruba-aoscx',
  'hpe-comware',
  'aruba-aosw',
  'aruba-instant',
  'pfsense',
  'opnsense',
  'mlnxos',
  'sonicos',
  'netgear',
  'tplink',
  'firelinuxos',
  'efos',
  'cumulus',
  'panos',
  'tmos',
  'acos',
  'netscaler',
  'firewareos',
  'zynos',
  'dlink',
  'opengear',
  'edgecos',
  'arubaos-switch',
  'dell-powerconnect',
  'dell-os10',
  'dell-dnos',
  'cisco-smb',
  'cisco-aireos',
  'extreme-exos',
  'extreme-voss',
  'ubiquiti-edgeswitch',
  'nokia-sros',
  'cumulus-frr',
] as const);

/** One of {@link BUILT_IN_VENDORS}. */
export type BuiltInVendorId = (typeof BUILT_IN_VENDORS)[number];

/** The built-in collector of each built-in vendor, with its default settings. */
export const BUILT_IN_COLLECTORS: Readonly<Record<BuiltInVendorId, ConfigCollector>> =
  Object.freeze({
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
  });
