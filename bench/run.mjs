// `npm run bench`: measures what this version of confsnap can be measured on and writes
// bench/results/latest.json plus a readable table. Needs a build (the npm script builds first).
import { mkdirSync, writeFileSync } from 'node:fs';
import { measureNormalize } from './normalize.mjs';
import { measureScale } from './scale.mjs';

const args = new Map(
  process.argv.slice(2).flatMap((arg) => {
    const match = /^--([^=]+)=(.*)$/.exec(arg);
    return match ? [[match[1], match[2]]] : [];
  }),
);
const scaleDevices = Number(args.get('scale-devices') ?? 100_000);

const results = {
  measured_at: new Date().toISOString(),
  node: process.version,
  scale: await measureScale(scaleDevices),
  normalize: measureNormalize(),
};

const goals = [
  ['scale.heap_bytes_per_device', results.scale.heap_bytes_per_device, '<=', 1024],
  ['scale.reconcile_ms', results.scale.reconcile_ms, '<=', 500],
  ['normalize.mb_per_s', results.normalize.mb_per_s, '>=', 200],
];
console.log('measure                        value      goal');
for (const [name, value, op, goal] of goals) {
  const met = op === '<=' ? value <= goal : value >= goal;
  console.log(
    `${name.padEnd(30)} ${String(value).padStart(8)}   ${op} ${goal} ${met ? 'met' : 'MISSED'}`,
  );
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/latest.json', import.meta.url),
  JSON.stringify(results, null, 2) + '\n',
);
console.log('written bench/results/latest.json');
