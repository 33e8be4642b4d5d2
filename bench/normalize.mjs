// Throughput of normalizeConfig('routeros', …) on a 1 MB export, in MB/s (median of several runs);
// and the CPU cost per device of each step confsnap adds to the bare SSH loop (measureStages).
//
//   node bench/normalize.mjs           normalize MB/s
//   node bench/normalize.mjs stages    µs per device of each step
import { createHash } from 'node:crypto';
import { TextEncoder } from 'node:util';
import {
  createSnapshot,
  normalizeConfig,
  routeros,
  systemClock,
  toWireJson,
} from '../dist/index.js';
import { routerosConfig } from './throughput.mjs';

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

/**
 * The naive line loop a script would write: decode, split on line ends, trim the end of every
 * line, join. It drops no line, joins no continuation and hashes nothing: a floor for the work
 * of any normalization over the same bytes.
 */
export function naiveNormalize(bytes) {
  const lines = bytes.toString('utf8').split('\n'); // trimEnd drops the \r of \r\n
  for (let i = 0; i < lines.length; i++) lines[i] = lines[i].trimEnd();
  return lines.join('\n');
}

/**
 * normalizeConfig('routeros', …) MB/s on a 1 MB export, and the naive line loop's MB/s on the
 * same bytes. The two run call by call in turn (after 20 warm-up calls each), so that a change of
 * the machine's speed meanwhile (other work, a slower core) hits both alike; each rate is the
 * median of its `runs` calls, and the ratio is the median of the per-pair ratios.
 */
export function measureNormalize(bytes = 1024 * 1024, runs = 41) {
  const input = routerosExport(bytes);
  const normalize = (buffer) => normalizeConfig('routeros', buffer);
  // Steady state, as in a long-running poller: let the JIT optimize both loops first (one call is
  // not enough; the first dozen run at about two thirds of the final speed).
  for (let i = 0; i < 20; i++) {
    normalize(input);
    naiveNormalize(input);
  }
  const seconds = (fn) => {
    const started = process.hrtime.bigint();
    fn(input);
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  const ours = [];
  const naive = [];
  const ratios = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so neither always runs right after the other's garbage.
    let mine;
    let theirs;
    if (i % 2) {
      mine = seconds(normalize);
      theirs = seconds(naiveNormalize);
    } else {
      theirs = seconds(naiveNormalize);
      mine = seconds(normalize);
    }
    ours.push(input.length / 1e6 / mine);
    naive.push(input.length / 1e6 / theirs);
    ratios.push(theirs / mine);
  }
  const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
  const round1 = (value) => Math.round(value * 10) / 10;
  return {
    input_bytes: input.length,
    mb_per_s: round1(median(ours)),
    naive_mb_per_s: round1(median(naive)),
    ratio_vs_naive: Math.round(median(ratios) * 100) / 100,
  };
}

// ---------------------------------------------------------------------------------------------
// Steps

// CPU cost per device of the steps confsnap adds to the bare SSH loop, each measured alone on the
// same ~30 KB RouterOS exports the throughput fleet serves (as the device sends them: with the
// export header and `\r\n`). Microseconds of CPU per device, median of several runs. They mirror
// what one attempt does after the SSH session (src/ssh/collect.ts collectRaw and checkOutput,
// src/collectors/normalize.ts, src/publish/snapshot.ts, src/nats/snapshot-publisher.ts) and the
// timer pattern of src/core/timer.ts, through the public API where there is one.

function cpuMicros(fn) {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/** Median CPU µs per item of `step(item)` over `items`, after a warm-up pass. */
function measure(items, step, runs = 7) {
  for (const item of items) step(item);
  const samples = [];
  for (let run = 0; run < runs; run++) {
    samples.push(
      cpuMicros(() => {
        for (const item of items) step(item);
      }) / items.length,
    );
  }
  samples.sort((a, b) => a - b);
  return Math.round(samples[Math.floor(runs / 2)] * 10) / 10;
}

/** Median CPU µs per operation of an async pattern (timers), `count` at a time. */
async function measureAsync(count, start, runs = 7) {
  const samples = [];
  for (let run = 0; run <= runs; run++) {
    const before = process.cpuUsage();
    const pending = [];
    for (let i = 0; i < count; i++) pending.push(start());
    await Promise.all(pending);
    const used = process.cpuUsage(before);
    if (run > 0) samples.push((used.user + used.system) / count);
  }
  samples.sort((a, b) => a - b);
  return Math.round(samples[Math.floor(runs / 2)] * 10) / 10;
}

export async function measureStages({ devices = 200, configBytes = 30_000 } = {}) {
  const raw = Array.from({ length: devices }, (_, i) =>
    Buffer.from(
      ('# 2026-03-07 12:00:00 by RouterOS 7.16.2\n' + routerosConfig(i, configBytes)).replace(
        /\n/g,
        '\r\n',
      ),
    ),
  );
  const normalized = raw.map((bytes) => normalizeConfig(routeros, bytes));
  const snapshots = normalized.map((result, i) =>
    createSnapshot({
      deviceId: `r${i}`,
      tenantId: 'bench',
      vendor: 'routeros',
      configText: result.text,
      routerosVersion: '7.16.2',
    }),
  );
  const json = snapshots.map(toWireJson);
  const patterns = [...routeros.syntaxErrorPatterns, ...routeros.errorPatterns];

  const stages = {
    // collect.ts checkOutput: every syntax and error pattern of the collector over the first and
    // the last 4 KiB of the output (its errorRegion), each end decoded as latin1.
    check_output_patterns: measure(raw, (bytes) => {
      const text = `${bytes.toString('latin1', 0, 4096)}\n${bytes.toString('latin1', bytes.length - 4096)}`;
      for (const pattern of patterns) pattern.exec(text);
    }),
    // The same patterns over the whole output, as collect.ts did before it searched only the ends.
    check_output_patterns_whole: measure(raw, (bytes) => {
      const text = bytes.toString('latin1');
      for (const pattern of patterns) pattern.exec(text);
    }),
    // normalize.ts normalizeConfig: the byte path (normalize-bytes.ts), with its hash.
    normalize_and_hash: measure(raw, (bytes) => normalizeConfig(routeros, bytes)),
    // snapshot.ts createSnapshot as users call it: one hash, which validateSnapshot then trusts.
    // (The scheduler passes normalizeConfig's hash instead: no hash at all.)
    create_snapshot: measure(normalized, (result) =>
      createSnapshot({
        deviceId: 'r1',
        tenantId: 'bench',
        vendor: 'routeros',
        configText: result.text,
        routerosVersion: '7.16.2',
      }),
    ),
    // snapshot.ts toWireJson: validateSnapshot (no hash: createSnapshot's is known) and
    // JSON.stringify.
    wire_json: measure(snapshots, toWireJson),
    // snapshot-publisher.ts #encode: the UTF-8 bytes NATS sends.
    utf8_encode: measure(json, (text) => new TextEncoder().encode(text)),
    // One SHA-256 of a normalized text: what a hash of the whole text costs.
    sha256_once: measure(normalized, (result) =>
      createHash('sha256').update(result.text, 'utf8').digest('hex'),
    ),
    // A deadline built on an AbortController and clock.sleep, cancelled by abort() without a
    // reason (a DOMException with a stack) and a rejected promise: what core/timer.ts startTimer
    // still does on a clock other than the system clock (e.g. a FakeClock).
    timer_abortcontroller: await measureAsync(2_000, () => {
      const controller = new globalThis.AbortController();
      const sleeping = systemClock.sleep(60_000, controller.signal).catch(() => {});
      controller.abort();
      return sleeping;
    }),
    // The same deadline as a plain timer: what startTimer does on the system clock.
    timer_settimeout: await measureAsync(2_000, () => {
      const timer = setTimeout(() => {}, 60_000);
      clearTimeout(timer);
      return Promise.resolve();
    }),
  };
  return {
    devices,
    input_bytes: Math.round(raw.reduce((n, b) => n + b.length, 0) / devices),
    us_per_device: stages,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === 'stages') console.log(JSON.stringify(await measureStages(), null, 2));
  else console.log(JSON.stringify(measureNormalize()));
}
