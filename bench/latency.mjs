// Devices per second against a fleet that answers like real devices: every device waits 1–3 s
// (random per device, the same every run) before it answers `/export`, as a router takes time to
// build its configuration. 2000 devices at concurrency 200: the bare ssh2 loop then needs well under
// half of the machine's CPU, so confsnap ÷ raw shows the latency and serialization confsnap adds,
// not two clients fighting over the cores. Reported under `latency` in bench/results/latest.json:
//
//   raw_ssh2_per_s, confsnap_per_s   devices/s (the trigger contender of bench/contenders.mjs:
//                                    TOFU, normalize, hash, JetStream publish, Redis lock)
//   ratio_vs_raw                     confsnap_per_s / raw_ssh2_per_s
//   ideal_per_s                      concurrency / mean delay: what a client with no cost would do
//   raw_cpu_share                    the bare loop's client CPU ÷ (wall time × cores): its share of
//                                    the machine; `raw_machine_cpu_share` adds the fleet's
//   rss_kb_per_session               confsnap's extra RSS per in-flight session: RSS at the plateau
//                                    (every slot busy) minus RSS before the first session, ÷
//                                    concurrency; `raw_rss_kb_per_session` the same for the bare loop
//   cpu_ms_per_device                client and servers, per contender
import { cpus, loadavg } from 'node:os';
import { nodeContender, snapshotDist, startFleet, startNats, startRedis } from './throughput.mjs';
import { rate, round1, round2, sampleContender, sampleLine, sampleSummaries } from './samples.mjs';
import { fileURLToPath } from 'node:url';

const perDevice = (ms, sample) => round2(ms / (sample.done + sample.failed));

export async function measureLatency({
  devices = 2000,
  concurrency = 200,
  configBytes = 30_000,
  delayMs = [1000, 3000],
  dist,
  log = () => {},
}) {
  const cleanups = [];
  const load = { before: loadavg().map(round2) };
  const samples = {};
  try {
    const copy = snapshotDist(dist ?? fileURLToPath(new URL('../dist/', import.meta.url)));
    cleanups.push(copy.remove);
    log(`starting ${devices} simulated RouterOS devices answering after ${delayMs.join('–')} ms …`);
    const fleet = await startFleet(devices, configBytes, copy.path, { delayMs });
    cleanups.push(fleet.stop);
    const redis = await startRedis();
    cleanups.push(redis.stop);
    const nats = await startNats();
    cleanups.push(nats.stop);
    const servers = { fleet: fleet.pid, redis: redis.pid, nats: nats.pid };
    const job = { devices: fleet.devices, username: 'admin', password: 'admin' };
    const extra = [
      `--redis=${redis.url}`,
      `--nats=${nats.url}`,
      `--dist=${copy.path}`,
      '--sample-rss=1',
    ];
    for (const [name, contender, prefix] of [
      ['raw_ssh2', 'raw-ssh2', 'x'],
      ['confsnap', 'confsnap', 'l'],
    ]) {
      samples[name] = await sampleContender(servers, devices, () =>
        nodeContender(contender, job, concurrency, [...extra, `--id-prefix=${prefix}`]),
      );
      log(sampleLine(name, samples[name]));
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
  load.after = loadavg().map(round2);
  const raw = samples.raw_ssh2;
  const confsnap = samples.confsnap;
  const rawRate = rate(raw);
  const confsnapRate = rate(confsnap);
  const cores = cpus().length;
  const share = (ms, sample) =>
    sample.seconds > 0 ? round2(ms / (sample.seconds * 1000 * cores)) : null;
  const perSession = (sample) =>
    sample.rss_plateau_kb === undefined
      ? null
      : Math.round((sample.rss_plateau_kb - sample.rss_idle_kb) / concurrency);
  const meanDelayS = (delayMs[0] + delayMs[1]) / 2000;
  const cpu = (sample) =>
    sample.client_cpu_ms === undefined
      ? null
      : {
          client: perDevice(sample.client_cpu_ms, sample),
          ...Object.fromEntries(
            Object.entries(sample.server_cpu_ms ?? {}).map(([name, ms]) => [
              name,
              perDevice(ms, sample),
            ]),
          ),
        };
  return {
    devices,
    concurrency,
    config_bytes: configBytes,
    delay_ms: delayMs,
    ideal_per_s: round1(concurrency / meanDelayS),
    raw_ssh2_per_s: rawRate === null ? null : round1(rawRate),
    confsnap_per_s: confsnapRate === null ? null : round1(confsnapRate),
    ratio_vs_raw: rawRate && confsnapRate ? round2(confsnapRate / rawRate) : null,
    raw_cpu_share: raw.client_cpu_ms === undefined ? null : share(raw.client_cpu_ms, raw),
    raw_machine_cpu_share:
      raw.client_cpu_ms === undefined
        ? null
        : share(raw.client_cpu_ms + (raw.server_cpu_ms?.fleet ?? 0), raw),
    confsnap_cpu_share:
      confsnap.client_cpu_ms === undefined ? null : share(confsnap.client_cpu_ms, confsnap),
    rss_kb_per_session: perSession(confsnap),
    raw_rss_kb_per_session: perSession(raw),
    rss_kb: Object.fromEntries(
      Object.entries(samples).map(([name, s]) => [
        name,
        {
          idle: s.rss_idle_kb ?? null,
          plateau: s.rss_plateau_kb ?? null,
          peak: s.rss_peak_kb ?? null,
          ...(s.memory_kb ? { parts: s.memory_kb } : {}),
        },
      ]),
    ),
    cpu_ms_per_device: { raw_ssh2: cpu(raw), confsnap: cpu(confsnap) },
    load_average: load,
    samples: sampleSummaries(samples),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const devices = Number(process.argv[2] ?? 2000);
  const concurrency = Number(process.argv[3] ?? 200);
  console.log(
    JSON.stringify(
      await measureLatency({ devices, concurrency, log: (line) => console.error(line) }),
      null,
      2,
    ),
  );
}
