import { startSimulatedDevice } from './device.js';
import type { SimulatedDevice, SimulatedDeviceOptions } from './types.js';

/** Many simulated devices with one `close()`. */
export interface SimulatedFleet extends AsyncDisposable {
  /** The devices, in the order of the specs. */
  readonly devices: readonly SimulatedDevice[];
  /** Closes every device; resolves once all are fully closed. */
  close(): Promise<void>;
}

/** Devices started at once; more would only queue on the same event loop. */
const START_BATCH = 64;

/**
 * Starts one simulated device per spec (for fleet benchmarks and demos: 50–1000 devices). Each
 * device costs two small server objects, a host key and its own state; no buffers are held while
 * idle. If any device fails to start, the ones started are closed and the first error is thrown.
 *
 * @example
 * ```ts
 * await using fleet = await startSimulatedFleet(
 *   Array.from({ length: 200 }, (_, i) => ({
 *     vendor: i % 2 ? 'routeros' : 'cisco-ios',
 *     config: `hostname r${i}\nend\n`,
 *   })),
 * );
 * const devices = fleet.devices.map((d, i) => ({ id: `r${i}`, host: d.host, port: d.port, vendor: d.vendor }));
 * ```
 */
export async function startSimulatedFleet(
  specs: readonly SimulatedDeviceOptions[],
): Promise<SimulatedFleet> {
  const devices: SimulatedDevice[] = [];
  let failure: { error: unknown } | undefined;
  for (let start = 0; start < specs.length && !failure; start += START_BATCH) {
    const batch = await Promise.allSettled(
      specs.slice(start, start + START_BATCH).map(startSimulatedDevice),
    );
    for (const result of batch) {
      if (result.status === 'fulfilled') devices.push(result.value);
      else failure ??= { error: result.reason };
    }
  }
  const close = async (): Promise<void> => {
    await Promise.all(devices.map((device) => device.close()));
  };
  if (failure) {
    await close();
    throw failure.error;
  }
  return Object.freeze({ devices: Object.freeze(devices), close, [Symbol.asyncDispose]: close });
}
