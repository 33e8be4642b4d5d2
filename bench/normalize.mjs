// Throughput of normalizeConfig('routeros', …) on a 1 MB export, in MB/s (median of several runs).
import { normalizeConfig } from '../dist/index.js';

function routerosExport(targetBytes) {
  const lines = ['# 2026-03-07 12:00:00 by RouterOS 7.16.2', '# software id = ABCD-1234'];
  let size = 0;
  for (let i = 0; size < targetBytes; i++) {
    const block = [
      '/ip firewall filter',
      `add action=accept chain=forward comment="rule ${i}" connection-state=established,related \\`,
      `    dst-address=10.${(i >> 8) & 255}.${i & 255}.0/24 protocol=tcp`,
      `# ether${i % 48} not ready`,
      `set [ find default-name=ether${i % 48} ] comment="port ${i}"   `,
    ];
    for (const line of block) {
      lines.push(line);
      size += line.length + 2;
    }
  }
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

export function measureNormalize(bytes = 1024 * 1024, runs = 15) {
  const input = routerosExport(bytes);
  normalizeConfig('routeros', input); // warm up
  const rates = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    normalizeConfig('routeros', input);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rates.push(input.length / 1e6 / seconds);
  }
  rates.sort((a, b) => a - b);
  return { input_bytes: input.length, mb_per_s: Math.round(rates[Math.floor(runs / 2)] * 10) / 10 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(measureNormalize()));
}
