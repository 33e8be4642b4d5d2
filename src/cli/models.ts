/**
 * Oxidized's (and NetBox platform slugs') model names, as confsnap vendor ids. Inventories taken
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
  const key = model.trim().toLowerCase();
  return Object.keys(MODEL_VENDORS)
    .map((name) => ({ name, distance: editDistance(key, name) }))
    .filter((entry) => entry.distance <= Math.max(2, Math.floor(key.length / 3)))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((entry) => entry.name);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
