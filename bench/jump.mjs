// Devices per second through ONE shared jump host, next to the same devices reached directly.
//
// The fleet (simulated RouterOS devices, in a child process) is backed up twice with
// `collectConfig` at the same concurrency: directly, then with every device behind one private
// OpenSSH sshd acting as the bastion (`via`), all devices sharing one `JumpHostPool`. The pool
// logs in to the bastion once and runs each device's SSH session inside a `direct-tcpip` channel
// of that one connection, so the jump host costs a channel open and a second layer of encryption
// per device, not a login. Reported under `jump` in bench/results/latest.json:
//
//   direct_per_s            devices/s, direct connections
//   jump_per_s              devices/s through the bastion, maxChannelsPerHop = concurrency
//   jump_default_per_s      devices/s through the bastion, the default maxChannelsPerHop (10)
//   ratio_vs_direct         jump_per_s / direct_per_s
//   bastion_logins          logins to the bastion over both jump runs (1 per run expected)
//   cpu_ms_per_device       CPU ms per device of confsnap (client), the fleet and the bastion's
//                           sshd, for the direct run and the jump run with maxChannelsPerHop =
//                           the concurrency: steadier than devices/s on a machine others load
//   load_average            the machine's 1-minute load average before and after
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuMs, startFleet, startSshd } from './throughput.mjs';

const round1 = (value) => Math.round(value * 10) / 10;
const round2 = (value) => Math.round(value * 100) / 100;

/**
 * Backs up `devices` with at most `concurrency` at once; resolves with the rate, failures and the
 * CPU ms per device of this process and of the fleet's.
 */
async function backUpAll(confsnap, devices, concurrency, options, fleetPid) {
  const cpuBefore = { client: cpuMs(), fleet: cpuMs(fleetPid) };
  let next = 0;
  let failed = 0;
  const errors = {};
  const started = performance.now();
  const worker = async () => {
    while (next < devices.length) {
      const device = devices[next++];
      try {
        await confsnap.collectConfig({ device, credentials: FLEET_LOGIN, ...options });
      } catch (error) {
        failed++;
        const key = String(error?.message ?? error).slice(0, 200);
        errors[key] = (errors[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const perDevice = (now, before) =>
    now === null || before === null ? null : round2((now - before) / devices.length);
  return {
    perS: (devices.length - failed) / seconds,
    failed,
    errors,
    cpu: {
      client: perDevice(cpuMs(), cpuBefore.client),
      fleet: perDevice(cpuMs(fleetPid), cpuBefore.fleet),
    },
  };
}

/**
 * CPU ms the bastion's sshd used so far. The shared connection's sshd process counts only once it
 * has ended and been waited for, so read this after the pool was closed (it waits briefly).
 */
async function sshdCpuMs(bastion, before) {
  for (let i = 0; i < 20; i++) {
    const now = cpuMs(bastion.pid);
    if (now === null || before === undefined || now !== before) return now;
    await sleep(50);
  }
  return cpuMs(bastion.pid);
}

const FLEET_LOGIN = { username: 'admin', password: 'admin' };

/**
 * Measures the fleet direct and behind one OpenSSH jump host, with the confsnap build in `dist`
 * (default ../dist). `log` gets progress lines.
 */
export async function measureJump({
  devices = 500,
  concurrency = 50,
  configBytes = 30_000,
  dist,
  log = () => {},
}) {
  const confsnap = await import(
    dist ? pathToFileURL(join(resolve(dist), 'index.js')).href : '../dist/index.js'
  );
  const loadBefore = loadavg()[0];
  const fleet = await startFleet(devices, configBytes);
  const bastion = await startSshd({ output: '', extraConfig: ['AllowTcpForwarding yes'] });
  try {
    const records = fleet.devices.map((d, i) => ({
      id: `r${i}`,
      host: d.host,
      port: d.port,
      vendor: 'routeros',
    }));
    const via = { id: 'bastion1', host: bastion.host, port: bastion.port };
    const behind = records.map((record) => ({ ...record, via }));
    const hopLogin = { username: bastion.user, privateKey: readFileSync(bastion.clientKeyPath) };
    const credentials = { get: () => Promise.resolve(hopLogin) };
    const failures = {};
    const note = (name, result) => {
      if (result.failed > 0) failures[name] = result.errors;
      log(`${name}: ${round1(result.perS)}/s${result.failed ? ` (${result.failed} FAILED)` : ''}`);
      return result.perS;
    };

    const directRun = await backUpAll(confsnap, records, concurrency, {}, fleet.pid);
    const direct = note('direct', directRun);
    let logins = 0;
    let jumpCpu;
    const throughPool = async (name, maxChannelsPerHop) => {
      const jumpHosts = new confsnap.JumpHostPool({ credentials, maxChannelsPerHop });
      const sshdBefore = cpuMs(bastion.pid) ?? undefined;
      let run;
      try {
        run = await backUpAll(confsnap, behind, concurrency, { jumpHosts }, fleet.pid);
        return note(name, run);
      } finally {
        logins += jumpHosts.loginCount;
        await jumpHosts.close();
        const sshdAfter = await sshdCpuMs(bastion, sshdBefore);
        jumpCpu ??= {
          ...run?.cpu,
          sshd:
            sshdAfter === null || sshdBefore === undefined
              ? null
              : round2((sshdAfter - sshdBefore) / devices),
        };
      }
    };
    const jump = await throughPool('through one jump host', concurrency);
    const jumpDefault = await throughPool(
      'through one jump host, 10 channels',
      confsnap.JUMP_HOST_DEFAULTS.maxChannelsPerHop,
    );
    return {
      devices,
      concurrency,
      direct_per_s: round1(direct),
      jump_per_s: round1(jump),
      jump_default_per_s: round1(jumpDefault),
      ratio_vs_direct: direct > 0 ? round2(jump / direct) : null,
      bastion_logins: logins,
      cpu_ms_per_device: { direct: directRun.cpu, jump: jumpCpu },
      load_average: { before: round2(loadBefore), after: round2(loadavg()[0]) },
      ...(Object.keys(failures).length > 0 ? { failures } : {}),
    };
  } finally {
    await bastion.stop();
    await fleet.stop();
  }
}
