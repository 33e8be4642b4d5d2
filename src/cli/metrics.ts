/** `GET /metrics` of `confsnap run --http`: the scheduler's metrics of `confsnap/prometheus`. */
import type * as PromClient from 'prom-client';
import type { BackupScheduler } from '../index.js';
import type { Notifier } from '../hooks/index.js';
import type { MetricsText } from './http/app.js';

/**
 * What `GET /metrics` serves: the scheduler's metrics (per device too: an inventory file is a
 * fleet of bounded size), the notifier's deliveries when there are hooks, and the process's own
 * metrics — or `undefined` when the optional package `prom-client` is not installed (then
 * `GET /metrics` answers 404, and `note` says how to turn it on).
 */
export async function schedulerMetricsText(
  scheduler: BackupScheduler,
  notifier: Notifier | undefined,
  note: (line: string) => void,
): Promise<(() => Promise<MetricsText>) | undefined> {
  let promClient: typeof PromClient;
  try {
    promClient = await import('prom-client');
  } catch {
    note('GET /metrics needs the package prom-client (npm install prom-client); 404 until then');
    return undefined;
  }
  const { registerSchedulerMetrics } = await import('../prometheus/index.js');
  const registry = new promClient.Registry();
  promClient.collectDefaultMetrics({ register: registry });
  registerSchedulerMetrics(scheduler, {
    registry,
    perDevice: true,
    ...(notifier ? { notifier } : {}),
  });
  return async () => ({ contentType: registry.contentType, body: await registry.metrics() });
}
