// `npm run bench`: measures what this version of confsnap can be measured on and writes
// bench/results/latest.json plus a readable table. Needs a build (the npm script builds first).
//
//   npm run bench -- [--devices=1000] [--concurrency=50] [--rounds=3]
//                    [--sshd-devices=min(devices,500)] [--sshd-rounds=1]
//                    [--config-bytes=30000] [--scale-devices=1000000]
//                    [--skip=raw,confsnap,scheduled,openssh,python,asyncssh,paramiko,
//                            throughput,jump,scale,normalize,stages,latency,shell,netmiko,
//                            rancid,cli]
//                    [--jump-devices=500] devices behind one OpenSSH jump host (bench/jump.mjs)
//                    [--latency-devices=2000] [--latency-concurrency=200] devices answering
//                                  after 1–3 s (bench/latency.mjs)
//                    [--shell-devices=200] Cisco IOS shell fleet: confsnap, Netmiko, RANCID
//                                  clogin at --concurrency (bench/shell.mjs)
//                    [--cli-devices=200] peak RSS of `confsnap backup` at concurrency 50
//                                  (bench/cli.mjs)
//                    [--quick]     200 devices, one round, 20 000 scale devices, 400 latency
//                                  devices at concurrency 100, 50 shell devices (for development)
//                    [--profile]   writes bench/results/<contender>-<round>.cpuprofile and
//                                  prints where confsnap's first round spent its time
//                    [--profile-top=FILE[,FILE]] only prints that summary of existing profiles
//                                  (self time by package and function; wall-clock samples, so
//                                  profile on a quiet machine)
//                    [--ladder]    adds diagnostic contenders: collectConfig alone, the scheduler
//                                  with an in-memory publisher, the scheduler with NATS, no Redis
//                    [--dist=PATH] imports confsnap from another build (e.g. a patched copy)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { measureCli } from './cli.mjs';
import { measureJump } from './jump.mjs';
import { measureLatency } from './latency.mjs';
import { measureNormalize, measureStages } from './normalize.mjs';
import { measureScaleInChild } from './scale.mjs';
import { measureShell } from './shell.mjs';
import { measureThroughput, stopAll } from './throughput.mjs';

const args = new Map(
  process.argv.slice(2).flatMap((arg) => {
    const match = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    return match ? [[match[1], match[2] ?? 'true']] : [];
  }),
);
/** Which package or part of the runtime a URL belongs to. */
function packageOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  // The run's copy of dist/ lives under node_modules/.cache/confsnap-bench/.
  if (/\/dist\/|\/confsnap-bench\//.test(url)) return 'confsnap (dist)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.startsWith('node:')) return 'node internals';
  if (/\/bench\//.test(url)) return 'bench';
  return url;
}

/** Self milliseconds per profile node id. */
function selfTimes(profile) {
  const self = new Map();
  const { samples = [], timeDeltas = [] } = profile;
  for (let i = 0; i < samples.length; i++) {
    // A sample's time is the delta to the next one (the last sample gets none).
    const ms = (timeDeltas[i + 1] ?? 0) / 1000;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + ms);
  }
  return self;
}

function summarize(profile) {
  const self = selfTimes(profile);
  const byFunction = new Map();
  const byPackage = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    if (ms === 0) continue;
    total += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const where = url
      ? `${url.replace(/^.*\/(confsnap-bench\/[^/]+|node_modules|dist|bench)\//, '$1/').replace(/^confsnap-bench\/[^/]+\//, 'dist/')}:${lineNumber + 1}`
      : '';
    const key = `${name} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    const pkg = packageOf(url, name);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
  }
  const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return { total, byFunction: sorted(byFunction), byPackage: sorted(byPackage) };
}

/** Prints where a CPU profile spent its time: self time by package and by function. */
function printProfile(file, top = 25) {
  const { total, byFunction, byPackage } = summarize(JSON.parse(readFileSync(file, 'utf8')));
  const idle = byPackage.find(([name]) => name === '(idle)')?.[1] ?? 0;
  const busy = total - idle;
  const line = ([name, ms]) =>
    `${ms.toFixed(0).padStart(8)} ms ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${name === '(idle)' ? '' : `${((ms / busy) * 100).toFixed(1).padStart(5)} % of busy`}  ${name}`;
  console.log(`\n${file}: ${total.toFixed(0)} ms sampled, ${busy.toFixed(0)} ms busy`);
  console.log('self time by package');
  for (const entry of byPackage.slice(0, 12)) console.log(line(entry));
  console.log(`self time by function (top ${top})`);
  for (const entry of byFunction.slice(0, top)) console.log(line(entry));
}

if (args.has('profile-top')) {
  for (const file of args.get('profile-top').split(',')) printProfile(file);
  process.exit(0);
}

const quick = args.get('quick') === 'true';
const number = (name, fallback) => {
  const value = Number(args.get(name) ?? fallback);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} must be an integer >= 1, got ${args.get(name)}`);
    process.exit(2);
  }
  return value;
};
const skip = new Set(
  (args.get('skip') ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean),
);
const scaleDevices = number('scale-devices', quick ? 20_000 : 1_000_000);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the benchmark's servers`);
    void stopAll().finally(() => process.exit(130));
  });
}

const measuredAt = new Date().toISOString();
// Scale and normalize first, on a machine the fleet does not load yet.
const scale = skip.has('scale') ? undefined : measureScaleInChild(scaleDevices);
const normalize = skip.has('normalize') ? undefined : measureNormalize();
const stages = skip.has('stages') ? undefined : await measureStages();
let throughput;
if (!skip.has('throughput')) {
  throughput = await measureThroughput({
    devices: number('devices', quick ? 200 : 1000),
    concurrency: number('concurrency', 50),
    configBytes: number('config-bytes', 30_000),
    rounds: number('rounds', quick ? 1 : 3),
    sshdDevices: number('sshd-devices', Math.min(number('devices', quick ? 200 : 1000), 500)),
    sshdRounds: number('sshd-rounds', 1),
    skip,
    ladder: args.get('ladder') === 'true',
    dist: args.get('dist'),
    profile: args.get('profile') === 'true',
    log: (line) => console.error(`  ${line}`),
  });
}
const jump = skip.has('jump')
  ? undefined
  : await measureJump({
      devices: number('jump-devices', quick ? 200 : 500),
      concurrency: number('concurrency', 50),
      configBytes: number('config-bytes', 30_000),
      dist: args.get('dist'),
      log: (line) => console.error(`  jump: ${line}`),
    });
const latency = skip.has('latency')
  ? undefined
  : await measureLatency({
      devices: number('latency-devices', quick ? 400 : 2000),
      concurrency: number('latency-concurrency', quick ? 100 : 200),
      configBytes: number('config-bytes', 30_000),
      dist: args.get('dist'),
      log: (line) => console.error(`  latency: ${line}`),
    });
const shell = skip.has('shell')
  ? undefined
  : await measureShell({
      devices: number('shell-devices', quick ? 50 : 200),
      concurrency: number('concurrency', 50),
      configBytes: number('config-bytes', 30_000),
      dist: args.get('dist'),
      skip,
      log: (line) => console.error(`  shell: ${line}`),
    });
const cli = skip.has('cli')
  ? undefined
  : await measureCli({
      devices: number('cli-devices', 200),
      concurrency: 50,
      configBytes: number('config-bytes', 30_000),
      dist: args.get('dist'),
      log: (line) => console.error(`  cli: ${line}`),
    });
const results = {
  measured_at: measuredAt,
  node: process.version,
  cpus: cpus().length,
  ...(throughput ? { throughput } : {}),
  ...(latency ? { latency } : {}),
  ...(shell ? { shell } : {}),
  ...(jump ? { jump } : {}),
  ...(cli ? { cli } : {}),
  ...(scale ? { scale } : {}),
  ...(normalize ? { normalize } : {}),
  ...(stages ? { stages } : {}),
};

const t = results.throughput;
if (t) {
  const fmt = (value) => (value === null || value === undefined ? 'n/a' : String(value));
  const cpu = (name) => {
    const c = t.cpu_ms_per_device[name];
    if (!c) return ['', ''];
    const servers = Object.entries(c)
      .filter(([key, value]) => key !== 'client' && value !== null && value >= 0.05)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ');
    return [fmt(c.client), servers];
  };
  const row = (name, perS, vs, sample) => {
    if (!t.samples[sample]) return; // not run (skipped, or its tool is not installed)
    const [client, servers] = cpu(sample);
    console.log(
      `${name.padEnd(44)} ${fmt(perS).padStart(7)}  ${vs.padEnd(20)} ${client.padStart(6)}  ${servers}`,
    );
  };
  const ofRaw = (value) =>
    value && t.raw_ssh2_per_s ? `${Math.round((value / t.raw_ssh2_per_s) * 100) / 100} of raw` : '';
  console.log(
    `\nthroughput: ${t.devices} devices (sshd: ${t.sshd.devices} sessions), concurrency ${t.concurrency}, ~${Math.round(t.config_bytes / 1000)} KB RouterOS exports, best of ${t.rounds} round(s)`,
  );
  console.log(
    `${'contender'.padEnd(44)} ${'dev/s'.padStart(7)}  ${'confsnap vs it'.padEnd(20)} ${'client'.padStart(6)}  servers (CPU ms per device)`,
  );
  row('raw ssh2 loop (the ceiling)', t.raw_ssh2_per_s, '', 'raw_ssh2');
  row('confsnap trigger (full pipeline)', t.confsnap_per_s, ofRaw(t.confsnap_per_s), 'confsnap');
  row(
    'confsnap scheduled (+ gate, last-success)',
    t.confsnap_scheduled_per_s,
    ofRaw(t.confsnap_scheduled_per_s),
    'confsnap_scheduled',
  );
  row(
    `asyncssh ${fmt(t.versions.asyncssh)}`,
    t.asyncssh_per_s,
    `${fmt(t.ratio_vs_asyncssh)}x`,
    'asyncssh',
  );
  row(
    `paramiko ${fmt(t.versions.paramiko)}`,
    t.paramiko_per_s,
    `${fmt(t.ratio_vs_paramiko)}x`,
    'paramiko',
  );
  row(
    'OpenSSH `ssh` per device (one sshd)',
    t.openssh_spawn_per_s,
    `${fmt(t.ratio_vs_openssh)}x`,
    'openssh',
  );
  row(
    '  OpenSSH `ssh`, curve25519 key exchange',
    t.sshd.openssh_curve25519_per_s,
    '',
    'openssh_curve25519',
  );
  row('  raw ssh2 against that sshd', t.sshd.raw_ssh2_per_s, '', 'sshd_raw_ssh2');
  row(
    '  confsnap against that sshd',
    t.sshd.confsnap_per_s,
    `${fmt(t.sshd.ratio_vs_openssh)}x same server`,
    'sshd_confsnap',
  );
  if (t.ladder) {
    row(
      'diagnostic: collectConfig alone',
      t.ladder.collect_per_s,
      ofRaw(t.ladder.collect_per_s),
      'collect',
    );
    row(
      'diagnostic: scheduler, memory publisher',
      t.ladder.scheduler_memory_per_s,
      ofRaw(t.ladder.scheduler_memory_per_s),
      'scheduler_memory',
    );
    row(
      'diagnostic: scheduler, NATS, no Redis',
      t.ladder.scheduler_nats_per_s,
      ofRaw(t.ladder.scheduler_nats_per_s),
      'scheduler_nats',
    );
  }
  console.log(
    `load average before ${t.load_average.before.join(' ')}, after ${t.load_average.after.join(' ')} (${results.cpus} cores)`,
  );
  for (const note of t.notes) console.log(`note: ${note}`);
}

if (jump) {
  console.log(
    `\njump hosts: ${jump.devices} devices behind ONE OpenSSH sshd bastion (one shared login), concurrency ${jump.concurrency}`,
  );
  console.log(
    `direct connections                           ${String(jump.direct_per_s).padStart(7)} dev/s`,
  );
  console.log(
    `through the jump host                        ${String(jump.jump_per_s).padStart(7)} dev/s  ${jump.ratio_vs_direct} of direct`,
  );
  console.log(
    `  with the default 10 channels per hop       ${String(jump.jump_default_per_s).padStart(7)} dev/s`,
  );
  console.log(`logins to the bastion: ${jump.bastion_logins} over both runs`);
  const cpu = jump.cpu_ms_per_device;
  if (cpu) {
    console.log(
      `CPU ms per device: direct client ${cpu.direct.client}, fleet ${cpu.direct.fleet}; through the jump host client ${cpu.jump.client}, fleet ${cpu.jump.fleet}, sshd ${cpu.jump.sshd}`,
    );
    console.log(
      `load average before ${jump.load_average.before}, after ${jump.load_average.after} (${results.cpus} cores)`,
    );
  }
}

if (latency) {
  console.log(
    `\nlatency: ${latency.devices} devices answering after ${latency.delay_ms.join('–')} ms, concurrency ${latency.concurrency} (no client cost: ${latency.ideal_per_s} dev/s)`,
  );
  const cpu = latency.cpu_ms_per_device;
  console.log(
    `raw ssh2 loop                                ${String(latency.raw_ssh2_per_s).padStart(7)} dev/s  client ${cpu.raw_ssh2?.client} ms/device, ${Math.round((latency.raw_cpu_share ?? 0) * 100)} % of the machine's CPU (${Math.round((latency.raw_machine_cpu_share ?? 0) * 100)} % with the fleet)`,
  );
  console.log(
    `confsnap trigger (full pipeline)             ${String(latency.confsnap_per_s).padStart(7)} dev/s  client ${cpu.confsnap?.client} ms/device, ${latency.ratio_vs_raw} of raw`,
  );
  console.log(
    `RSS per in-flight session: confsnap ${latency.rss_kb_per_session} KB, raw ssh2 ${latency.raw_rss_kb_per_session} KB (plateau − idle, ÷ concurrency; KB idle → plateau: confsnap ${latency.rss_kb.confsnap?.idle} → ${latency.rss_kb.confsnap?.plateau}, raw ${latency.rss_kb.raw_ssh2?.idle} → ${latency.rss_kb.raw_ssh2?.plateau})`,
  );
}

if (shell) {
  console.log(
    `\nshell: ${shell.devices} simulated Cisco IOS devices (shell, show running-config), concurrency ${shell.concurrency}`,
  );
  const cpu = shell.cpu_ms_per_device;
  const line = (name, perS, key, vs) =>
    cpu[key] &&
    console.log(
      `${name.padEnd(44)} ${String(perS).padStart(7)} dev/s  ${vs.padEnd(12)} client ${cpu[key].client} ms/device, fleet ${cpu[key].fleet}`,
    );
  line('confsnap trigger (full pipeline)', shell.confsnap_per_s, 'confsnap', '');
  line(
    `Netmiko ${shell.versions.netmiko}`,
    shell.netmiko_per_s,
    'netmiko',
    `${shell.ratio_vs_netmiko}x`,
  );
  line(
    `RANCID clogin ${shell.versions.rancid}`,
    shell.rancid_per_s,
    'rancid',
    `${shell.ratio_vs_rancid}x`,
  );
  for (const note of shell.notes) console.log(`note: ${note}`);
}

if (cli) {
  console.log(
    `\ncli: confsnap backup of ${cli.devices} devices at concurrency ${cli.concurrency}: peak RSS ${cli.peak_rss_mb} MB, ${cli.seconds} s, ${cli.succeeded} backed up, ${cli.failed} failed`,
  );
}

if (stages) {
  console.log(
    `\nCPU µs per device of steps confsnap adds to the bare loop (${stages.input_bytes} B exports): ${Object.entries(
      stages.us_per_device,
    )
      .map(([name, us]) => `${name} ${us}`)
      .join(', ')}`,
  );
}

// The goals of issue 17 (docs/performance.md, "Goals"). ratio_vs_raw and ratio_vs_paramiko are
// reported without one.
const goals = [
  ['throughput.cpu_ratio_vs_raw', t?.cpu_ratio_vs_raw, '<=', 1.3],
  ['throughput.ratio_vs_raw', t?.ratio_vs_raw, '', null],
  ['throughput.ratio_vs_openssh', t?.ratio_vs_openssh, '>=', 2.5],
  ['throughput.sshd.ratio_vs_openssh', t?.sshd.ratio_vs_openssh, '>=', 2.5],
  ['throughput.ratio_vs_asyncssh', t?.ratio_vs_asyncssh, '>=', 1.3],
  ['throughput.ratio_vs_paramiko', t?.ratio_vs_paramiko, '', null],
  ['latency.ratio_vs_raw', latency?.ratio_vs_raw, '>=', 0.97],
  ['latency.raw_cpu_share', latency?.raw_cpu_share, '<', 0.5],
  ['latency.rss_kb_per_session', latency?.rss_kb_per_session, '<=', 100],
  ['shell.ratio_vs_netmiko', shell?.ratio_vs_netmiko, '>=', 5],
  ['shell.ratio_vs_rancid', shell?.ratio_vs_rancid, '>=', 5],
  ['jump.ratio_vs_direct', jump?.ratio_vs_direct, '>=', 0.8],
  ['cli.peak_rss_mb', cli?.peak_rss_mb, '<=', 80],
  ['scale.heap_bytes_per_device', results.scale?.heap_bytes_per_device, '<=', 400],
  ['scale.reconcile_ms', results.scale?.reconcile_ms, '<=', 3000],
  ['normalize.ratio_vs_naive', results.normalize?.ratio_vs_naive, '>=', 1.0],
];
console.log('\nmeasure                              value      goal');
for (const [name, value, op, goal] of goals) {
  if (value === undefined) continue;
  const met =
    value !== null &&
    (op === '<=' ? value <= goal : op === '<' ? value < goal : op === '>=' ? value >= goal : true);
  const verdict =
    value === null ? 'not measured' : goal === null ? '(no goal)' : met ? 'met' : 'MISSED';
  console.log(
    `${name.padEnd(34)} ${String(value ?? 'n/a').padStart(8)}   ${goal === null ? '' : `${op} ${goal} `}${verdict}`,
  );
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/latest.json', import.meta.url),
  JSON.stringify(results, null, 2) + '\n',
);
console.log('written bench/results/latest.json');

const profileFile = fileURLToPath(new URL('./results/confsnap-1.cpuprofile', import.meta.url));
if (args.get('profile') === 'true' && existsSync(profileFile)) printProfile(profileFile, 20);
