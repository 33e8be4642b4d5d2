// Peak memory of the CLI: `confsnap backup` (the built dist/cli/main.js, in a process of its own)
// of N simulated RouterOS devices (~30 KB exports) at concurrency 50, from an inventory file into
// a temp --out directory. The peak resident set size is the process's VmHWM from
// /proc/<pid>/status, read every 20 ms while it runs (VmHWM only grows, so the last reading is the
// peak up to then). Reported under `cli` in bench/results/latest.json: `devices`, `concurrency`,
// `peak_rss_mb`, `seconds`, `succeeded`, `failed`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { clearInterval, setInterval } from 'node:timers';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { snapshotDist, startFleet } from './throughput.mjs';

/** VmHWM (peak resident set size) of a process in kB, or null once it is gone. */
function peakRssKb(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export async function measureCli({
  devices = 200,
  concurrency = 50,
  configBytes = 30_000,
  dist,
  log = () => {},
}) {
  const cleanups = [];
  const dir = mkdtempSync(join(tmpdir(), 'confsnap-bench-cli-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  try {
    const copy = snapshotDist(dist ?? fileURLToPath(new URL('../dist/', import.meta.url)));
    cleanups.push(copy.remove);
    log(`starting ${devices} simulated RouterOS devices …`);
    const fleet = await startFleet(devices, configBytes, copy.path);
    cleanups.push(fleet.stop);
    const inventory = join(dir, 'devices.json');
    writeFileSync(
      inventory,
      JSON.stringify({
        defaults: { username: 'admin', password_env: 'BENCH_PASSWORD', vendor: 'routeros' },
        devices: fleet.devices.map((device, i) => ({
          id: `r${i}`,
          host: device.host,
          port: device.port,
        })),
      }),
    );
    const args = [
      // For experiments: node flags for the CLI process only, e.g. --max-semi-space-size=1.
      ...(process.env.BENCH_CLI_NODE_FLAGS ?? '').split(' ').filter(Boolean),
      join(copy.path, 'cli/main.js'),
      'backup',
      '--inventory',
      inventory,
      '--out',
      join(dir, 'configs'),
      '--concurrency',
      String(concurrency),
      '--json',
    ];
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, BENCH_PASSWORD: 'admin' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let peakKb = 0;
    const poll = setInterval(() => (peakKb = Math.max(peakKb, peakRssKb(child.pid) ?? 0)), 20);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err = (err + chunk).slice(-2000)));
    const code = await new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (exitCode) => {
        clearInterval(poll);
        resolve(exitCode);
      });
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    let summary = {};
    try {
      summary = JSON.parse(out);
    } catch {
      throw new Error(`confsnap backup exited with ${code} and no JSON summary:\n${err}`);
    }
    const result = {
      devices,
      concurrency,
      config_bytes: configBytes,
      peak_rss_mb: summary.failed === 0 ? Math.round((peakKb / 1024) * 10) / 10 : null,
      seconds: Math.round(seconds * 100) / 100,
      succeeded: summary.succeeded,
      failed: summary.failed,
      exit_code: code,
    };
    log(`peak RSS ${result.peak_rss_mb} MB, ${summary.succeeded}/${devices} backed up`);
    return result;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const devices = Number(process.argv[2] ?? 200);
  const concurrency = Number(process.argv[3] ?? 50);
  console.log(
    JSON.stringify(await measureCli({ devices, concurrency, log: (l) => console.error(l) })),
  );
}
