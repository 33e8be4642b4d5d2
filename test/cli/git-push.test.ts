import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitPusher, type GitPushOutcome } from '../../src/cli/git-push.js';
import { cli, entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const PASSWORD = 'pw-7c1e0a55d2';

let dir: string;
let cleanup: () => void;
const lab = new Lab();
beforeEach(() => ({ dir, cleanup } = tempDir('confsnap-push-')));
afterEach(async () => {
  await lab.close();
  cleanup();
});

function bareRepo(): string {
  const path = join(dir, 'remote.git');
  execFileSync('git', ['init', '--quiet', '--bare', path]);
  return path;
}

function remoteLog(path: string): string {
  return execFileSync('git', ['--git-dir', path, 'log', '--all', '--format=%s'], {
    encoding: 'utf8',
  });
}

async function oneDeviceInventory(): Promise<string> {
  const router = await lab.start(PASSWORD);
  return writeInventory(dir, {
    defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
    devices: [entry('r1.example.net', router)],
  });
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('--git-push', () => {
  it('backup pushes its commits to the remote', async () => {
    const inventory = await oneDeviceInventory();
    const remote = bareRepo();
    const out = join(dir, 'out');
    const run = await cli(
      ['backup', '--inventory', inventory, '--out', out, '--git', '--git-push', remote],
      { env: { ROUTER_PASSWORD: PASSWORD }, cwd: dir },
    );
    expect(run.code).toBe(0);
    expect(run.stderr()).toMatch(/git push to .*remote\.git: pushed /);
    expect(remoteLog(remote)).toMatch(/^r1\.example\.net: routeros config [0-9a-f]{12}$/m);
  });

  it('a failing remote is reported and does not fail the backup', async () => {
    const inventory = await oneDeviceInventory();
    const out = join(dir, 'out');
    const run = await cli(
      [
        'backup',
        '--inventory',
        inventory,
        '--out',
        out,
        '--git',
        '--git-push',
        join(dir, 'missing.git'),
      ],
      { env: { ROUTER_PASSWORD: PASSWORD }, cwd: dir },
    );
    expect(run.code).toBe(0);
    expect(run.stderr()).toMatch(
      /warning: git push to .*missing\.git failed: .*; the commits stay in/,
    );
    expect(existsSync(join(out, 'r1.example.net.cfg'))).toBe(true);
  });

  it('never shows the password of a remote URL', async () => {
    const inventory = await oneDeviceInventory();
    const out = join(dir, 'out');
    // Port 1 on loopback: nothing listens, the push fails at once.
    const remote = 'http://backup:pw-remote-91f3@127.0.0.1:1/configs.git';
    const run = await cli(
      ['backup', '--inventory', inventory, '--out', out, '--git', '--git-push', remote],
      { env: { ROUTER_PASSWORD: PASSWORD }, cwd: dir },
    );
    expect(run.code).toBe(0);
    expect(run.stderr()).toMatch(
      /warning: git push to http:\/\/\*\*\*@127\.0\.0\.1:1\/configs\.git failed/,
    );
    expect(run.all()).not.toContain('pw-remote-91f3');
  });

  it('needs --git', async () => {
    const run = await cli([
      'backup',
      '--inventory',
      'x.yaml',
      '--out',
      'o',
      '--git-push',
      'origin',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('--git-push REMOTE pushes the commits --git makes; add --git');
  });

  it('run pushes after a backup that changed a config', async () => {
    const inventory = await oneDeviceInventory();
    const remote = bareRepo();
    const out = join(dir, 'out');
    const controller = new AbortController();
    const running = cli(
      [
        'run',
        '--inventory',
        inventory,
        '--out',
        out,
        '--interval',
        '1s',
        '--git',
        '--git-push',
        remote,
      ],
      { env: { ROUTER_PASSWORD: PASSWORD }, cwd: dir, signal: controller.signal },
    );
    await until(() => {
      try {
        return remoteLog(remote).includes('r1.example.net');
      } catch {
        return false;
      }
    });
    controller.abort(new Error('SIGTERM'));
    const run = await running;
    expect(run.code).toBe(0);
    expect(run.stderr()).toMatch(/git push to .*: pushed /);
  });

  describe('GitPusher', () => {
    let server: Server;
    const sockets: Socket[] = [];
    afterEach(async () => {
      for (const socket of sockets) socket.destroy();
      if (server?.listening) await new Promise((resolve) => server.close(resolve));
    });

    function localRepo(): string {
      const repo = join(dir, 'repo');
      execFileSync('git', ['init', '--quiet', repo]);
      execFileSync('git', [
        '-C',
        repo,
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@t',
        'commit',
        '--quiet',
        '--allow-empty',
        '-m',
        'x',
      ]);
      return repo;
    }

    it('gives up on a remote that does not answer within the timeout, without the password', async () => {
      // Accepts the connection and never answers.
      server = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      const outcomes: GitPushOutcome[] = [];
      const pusher = new GitPusher({
        dir: localRepo(),
        remote: `http://backup:s3cr3t-pw@127.0.0.1:${port}/configs.git`,
        timeoutMs: 500,
        report: (outcome) => outcomes.push(outcome),
      });
      const started = Date.now();
      pusher.request();
      await pusher.idle();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]!.ok).toBe(false);
      expect(outcomes[0]!.line).toMatch(
        /git push to http:\/\/\*\*\*@127\.0\.0\.1:\d+\/configs\.git failed: no answer within/,
      );
      expect(outcomes[0]!.line).not.toContain('s3cr3t-pw');
    });

    it('folds requests made during a push into one more push', async () => {
      const remote = bareRepo();
      const outcomes: GitPushOutcome[] = [];
      const pusher = new GitPusher({ dir: localRepo(), remote, report: (o) => outcomes.push(o) });
      pusher.request();
      pusher.request();
      pusher.request();
      await pusher.idle();
      expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
      expect(remoteLog(remote).trim()).toBe('x');
    });
  });
});
