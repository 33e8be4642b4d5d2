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
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startFleet, startSshd } from './throughput.mjs';

const round1 = (value) => Math.round(value * 10) / 10;
const round2 = (value) => Math.round(value * 100) / 100;

/** Backs up `devices` with at most `concurrency` at once; resolves with the rate and failures. */
async function backUpAll(confsnap, devices, concurrency, options) {
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
  return { perS: (devices.length - failed) / seconds, failed, errors };
}

const FLEET_LOGIN = { username: 'admin', password: 'admin' };

/**
 * Measures the fleet direct and behind one OpenSSH jump host. `log` gets progress lines.
 */
export async function measureJump({
  devices = 500,
  concurrency = 50,
  configBytes = 30_000,
  log = () => {},
}) {
  const confsnap = await import('../dist/index.js');
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

    const direct = note('direct', await backUpAll(confsnap, records, concurrency, {}));
    let logins = 0;
    const throughPool = async (name, maxChannelsPerHop) => {
      const jumpHosts = new confsnap.JumpHostPool({ credentials, maxChannelsPerHop });
      try {
        return note(name, await backUpAll(confsnap, behind, concurrency, { jumpHosts }));
      } finally {
        logins += jumpHosts.loginCount;
        await jumpHosts.close();
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
      ...(Object.keys(failures).length > 0 ? { failures } : {}),
    };
  } finally {
    await bastion.stop();
    await fleet.stop();
  }
}
