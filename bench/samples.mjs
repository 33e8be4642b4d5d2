// What the contender modules of the benchmark share: running one contender with the CPU time of
// the server processes charged to it, rounding, and the summary of each sample in the JSON.
import { cpuMs } from './throughput.mjs';

export const round1 = (value) => Math.round(value * 10) / 10;
export const round2 = (value) => Math.round(value * 100) / 100;

/** Devices per second of a sample, or null when any device failed (or nothing was timed). */
export const rate = (sample) =>
  sample && sample.failed === 0 && sample.seconds > 0 ? sample.done / sample.seconds : null;

/**
 * Runs one contender for `devices` devices: its result, with `server_cpu_ms` — the CPU ms each
 * process of `servers` (name → pid) spent meanwhile. A contender that throws counts every device
 * as failed, with the error's first 300 characters.
 */
export async function sampleContender(servers, devices, run) {
  const before = Object.fromEntries(
    Object.entries(servers).map(([name, pid]) => [name, cpuMs(pid)]),
  );
  let sample;
  try {
    sample = await run();
  } catch (error) {
    const message = String(error?.message ?? error).slice(0, 300);
    sample = { done: 0, failed: devices, seconds: 0, errors: { [message]: devices } };
  }
  sample.server_cpu_ms = Object.fromEntries(
    Object.entries(servers).map(([name, pid]) => [name, cpuMs(pid) - before[name]]),
  );
  return sample;
}

/** The log line of a sample: its rate, and how many devices failed. */
export function sampleLine(name, sample) {
  const failed = sample.failed ? ` (${sample.failed} FAILED)` : '';
  return `${name}: ${round1(sample.seconds > 0 ? sample.done / sample.seconds : 0)}/s${failed}`;
}

/** The `samples` of the JSON: done, failed, seconds and the errors, by contender. */
export function sampleSummaries(samples) {
  return Object.fromEntries(
    Object.entries(samples).map(([name, s]) => [
      name,
      {
        done: s.done,
        failed: s.failed,
        seconds: round2(s.seconds),
        ...(Object.keys(s.errors ?? {}).length ? { errors: s.errors } : {}),
      },
    ]),
  );
}
