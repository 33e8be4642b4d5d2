// RANCID peer of the confsnap shell-mode benchmark (bench/shell.mjs): `clogin -c "show
// running-config" DEVICE` spawned once per device, as RANCID's `rancid-run` does (Debian `rancid`:
// an expect script driving OpenSSH's `ssh`, which logs in with the password at its prompt).
//
//   node bench/peers/clogin_peer.mjs CONCURRENCY < job.json
//
// job.json as for the Python peers ({"devices":[{"host","port","configBytes"?}],"username",
// "password"}). Every device gets a name (`d0`, `d1`, …) mapped to its host and port in a private
// ssh_config; a private .cloginrc gives clogin the user, the password and an `ssh` wrapper using that
// config, with host keys accepted and not kept (StrictHostKeyChecking no, UserKnownHostsFile
// /dev/null: the other contenders pin in memory). Prints one JSON line {"done","failed","seconds",
// "client_cpu_ms","bytes","errors","version"}; client_cpu_ms includes the clogin and ssh processes.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuMs, findBinary } from '../throughput.mjs';

const concurrency = Number(process.argv[2] ?? 50);
const job = JSON.parse(readFileSync(0, 'utf8'));
const clogin = findBinary('clogin') ?? '/usr/lib/rancid/bin/clogin';

/** The Tcl braces .cloginrc reads a value in; the password must not need escaping. */
function tclWord(value) {
  if (!/^[\w.@%+-]+$/.test(value))
    throw new Error('the password needs Tcl escaping; use a plain one');
  return value;
}

const dir = mkdtempSync(join(tmpdir(), 'confsnap-bench-clogin-'));
try {
  const sshConfig = join(dir, 'ssh_config');
  writeFileSync(
    sshConfig,
    [
      ...job.devices.flatMap((device, i) => [
        `Host d${i}`,
        `  HostName ${device.host}`,
        `  Port ${device.port}`,
      ]),
      'Host *',
      '  StrictHostKeyChecking no',
      '  UserKnownHostsFile /dev/null',
      '  LogLevel ERROR',
      '  PubkeyAuthentication no',
      '  PreferredAuthentications keyboard-interactive,password',
      '',
    ].join('\n'),
  );
  // clogin joins the words of `sshcmd` without spaces: a wrapper script carries the -F option.
  const ssh = join(dir, 'ssh');
  writeFileSync(ssh, `#!/bin/sh\nexec ssh -F ${JSON.stringify(sshConfig)} "$@"\n`);
  chmodSync(ssh, 0o755);
  const cloginrc = join(dir, 'cloginrc');
  writeFileSync(
    cloginrc,
    [
      `add user * ${tclWord(job.username)}`,
      `add password * ${tclWord(job.password)} ${tclWord(job.password)}`,
      'add method * ssh',
      `add sshcmd * ${ssh}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );

  const collect = (i) =>
    new Promise((resolve, reject) => {
      const child = spawn(clogin, ['-f', cloginrc, '-c', 'show running-config', `d${i}`], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const chunks = [];
      child.stdout.on('data', (chunk) => chunks.push(chunk));
      child.stderr.resume();
      child.on('error', reject);
      child.on('close', (code) => {
        const out = Buffer.concat(chunks).toString('latin1');
        // clogin exits 0 even when the login failed; its output says so.
        const error = /\nError: ([^\n]*)/.exec(out);
        if (code !== 0 || error) {
          reject(new Error(`clogin: ${error ? error[1].trim() : `exited with ${code}`}`));
        } else if (!/\nend\r?\n/.test(out)) {
          reject(new Error('clogin: the configuration has no end line'));
        } else if (job.devices[i].configBytes && out.length < job.devices[i].configBytes) {
          reject(
            new Error(`short output: ${out.length} of at least ${job.devices[i].configBytes}`),
          );
        } else resolve(out.length);
      });
    });

  let next = 0;
  let done = 0;
  let bytes = 0;
  const errors = {};
  const worker = async () => {
    while (next < job.devices.length) {
      const i = next++;
      try {
        const received = await collect(i);
        bytes += received;
        done++;
      } catch (error) {
        const text = String(error?.message ?? error).slice(0, 160);
        errors[text] = (errors[text] ?? 0) + 1;
      }
    }
  };
  const cpuBefore = cpuMs();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(concurrency, job.devices.length) }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const clientCpuMs = cpuMs() - cpuBefore;
  let version = null;
  try {
    version = execFileSync(clogin, ['-V'], { encoding: 'utf8' }).trim().split(/\s+/).pop();
  } catch {
    // left null
  }
  process.stdout.write(
    JSON.stringify({
      contender: 'clogin',
      version,
      concurrency,
      done,
      failed: job.devices.length - done,
      seconds,
      client_cpu_ms: clientCpuMs,
      bytes,
      errors,
    }) + '\n',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
