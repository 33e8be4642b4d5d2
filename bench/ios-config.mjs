// The configuration a simulated Cisco IOS device of the shell-mode benchmark holds (bench/shell.mjs):
// interfaces, VLANs, access lists and static routes up to a target size, different per device,
// ending in `end` as `show running-config` does. The device adds the `Building configuration...`
// and `Current configuration` header lines itself.

/** A small deterministic PRNG (mulberry32), so every run serves the same fleet. */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The running configuration of IOS device `index`: `targetBytes` ± 10 % (varied per device),
 * `\n` line ends.
 * @param {number} index
 * @param {number} [targetBytes]
 * @returns {string}
 */
export function iosConfig(index, targetBytes = 30_000) {
  const rand = random(index + 7919);
  const size = Math.round(targetBytes * (0.9 + rand() * 0.2));
  const lines = [
    '!',
    'version 15.2',
    'service timestamps debug datetime msec',
    'service timestamps log datetime msec',
    'service password-encryption',
    '!',
    `hostname sw${index}`,
    '!',
    'boot-start-marker',
    'boot-end-marker',
    '!',
    'enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0',
    '!',
    'no aaa new-model',
    `ip domain name site${index % 97}.example.net`,
    '!',
  ];
  let bytes = lines.reduce((sum, line) => sum + line.length + 1, 0);
  const push = (line) => {
    lines.push(line);
    bytes += line.length + 1;
  };
  const tail = 600; // room for the lines after the loop
  for (let port = 1; bytes < size * 0.6 - tail; port++) {
    push(`interface GigabitEthernet1/0/${port}`);
    push(` description access port ${port}, rack ${1 + (port % 12)}`);
    push(' switchport access vlan ' + (10 + (port % 40)));
    push(' switchport mode access');
    push(' spanning-tree portfast');
    if (rand() < 0.3) push(' shutdown');
    push('!');
  }
  for (let vlan = 10; vlan < 50; vlan++) {
    push(`vlan ${vlan}`);
    push(` name users-${vlan}`);
    push('!');
  }
  for (let rule = 0; bytes < size - tail; rule++) {
    const net = `10.${(rule >> 8) & 255}.${rule & 255}.0`;
    push(
      rand() < 0.5
        ? `access-list ${100 + (rule % 50)} permit tcp ${net} 0.0.0.255 any eq ${[22, 80, 443, 161][rule % 4]}`
        : `ip route ${net} 255.255.255.0 10.${index & 255}.0.${1 + (rule % 250)}`,
    );
  }
  push('!');
  push('snmp-server community s3cr3t RO');
  push('!');
  push('banner motd ^C');
  push('#### Authorized access only > violators prosecuted ####');
  push('^C');
  push('!');
  push('line con 0');
  push('line vty 0 4');
  push(' login local');
  push(' transport input ssh');
  push('!');
  push('end');
  return lines.join('\n') + '\n';
}
