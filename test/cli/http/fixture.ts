/**
 * An HTTP API of `confsnap run` over a real scheduler: simulated devices on loopback, a git output
 * directory written by the directory publisher, and the server listening on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessRule } from '../../../src/cli/http/auth.js';
import { ConfigHistory } from '../../../src/cli/http/history.js';
import type { HttpApiOptions } from '../../../src/cli/http/app.js';
import { startHttpApi, type RunningHttpApi } from '../../../src/cli/http/server.js';
import { BackupScheduler, DirectorySnapshotPublisher, type Device } from '../../../src/index.js';
import { FakeClock } from '../../../src/testing/fake-clock.js';
import { startSimulatedDevice, type SimulatedDevice } from '../../../src/testing/index.js';
import { sampleConfig } from '../../fixtures/configs.js';

export const TOKEN = 'test-token-5f2c9a71d0e84b6b';

export interface ApiLab {
  readonly api: RunningHttpApi;
  readonly scheduler: BackupScheduler;
  readonly devices: Record<string, SimulatedDevice>;
  readonly out: string;
  close(): Promise<void>;
}

/** Devices: `core/r1` (routeros, group core), `edge-1` (cisco-ios, group edge), `bad-pw` (wrong password). */
export async function startApiLab(
  options: {
    token?: string;
    host?: string;
    extra?: Partial<Omit<HttpApiOptions, 'listenHost'>>;
  } = {},
): Promise<ApiLab> {
  const out = mkdtempSync(join(tmpdir(), 'confsnap-http-'));
  const started: SimulatedDevice[] = [];
  const device = async (vendor: 'routeros' | 'cisco-ios', password: string) => {
    const simulated = await startSimulatedDevice({
      vendor,
      config: sampleConfig(vendor),
      credentials: { username: 'backup', password },
    });
    started.push(simulated);
    return simulated;
  };
  const devices = {
    'core/r1': await device('routeros', 'pw'),
    'edge-1': await device('cisco-ios', 'pw'),
    'bad-pw': await device('routeros', 'another-one'),
  };
  const groups = new Map([
    ['core/r1', 'core'],
    ['edge-1', 'edge'],
  ]);
  const list: Device[] = Object.entries(devices).map(([id, simulated]) => ({
    id,
    host: simulated.host,
    port: simulated.port,
    vendor: simulated.vendor,
  }));
  const publisher = new DirectorySnapshotPublisher({ dir: out, git: true });
  const scheduler = new BackupScheduler({
    devices: { list: () => Promise.resolve(list) },
    credentials: {
      get: () => Promise.resolve({ username: 'backup', password: 'pw', version: '1' }),
    },
    publisher,
    // Never advanced: nothing runs but what a test triggers.
    clock: new FakeClock(),
  });
  await scheduler.start();
  const access = AccessRule.for(options.host ?? '127.0.0.1', options.token, 'CONFSNAP_HTTP_TOKEN');
  if (typeof access === 'string') throw new Error(access);
  const api = await startHttpApi(
    { host: options.host ?? '127.0.0.1', port: 0 },
    {
      scheduler,
      history: new ConfigHistory(out),
      access,
      groupOf: (id) => groups.get(id),
      adviceFor: (id, failure) =>
        failure.kind === 'auth-failed' ? `check the password of ${id}` : undefined,
      ...options.extra,
    },
  );
  return {
    api,
    scheduler,
    devices,
    out,
    async close() {
      await api.close();
      await scheduler.stop({ graceful: false });
      await publisher.close();
      await Promise.all(started.map((simulated) => simulated.close()));
      rmSync(out, { recursive: true, force: true });
    },
  };
}
