// The throughput benchmark: devices backed up per second on one machine, against one simulated
// fleet, at one concurrency — the servers it needs, and the run of every contender.
//
// Contenders (each in its own process, see contenders.mjs and peers/):
//   raw-ssh2            the bare ssh2 loop (connect, exec, read, close): the ceiling
//   confsnap            BackupScheduler.trigger() for every device: TOFU, normalize, hash,
//                       JetStream publish (acknowledged), Redis lock
//   confsnap-scheduled  every device due at once through the schedule: Redis online gate, lock and
//                       last-success store on top (a manual trigger bypasses the gate, SPEC §2)
//   asyncssh, paramiko  Python peers (Debian python3-asyncssh / python3-paramiko), when installed
//   openssh             `ssh` spawned per device against one private sshd (key auth: ssh cannot use
//                       a password non-interactively), with raw ssh2 and confsnap against the same
//                       sshd for a same-server comparison
//
// The fleet runs in a child process (this file, `node bench/throughput.mjs fleet …`), so the server
// does not share the client's event loop; fleet, client and servers share the machine's cores
// alike for every contender. redis-server, nats-server -js and sshd are private: free loopback
// ports, temp dirs, stopped and removed afterwards — never the machine's shared instances.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { cpus, loadavg, tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { iosConfig, random } from './ios-config.mjs';

// ---------------------------------------------------------------------------------------------
// Device exports

/**
 * The configuration of device `index`: `targetBytes` ± 10 % (varied per device), `\n` line ends.
 * @param {number} index
 * @param {number} [targetBytes]
 * @returns {string}
 */
export function routerosConfig(index, targetBytes = 30_000) {
  const rand = random(index + 1);
  const size = Math.round(targetBytes * (0.9 + rand() * 0.2));
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const lines = [
    '# software id = ' + (0x1000 + (index % 0xefff)).toString(16).toUpperCase() + '-RB50',
    '#',
    '# model = RB5009UG+S+',
    `# serial number = HE${String(100_000 + index).padStart(8, '0')}`,
    '/interface bridge',
    `add admin-mac=48:A9:8A:${hex(index >> 8)}:${hex(index)}:01 auto-mac=no comment=defconf name=bridge`,
    '/interface ethernet',
    ...Array.from(
      { length: 8 },
      (_, i) => `set [ find default-name=ether${i + 1} ] comment="port ${i + 1} of r${index}"`,
    ),
    '/interface vlan',
    ...Array.from(
      { length: 6 },
      (_, i) => `add interface=bridge name=vlan${10 * (i + 1)} vlan-id=${10 * (i + 1)}`,
    ),
    '/interface list',
    'add comment=defconf name=WAN',
    'add comment=defconf name=LAN',
    '/ip pool',
    `add name=dhcp ranges=10.${index & 255}.88.10-10.${index & 255}.88.254`,
    '/ip address',
    `add address=10.${index & 255}.88.1/24 comment=defconf interface=bridge network=10.${index & 255}.88.0`,
  ];
  let bytes = lines.reduce((sum, line) => sum + line.length + 1, 0);
  const push = (line) => {
    lines.push(line);
    bytes += line.length + 1;
  };
  const sections = [
    '/ip firewall filter',
    '/ip firewall nat',
    '/ip route',
    '/ip firewall address-list',
  ];
  for (let rule = 0; bytes < size - 200; rule++) {
    if (rule % 40 === 0) push(sections[(rule / 40) % sections.length]);
    const section = sections[Math.floor(rule / 40) % sections.length];
    const net = `10.${(rule >> 8) & 255}.${rule & 255}.0/24`;
    if (section === '/ip firewall filter') {
      push(
        `add action=${pick(['accept', 'drop', 'fasttrack-connection'])} chain=${pick(['input', 'forward'])} comment="rule ${rule} of r${index}" connection-state=${pick(['established,related', 'new', 'invalid'])} \\`,
      );
      push(`    dst-address=${net} protocol=${pick(['tcp', 'udp', 'icmp'])}`);
    } else if (section === '/ip firewall nat') {
      push(
        `add action=dst-nat chain=dstnat dst-port=${1024 + Math.floor(rand() * 60000)} protocol=tcp to-addresses=${net.replace('.0/24', '.7')} to-ports=${pick([22, 80, 443, 8291])}`,
      );
    } else if (section === '/ip route') {
      push(
        `add disabled=no distance=${1 + Math.floor(rand() * 10)} dst-address=${net} gateway=10.${index & 255}.88.${2 + (rule % 250)} routing-table=main scope=30 target-scope=10`,
      );
    } else {
      push(
        `add address=${net} comment="customer ${rule}" list=${pick(['allowed', 'blocked', 'mgmt'])}`,
      );
    }
  }
  push('/system clock');
  push('set time-zone-name=Europe/Berlin');
  push('/system identity');
  push(`set name=r${index}`);
  push('/system ntp client');
  push('set enabled=yes');
  return lines.join('\n') + '\n';
}

function hex(n) {
  return (n & 255).toString(16).toUpperCase().padStart(2, '0');
}

// ---------------------------------------------------------------------------------------------
// Private servers (the minimal start code of test/harness/services.ts, for plain Node)

const SEARCH_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

let ticksPerSecond;

/**
 * CPU milliseconds (user + system) a process used so far, with those of its waited-for children
 * (sshd's per-connection processes, the `ssh` processes a contender spawned), from /proc; null
 * where /proc cannot tell.
 */
export function cpuMs(pid = process.pid) {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14 … cstime 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0);
    return (ticks * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}

/** Absolute path of a binary on PATH (or in the sbin dirs), or undefined. */
export function findBinary(name) {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...SEARCH_DIRS]) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function probePort(port) {
  return new Promise((resolve) => {
    let open = false;
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      open = true;
      socket.destroy();
    });
    socket.once('error', () => {});
    socket.once('close', () => resolve(open));
  });
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port. */
export async function waitForPort(port, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probePort(port))) {
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every server started and not yet stopped (and the run's copy of dist/), for {@link stopAll}. */
const running = new Set();

/** Stops every server this module started (e.g. on SIGINT/SIGTERM of the benchmark). */
export async function stopAll() {
  await Promise.all([...running].map((stop) => stop().catch(() => {})));
}

/**
 * Starts `file args` in `dir` and waits for `ready()`. Returns `{ stop() }`, which ends the process
 * (SIGTERM, SIGKILL after 5 s) and removes `dir`.
 */
async function startProcess(name, dir, file, args, ready) {
  const child = spawn(file, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk) => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    running.delete(stop);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  running.add(stop);
  try {
    await Promise.race([
      ready(),
      exited.then((code) => {
        throw new Error(`${name} exited with ${String(code)}:\n${log}`);
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop, pid: child.pid, log: () => log };
}

/** A private redis-server that keeps nothing on disk. */
export async function startRedis() {
  const file = findBinary('redis-server');
  if (!file) throw new Error('redis-server is not installed (Debian: redis-server)');
  const dir = mkdtempSync(join(tmpdir(), 'confsnap-bench-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const process_ = await startProcess('redis-server', dir, file, [...args, '--dir', dir], () =>
    waitForPort(port),
  );
  return { ...process_, port, url: `redis://127.0.0.1:${port}` };
}

/** A private nats-server with JetStream, its store in a temp dir. */
export async function startNats() {
  const file = findBinary('nats-server');
  if (!file) throw new Error('nats-server is not installed (Debian: nats-server)');
  const dir = mkdtempSync(join(tmpdir(), 'confsnap-bench-nats-'));
  const port = await freePort();
  const config = join(dir, 'nats.conf');
  writeFileSync(
    config,
    `listen: 127.0.0.1:${port}\njetstream { store_dir: "${join(dir, 'js')}" }\n`,
  );
  const url = `nats://127.0.0.1:${port}`;
  const process_ = await startProcess('nats-server', dir, file, ['-c', config], async () => {
    await waitForPort(port);
    // JetStream answers shortly after the port opens.
    const { connect } = await import('nats');
    const nc = await connect({ servers: url, reconnect: false });
    try {
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          await (await nc.jetstreamManager({ timeout: 2_000 })).getAccountInfo();
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } finally {
      await nc.close();
    }
  });
  return { ...process_, port, url };
}

function sshKeygen(dir, name) {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path, '-C', `bench-${name}`]);
  return path;
}

/**
 * A private OpenSSH sshd on 127.0.0.1: a temp ed25519 host key, key auth for the current user with
 * a generated client key, and a ForceCommand that prints `output` (a device's export) whatever was
 * asked, without the user's shell start-up files. `MaxStartups` is raised so that many concurrent handshakes are not dropped.
 * `extraConfig` lines are appended (e.g. `AllowTcpForwarding yes` for a jump host).
 */
export async function startSshd({ output, maxStartups = 1000, extraConfig = [] }) {
  const file = findBinary('sshd');
  if (!file) throw new Error('sshd is not installed (Debian: openssh-server)');
  if (!findBinary('ssh') || !findBinary('ssh-keygen')) {
    throw new Error('ssh or ssh-keygen is not installed (Debian: openssh-client)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'confsnap-bench-sshd-'));
  const port = await freePort();
  const hostKeyPath = sshKeygen(dir, 'ssh_host_ed25519_key');
  const clientKeyPath = sshKeygen(dir, 'client_key');
  writeFileSync(join(dir, 'authorized_keys'), execFileSync('cat', [`${clientKeyPath}.pub`]));
  const outputPath = join(dir, 'device-output');
  writeFileSync(outputPath, output);
  const forceCommand = join(dir, 'device.sh');
  writeFileSync(forceCommand, `#!/bin/sh\nexec cat ${JSON.stringify(outputPath)}\n`);
  chmodSync(forceCommand, 0o755);
  // Privilege separation needs this dir when sshd runs as root.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKeyPath}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    'UseDNS no',
    `MaxStartups ${maxStartups}`,
    `ForceCommand ${forceCommand}`,
    // sshd runs the ForceCommand through the user's shell; bash started by sshd at level 1 sources
    // ~/.bashrc (Debian's SSH_SOURCE_BASHRC), which on a developer's machine can cost more than the
    // whole SSH session. A device has no such shell start-up: level 2 skips it.
    'SetEnv SHLVL=1',
    'LogLevel ERROR',
    ...extraConfig,
  ];
  const configPath = join(dir, 'sshd_config');
  writeFileSync(configPath, config.join('\n') + '\n');
  const process_ = await startProcess('sshd', dir, file, ['-D', '-e', '-f', configPath], () =>
    waitForPort(port),
  );
  return {
    ...process_,
    port,
    host: '127.0.0.1',
    user: userInfo().username,
    clientKeyPath,
    hostKeyPath,
  };
}

// ---------------------------------------------------------------------------------------------
// The run

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const FLEET_CREDENTIALS = { username: 'admin', password: 'admin' };

/**
 * A private copy of a confsnap build for the run, so that a rebuild of dist/ while the benchmark
 * runs cannot break the contenders it starts later. It lives under node_modules/.cache, where
 * imports of confsnap's dependencies still resolve.
 */
export function snapshotDist(source) {
  const target = fileURLToPath(
    new URL(`../node_modules/.cache/confsnap-bench/dist-${process.pid}/`, import.meta.url),
  );
  cpSync(source, target, { recursive: true });
  const remove = async () => {
    running.delete(remove);
    rmSync(target, { recursive: true, force: true });
  };
  running.add(remove);
  return { path: target, remove };
}

/**
 * Starts the simulated fleet in a child process; resolves with its devices and `stop()`.
 * `vendor`: `routeros` (exec, `/export`) or `cisco-ios` (shell, `show running-config`).
 * `delayMs`: `[min, max]` — every device waits that long (random per device, the same every run)
 * before it answers the configuration command, as real devices take time to build it.
 */
export async function startFleet(devices, configBytes, dist, { vendor, delayMs } = {}) {
  const child = spawn(
    process.execPath,
    [
      here('./throughput.mjs'),
      'fleet',
      `--devices=${devices}`,
      `--config-bytes=${configBytes}`,
      ...(dist ? [`--dist=${dist}`] : []),
      ...(vendor ? [`--vendor=${vendor}`] : []),
      ...(delayMs ? [`--delay-ms=${delayMs[0]}-${delayMs[1]}`] : []),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const line = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const end = out.indexOf('\n');
        if (end !== -1) resolve(out.slice(0, end));
      });
      exited.then((code) => reject(new Error(`the fleet process exited with ${code}:\n${stderr}`)));
    });
    return { devices: JSON.parse(line).devices, pid: child.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Runs one contender process with `job` on stdin; resolves with the JSON line it printed.
 * A contender that fails or hangs (10 min) rejects with its stderr.
 */
export function runContender(file, args, job, { env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err = (err + chunk).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop();
      if (code === 0 && line) {
        try {
          resolve(JSON.parse(line));
          return;
        } catch {
          // fall through
        }
      }
      reject(new Error(`${args.join(' ')} ended with ${signal ?? code}:\n${err || out}`));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify(job));
  });
}

export function nodeContender(contender, job, concurrency, extra = [], { profile } = {}) {
  const flags = profile
    ? ['--cpu-prof', `--cpu-prof-dir=${here('./results/')}`, `--cpu-prof-name=${profile}`]
    : [];
  return runContender(
    process.execPath,
    [
      ...flags,
      here('./contenders.mjs'),
      `--contender=${contender}`,
      `--concurrency=${concurrency}`,
      ...extra,
    ],
    job,
  );
}

/** A Python 3 that imports `module` (Debian's first: the packages are Debian's), or undefined. */
export function pythonWith(module) {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(python, ['-c', `import ${module}`], {
        stdio: 'ignore',
        env: { ...process.env, PYTHONWARNINGS: 'ignore' },
      });
      return python;
    } catch {
      // next
    }
  }
  return undefined;
}

const rate = (result) =>
  result && result.failed === 0 && result.seconds > 0 ? result.done / result.seconds : undefined;
const round1 = (value) => (value === undefined ? null : Math.round(value * 10) / 10);
const ratio = (a, b) =>
  a === undefined || b === undefined || b === 0 ? null : Math.round((a / b) * 100) / 100;

/**
 * The best (fastest) of several samples: the one least disturbed by anything else on the machine.
 * Undefined when any sample had a failed device.
 */
function bestSample(samples) {
  if (samples.length === 0 || samples.some((sample) => rate(sample) === undefined))
    return undefined;
  return samples.reduce((a, b) => (rate(b) > rate(a) ? b : a));
}
const best = (samples) => rate(bestSample(samples));

const perDevice = (ms, sample) =>
  ms === null || ms === undefined
    ? null
    : Math.round((ms / (sample.done + sample.failed)) * 100) / 100;

/**
 * CPU milliseconds per device: the contender's own process over its timed run (with the `ssh`
 * processes it spawned), and each server over the contender's whole process lifetime.
 */
function cpuPerDevice(sample) {
  return {
    client: perDevice(sample.client_cpu_ms, sample),
    ...Object.fromEntries(
      Object.entries(sample.server_cpu_ms ?? {}).map(([name, ms]) => [name, perDevice(ms, sample)]),
    ),
  };
}

/** Client CPU ms per device of `a`'s best sample ÷ `b`'s, or null. */
function cpuRatio(a = [], b = []) {
  const one = bestSample(a);
  const other = bestSample(b);
  if (!one || !other) return null;
  const x = perDevice(one.client_cpu_ms, one);
  const y = perDevice(other.client_cpu_ms, other);
  return x === null || y === null || y === 0 ? null : Math.round((x / y) * 100) / 100;
}

function summary(samples) {
  return samples.map((sample) => ({
    per_s: round1(rate(sample)),
    done: sample.done,
    failed: sample.failed,
    seconds: Math.round(sample.seconds * 1000) / 1000,
    cpu_ms_per_device: cpuPerDevice(sample),
    ...(Object.keys(sample.errors ?? {}).length ? { errors: sample.errors } : {}),
    ...(sample.stream_messages_added !== undefined
      ? {
          stream_messages_added: sample.stream_messages_added,
          pins: sample.pins,
          pins_wrong: sample.pins_wrong,
        }
      : {}),
  }));
}

/**
 * Measures every contender. `skip` holds contender names to leave out (`raw`, `confsnap`,
 * `scheduled`, `openssh`, `python`, `asyncssh`, `paramiko`). `ladder` adds the diagnostic
 * contenders (collect only; scheduler with an in-memory publisher; scheduler with NATS, no Redis).
 * `dist` imports confsnap from another build. `log` gets progress lines.
 */
export async function measureThroughput({
  devices = 1000,
  concurrency = 50,
  configBytes = 30_000,
  rounds = 3,
  sshdDevices = Math.min(devices, 500),
  sshdRounds = 1,
  skip = new Set(),
  ladder = false,
  dist,
  profile = false,
  log = () => {},
}) {
  const cleanups = [];
  const notes = [];
  const samples = {};
  const load = { before: loadavg().map((value) => Math.round(value * 100) / 100) };
  const on = (name) => !skip.has(name);
  // Server processes whose CPU time is charged to each contender run (fleet, nats, redis, sshd).
  const servers = new Map();
  const charge = async (run) => {
    const before = new Map([...servers].map(([name, pid]) => [name, cpuMs(pid)]));
    const result = await run();
    result.server_cpu_ms = Object.fromEntries(
      [...servers].map(([name, pid]) => {
        const start = before.get(name);
        const end = cpuMs(pid);
        return [name, start === null || end === null ? null : end - start];
      }),
    );
    return result;
  };
  /** Runs one contender, records its sample under `name` and logs its rate. */
  let count = devices; // devices each contender collects: the fleet's, then the sshd sessions
  const sample = async (name, label, run) => {
    let result;
    try {
      result = await charge(run);
    } catch (error) {
      // A contender that crashed counts as all of its devices failed; the others still run.
      const message = String(error?.message ?? error).slice(0, 300);
      result = { done: 0, failed: count, seconds: 0, errors: { [message]: count } };
    }
    (samples[name] ??= []).push(result);
    const failed = result.failed > 0 ? ` (${result.failed} FAILED)` : '';
    log(`${label}: ${round1(result.seconds > 0 ? result.done / result.seconds : 0)}/s${failed}`);
  };
  const pythons = {};
  for (const module of ['asyncssh', 'paramiko']) {
    if (!on(module) || !on('python')) continue;
    pythons[module] = pythonWith(module);
    if (!pythons[module]) {
      notes.push(
        `${module}: skipped, no python3 imports it (Debian: apt-get install python3-${module})`,
      );
    }
  }
  if (dist) notes.push(`confsnap imported from ${dist}, not from this checkout's dist/`);
  if (skip.size > 0) notes.push(`skipped with --skip: ${[...skip].join(', ')}`);
  try {
    const copy = snapshotDist(dist ?? here('../dist/'));
    cleanups.push(copy.remove);
    const distArgs = [`--dist=${copy.path}`];
    log(`starting ${devices} simulated RouterOS devices in a child process …`);
    const fleet = await startFleet(devices, configBytes, copy.path);
    cleanups.push(fleet.stop);
    servers.set('fleet', fleet.pid);
    const fleetJob = { devices: fleet.devices, ...FLEET_CREDENTIALS };
    const redis = await startRedis();
    cleanups.push(redis.stop);
    servers.set('redis', redis.pid);
    const nats = await startNats();
    cleanups.push(nats.stop);
    servers.set('nats', nats.pid);
    const services = [`--redis=${redis.url}`, `--nats=${nats.url}`, ...distArgs];

    for (let round = 0; round < rounds; round++) {
      const tag = `round ${round + 1}/${rounds}`;
      const node = (contender, prefix) =>
        nodeContender(
          contender,
          fleetJob,
          concurrency,
          [...services, `--id-prefix=${prefix}${round}r`],
          {
            profile: profile && `${contender}-${round + 1}.cpuprofile`,
          },
        );
      if (on('raw')) await sample('raw_ssh2', `${tag} raw ssh2`, () => node('raw-ssh2', 'x'));
      if (on('confsnap')) await sample('confsnap', `${tag} confsnap`, () => node('confsnap', 't'));
      if (on('scheduled')) {
        await sample('confsnap_scheduled', `${tag} confsnap scheduled`, () =>
          node('confsnap-scheduled', 's'),
        );
      }
      if (ladder) {
        await sample('collect', `${tag} collectConfig only`, () => node('collect', 'c'));
        await sample('scheduler_memory', `${tag} scheduler, memory publisher`, () =>
          node('scheduler-memory', 'm'),
        );
        await sample('scheduler_nats', `${tag} scheduler, NATS, no Redis`, () =>
          node('scheduler-nats', 'n'),
        );
      }
      for (const module of ['asyncssh', 'paramiko']) {
        if (!pythons[module]) continue;
        await sample(module, `${tag} ${module}`, () =>
          runContender(
            pythons[module],
            [here(`./peers/${module}_peer.py`), String(concurrency)],
            fleetJob,
            { env: { PYTHONWARNINGS: 'ignore' } },
          ),
        );
      }
    }
    await fleet.stop();
    servers.delete('fleet');

    if (on('openssh')) {
      if (!findBinary('sshd') || !findBinary('ssh')) {
        notes.push('openssh: skipped, ssh or sshd is not installed (Debian: openssh-server)');
      } else {
        // One device's export (with the header the device prints) behind a ForceCommand.
        const output = (
          '# 2026-03-07 12:00:00 by RouterOS 7.16.2\n' + routerosConfig(0, configBytes)
        ).replace(/\n/g, '\r\n');
        const sshd = await startSshd({ output });
        cleanups.push(sshd.stop);
        servers.set('sshd', sshd.pid);
        const sshdJob = {
          devices: Array.from({ length: sshdDevices }, () => ({
            host: sshd.host,
            port: sshd.port,
            configBytes: Buffer.byteLength(output),
          })),
          username: sshd.user,
          privateKeyPath: sshd.clientKeyPath,
        };
        count = sshdDevices;
        for (let round = 0; round < sshdRounds; round++) {
          const tag = `sshd round ${round + 1}/${sshdRounds}`;
          const node = (contender, prefix, extra = []) =>
            nodeContender(contender, sshdJob, concurrency, [
              ...services,
              `--id-prefix=${prefix}${round}r`,
              ...extra,
            ]);
          await sample('openssh', `${tag} OpenSSH ssh per device`, () => node('openssh', 'o'));
          await sample('openssh_curve25519', `${tag} OpenSSH ssh, curve25519 kex`, () =>
            node('openssh', 'o', ['--kex=curve25519-sha256']),
          );
          if (on('raw')) {
            await sample('sshd_raw_ssh2', `${tag} raw ssh2 against sshd`, () =>
              node('raw-ssh2', 'x'),
            );
          }
          if (on('confsnap')) {
            await sample('sshd_confsnap', `${tag} confsnap against sshd`, () =>
              node('confsnap', 'k'),
            );
          }
        }
        notes.push(
          `openssh: \`ssh\` is spawned per device against ONE private OpenSSH sshd (${sshdDevices} sessions; key auth, as ssh cannot use a password non-interactively), not against the simulated fleet; throughput.sshd has raw ssh2 and confsnap against that same sshd`,
        );
      }
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
  load.after = loadavg().map((value) => Math.round(value * 100) / 100);

  const b = (name) => best(samples[name] ?? []);
  const raw = b('raw_ssh2');
  const confsnap = b('confsnap');
  const openssh = b('openssh');
  const asyncssh = b('asyncssh');
  const paramiko = b('paramiko');
  const sshdConfsnap = b('sshd_confsnap');
  for (const [name, list] of Object.entries(samples)) {
    if (list.some((one) => one.failed > 0)) {
      notes.push(`${name}: some devices failed; its rate is null (see samples)`);
    }
  }
  if (load.before[0] > cpus().length) {
    notes.push(
      `the machine was busy before the run (load average ${load.before[0]} on ${cpus().length} cores): rates are low and noisy`,
    );
  }
  return {
    devices,
    concurrency,
    config_bytes: configBytes,
    rounds,
    raw_ssh2_per_s: round1(raw),
    confsnap_per_s: round1(confsnap),
    ratio_vs_raw: ratio(confsnap, raw),
    // Client CPU per device, confsnap's ÷ the bare loop's (each of its best round): what confsnap's
    // own work costs, steadier than the rates on a machine shared with other work.
    cpu_ratio_vs_raw: cpuRatio(samples.confsnap, samples.raw_ssh2),
    confsnap_scheduled_per_s: round1(b('confsnap_scheduled')),
    openssh_spawn_per_s: round1(openssh),
    ratio_vs_openssh: ratio(confsnap, openssh),
    asyncssh_per_s: round1(asyncssh),
    ratio_vs_asyncssh: ratio(confsnap, asyncssh),
    paramiko_per_s: round1(paramiko),
    ratio_vs_paramiko: ratio(confsnap, paramiko),
    sshd: {
      devices: samples.openssh ? sshdDevices : 0,
      rounds: samples.openssh?.length ?? 0,
      openssh_spawn_per_s: round1(openssh),
      openssh_curve25519_per_s: round1(b('openssh_curve25519')),
      raw_ssh2_per_s: round1(b('sshd_raw_ssh2')),
      confsnap_per_s: round1(sshdConfsnap),
      ratio_vs_openssh: ratio(sshdConfsnap, openssh),
    },
    ...(ladder
      ? {
          ladder: {
            collect_per_s: round1(b('collect')),
            scheduler_memory_per_s: round1(b('scheduler_memory')),
            scheduler_nats_per_s: round1(b('scheduler_nats')),
          },
        }
      : {}),
    cpu_ms_per_device: Object.fromEntries(
      Object.entries(samples)
        .map(([name, list]) => [name, bestSample(list)])
        .filter(([, one]) => one !== undefined)
        .map(([name, one]) => [name, cpuPerDevice(one)]),
    ),
    versions: {
      asyncssh: samples.asyncssh?.[0]?.version ?? null,
      paramiko: samples.paramiko?.[0]?.version ?? null,
      openssh: opensshVersion(),
    },
    load_average: load,
    notes,
    samples: Object.fromEntries(
      Object.entries(samples).map(([name, list]) => [name, summary(list)]),
    ),
  };
}

function opensshVersion() {
  const result = spawnSync('ssh', ['-V'], { encoding: 'utf8' });
  return result.status === 0 ? `${result.stderr}${result.stdout}`.trim().split(',')[0] : null;
}

// ---------------------------------------------------------------------------------------------
// The fleet process

/**
 * `node bench/throughput.mjs fleet --devices=1000 --config-bytes=30000 [--dist=PATH]
 * [--vendor=routeros|cisco-ios] [--delay-ms=MIN-MAX]`: N RouterOS (or Cisco IOS) devices (ssh2 servers on loopback ports, password admin/admin, ~30 KB exports varied per
 * device), from `startSimulatedFleet` of confsnap/testing. Prints one JSON line on stdout,
 * {"devices":[{"host","port","fingerprint","configBytes"}]}, then serves until stdin closes or
 * SIGTERM/SIGINT arrives, and closes every device before it exits.
 */
async function serveFleet(argv) {
  const args = new Map(
    argv.flatMap((arg) => {
      const match = /^--([^=]+)=(.*)$/.exec(arg);
      return match ? [[match[1], match[2]]] : [];
    }),
  );
  const count = Number(args.get('devices') ?? 1000);
  const configBytes = Number(args.get('config-bytes') ?? 30_000);
  const { startSimulatedFleet } = await import(
    args.has('dist')
      ? pathToFileURL(join(args.get('dist'), 'testing/index.js')).href
      : '../dist/testing/index.js'
  );
  const vendor = args.get('vendor') ?? 'routeros';
  const [minDelay, maxDelay] = (args.get('delay-ms') ?? '0-0').split('-').map(Number);
  const delay = random(0x5eed);
  const configs = Array.from({ length: count }, (_, i) =>
    vendor === 'cisco-ios' ? iosConfig(i, configBytes) : routerosConfig(i, configBytes),
  );
  const fleet = await startSimulatedFleet(
    configs.map((config, i) => {
      const outputDelayMs = Math.round(minDelay + delay() * (maxDelay - minDelay));
      return {
        vendor,
        config,
        hostname: vendor === 'cisco-ios' ? `sw${i}` : `r${i}`,
        // RANCID's clogin takes the first `#` after the password for the prompt: a login banner
        // with `#` in it (the simulator's default) puts it one prompt out of step, and it loses
        // the start of the configuration. Real IOS login banners rarely hold one.
        ...(vendor === 'cisco-ios'
          ? { banner: 'Authorized access only. Disconnect now otherwise.' }
          : {}),
        ...(outputDelayMs > 0 ? { faults: { outputDelayMs } } : {}),
      };
    }),
  );
  let closing;
  const shutdown = () => {
    closing ??= fleet.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.stdin.on('end', shutdown);
  process.stdin.on('close', shutdown);
  process.stdin.resume();
  process.stdout.write(
    JSON.stringify({
      devices: fleet.devices.map((device, i) => ({
        host: device.host,
        port: device.port,
        fingerprint: device.hostKeyFingerprint,
        configBytes: Buffer.byteLength(configs[i]),
      })),
    }) + '\n',
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] !== 'fleet') {
    console.error('usage: node bench/throughput.mjs fleet --devices=N [--config-bytes=B]');
    process.exit(2);
  }
  await serveFleet(process.argv.slice(3));
}
