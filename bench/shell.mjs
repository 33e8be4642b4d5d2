// Shell-mode peers: devices per second against a simulated Cisco IOS fleet (an interactive shell on
// a pty, `terminal length 0`, `show running-config`, ~30 KB configurations), at one concurrency:
//
//   confsnap   the trigger contender of bench/contenders.mjs (`--vendor=cisco-ios`): TOFU, the
//              IOS collector, normalize, hash, JetStream publish, Redis lock
//   netmiko    bench/peers/netmiko_peer.py: Netmiko's cisco_ios driver in a thread pool (Debian
//              python3-netmiko)
//   rancid     bench/peers/clogin_peer.mjs: RANCID's `clogin -c "show running-config"` spawned per
//              device (Debian rancid: expect driving OpenSSH `ssh`)
//
// A peer whose package is missing is skipped with a note and null in the JSON. Reported under
// `shell` in bench/results/latest.json: `devices`, `concurrency`, `confsnap_per_s`,
// `netmiko_per_s`, `rancid_per_s`, `ratio_vs_netmiko`, `ratio_vs_rancid`, `cpu_ms_per_device`,
// `versions`, `notes`, `samples`.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { rate, round1, round2, sampleContender, sampleLine, sampleSummaries } from './samples.mjs';
import {
  findBinary,
  nodeContender,
  pythonWith,
  runContender,
  snapshotDist,
  startFleet,
  startNats,
  startRedis,
} from './throughput.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
/** Where RANCID's clogin is: on PATH, or where Debian puts it. */
function cloginPath() {
  return findBinary('clogin') ?? ['/usr/lib/rancid/bin/clogin'].find((path) => existsSync(path));
}

export async function measureShell({
  devices = 200,
  concurrency = 50,
  configBytes = 30_000,
  dist,
  skip = new Set(),
  log = () => {},
}) {
  const notes = [];
  const samples = {};
  const cleanups = [];
  const load = { before: loadavg().map(round2) };
  const skipNetmiko = skip.has('netmiko') || skip.has('python');
  const python = skipNetmiko ? undefined : pythonWith('netmiko');
  if (!python && !skipNetmiko) {
    notes.push('netmiko: skipped, no python3 imports it (Debian: apt-get install python3-netmiko)');
  }
  const clogin = skip.has('rancid') ? undefined : cloginPath();
  if (!clogin && !skip.has('rancid')) {
    notes.push('rancid: skipped, clogin is not installed (Debian: apt-get install rancid)');
  }
  try {
    const copy = snapshotDist(dist ?? here('../dist/'));
    cleanups.push(copy.remove);
    log(`starting ${devices} simulated Cisco IOS devices …`);
    const fleet = await startFleet(devices, configBytes, copy.path, { vendor: 'cisco-ios' });
    cleanups.push(fleet.stop);
    const redis = await startRedis();
    cleanups.push(redis.stop);
    const nats = await startNats();
    cleanups.push(nats.stop);
    const servers = { fleet: fleet.pid, redis: redis.pid, nats: nats.pid };
    const job = { devices: fleet.devices, username: 'admin', password: 'admin' };
    const contenders = [
      [
        'confsnap',
        () =>
          nodeContender('confsnap', job, concurrency, [
            `--redis=${redis.url}`,
            `--nats=${nats.url}`,
            `--dist=${copy.path}`,
            '--vendor=cisco-ios',
            '--id-prefix=i',
          ]),
      ],
      ...(python
        ? [
            [
              'netmiko',
              () =>
                runContender(python, [here('./peers/netmiko_peer.py'), String(concurrency)], job, {
                  env: { PYTHONWARNINGS: 'ignore' },
                }),
            ],
          ]
        : []),
      ...(clogin
        ? [
            [
              'rancid',
              () =>
                runContender(
                  process.execPath,
                  [here('./peers/clogin_peer.mjs'), String(concurrency)],
                  job,
                ),
            ],
          ]
        : []),
    ];
    for (const [name, run] of contenders) {
      const sample = await sampleContender(servers, devices, run);
      samples[name] = sample;
      log(sampleLine(name, sample));
      if (sample.failed) notes.push(`${name}: some devices failed; its rate is null (see samples)`);
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
  load.after = loadavg().map(round2);
  const confsnap = rate(samples.confsnap);
  const netmiko = rate(samples.netmiko);
  const rancid = rate(samples.rancid);
  const perDevice = (ms, sample) =>
    ms === undefined || ms === null ? null : round2(ms / (sample.done + sample.failed));
  return {
    devices,
    concurrency,
    config_bytes: configBytes,
    confsnap_per_s: confsnap === null ? null : round1(confsnap),
    netmiko_per_s: netmiko === null ? null : round1(netmiko),
    rancid_per_s: rancid === null ? null : round1(rancid),
    ratio_vs_netmiko: confsnap && netmiko ? round2(confsnap / netmiko) : null,
    ratio_vs_rancid: confsnap && rancid ? round2(confsnap / rancid) : null,
    cpu_ms_per_device: Object.fromEntries(
      Object.entries(samples).map(([name, sample]) => [
        name,
        {
          client: perDevice(sample.client_cpu_ms, sample),
          ...Object.fromEntries(
            Object.entries(sample.server_cpu_ms).map(([server, ms]) => [
              server,
              perDevice(ms, sample),
            ]),
          ),
        },
      ]),
    ),
    versions: {
      netmiko: samples.netmiko?.version ?? null,
      rancid: samples.rancid?.version ?? null,
    },
    load_average: load,
    notes,
    samples: sampleSummaries(samples),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const devices = Number(process.argv[2] ?? 200);
  const concurrency = Number(process.argv[3] ?? 50);
  console.log(
    JSON.stringify(
      await measureShell({ devices, concurrency, log: (line) => console.error(line) }),
      null,
      2,
    ),
  );
}
