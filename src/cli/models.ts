/**
 * Oxidized's (and NetBox platform slugs') model names, as confsnap vendor ids — one table for
 * router.db and the HTTP source. Inventories taken
 * from Oxidized, RANCID or NetBox name the platform their way; this table says which built-in
 * collector backs each up. Keys are lower case.
 */
export const MODEL_VENDORS: Readonly<Record<string, string>> = Object.freeze({
  ios: 'cisco-ios',
  iosxe: 'cisco-ios',
  'cisco-ios': 'cisco-ios',
  'cisco-ios-xe': 'cisco-ios',
  nxos: 'cisco-nxos',
  'cisco-nxos': 'cisco-nxos',
  iosxr: 'cisco-iosxr',
  'cisco-iosxr': 'cisco-iosxr',
  'cisco-ios-xr': 'cisco-iosxr',
  asa: 'cisco-asa',
  'cisco-asa': 'cisco-asa',
  junos: 'junos',
  'juniper-junos': 'junos',
  eos: 'arista-eos',
  'arista-eos': 'arista-eos',
  vrp: 'huawei-vrp',
  'huawei-vrp': 'huawei-vrp',
  fortios: 'fortios',
  vyatta: 'vyos',
  vyos: 'vyos',
  edgeos: 'vyos',
  routeros: 'routeros',
  'mikrotik-routeros': 'routeros',
  linuxgeneric: 'linux',
  linux: 'linux',
  ironware: 'ruckus-icx',
  fastiron: 'ruckus-icx',
  'ruckus-icx': 'ruckus-icx',
  aoscx: 'aruba-aoscx',
  'arubaos-cx': 'aruba-aoscx',
  'aruba-aoscx': 'aruba-aoscx',
  comware: 'hpe-comware',
  h3c: 'hpe-comware',
  'hp-comware': 'hpe-comware',
  'hpe-comware': 'hpe-comware',
  aosw: 'aruba-aosw',
  'aruba-aosw': 'aruba-aosw',
  arubainstant: 'aruba-instant',
  'aruba-instant': 'aruba-instant',
  pfsense: 'pfsense',
  opnsense: 'opnsense',
  mlnxos: 'mlnxos',
  onyx: 'mlnxos',
  sonicos: 'sonicos',
  netgear: 'netgear',
  tplink: 'tplink',
  firelinuxos: 'firelinuxos',
  ftd: 'firelinuxos',
  efos: 'efos',
  cumulus: 'cumulus',
  panos: 'panos',
  'paloalto-panos': 'panos',
  tmos: 'tmos',
  'f5-tmos': 'tmos',
  'f5-bigip': 'tmos',
  acos: 'acos',
  'a10-acos': 'acos',
  netscaler: 'netscaler',
  'citrix-netscaler': 'netscaler',
  firewareos: 'firewareos',
  'watchguard-fireware': 'firewareos',
  zynos: 'zynos',
  zyxel: 'zynos',
  dlink: 'dlink',
  'd-link': 'dlink',
  opengear: 'opengear',
  edgecos: 'edgecos',
  edgecore: 'edgecos',
  procurve: 'arubaos-switch',
  'arubaos-switch': 'arubaos-switch',
  'aruba-os-switch': 'arubaos-switch',
  'hp-procurve': 'arubaos-switch',
  powerconnect: 'dell-powerconnect',
  'dell-powerconnect': 'dell-powerconnect',
  os10: 'dell-os10',
  'dell-os10': 'dell-os10',
  dnos: 'dell-dnos',
  ftos: 'dell-dnos',
  force10: 'dell-dnos',
  'dell-dnos': 'dell-dnos',
  ciscosmb: 'cisco-smb',
  'cisco-smb': 'cisco-smb',
  'cisco-sb': 'cisco-smb',
  aireos: 'cisco-aireos',
  'cisco-aireos': 'cisco-aireos',
  'cisco-wlc': 'cisco-aireos',
  xos: 'extreme-exos',
  exos: 'extreme-exos',
  'extreme-exos': 'extreme-exos',
  voss: 'extreme-voss',
  'extreme-voss': 'extreme-voss',
  edgeswitch: 'ubiquiti-edgeswitch',
  'ubiquiti-edgeswitch': 'ubiquiti-edgeswitch',
  sros: 'nokia-sros',
  timos: 'nokia-sros',
  'nokia-sros': 'nokia-sros',
  'cumulus-frr': 'cumulus-frr',
  'cumulus-linux-frr': 'cumulus-frr',
});

/**
 * The confsnap vendor id for a model name (case-insensitive), or `undefined` when the table has
 * none: the caller names the model and {@link closestModels} in its error.
 *
 * @example
 * ```ts
 * vendorForModel('IOSXE'); // 'cisco-ios'
 * vendorForModel('edgeos'); // 'vyos'
 * ```
 */
export function vendorForModel(model: string): string | undefined {
  const key = model.trim().toLowerCase();
  return Object.hasOwn(MODEL_VENDORS, key) ? MODEL_VENDORS[key] : undefined;
}

/** Up to three known model names closest to `model` (by edit distance), nearest first. */
export function closestModels(model: string): string[] {
  return closestNames(model.trim(), Object.keys(MODEL_VENDORS));
}

/** Up to three of `names` nearest to `name` by edit distance (case-insensitive), nearest first. */
export function closestNames(name: string, names: readonly string[]): string[] {
  const lower = name.toLowerCase();
  const limit = Math.max(2, Math.floor(lower.length / 2));
  return [...new Set(names)]
    .map((candidate) => ({ candidate, distance: editDistance(lower, candidate.toLowerCase()) }))
    .filter(({ distance }) => distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
