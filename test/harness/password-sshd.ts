/**
 * An sshd that also accepts password authentication for a test-only user, without touching the
 * machine's accounts: sshd runs in a private mount namespace (`unshare -m`) where /etc/passwd and
 * /etc/shadow are bind-mounted copies that add the user. Needs root and `unshare`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBinary, SshdService } from './services.js';

export const TEST_USER = 'confsnap-test';

/** Whether this machine can run {@link PasswordSshdService} (root, unshare, openssl). */
export function passwordSshdSupported(): boolean {
  return (
    process.getuid?.() === 0 &&
    findBinary('unshare') !== undefined &&
    findBinary('openssl') !== undefined &&
    findBinary('sshd') !== undefined
  );
}

export class PasswordSshdService extends SshdService {
  readonly username = TEST_USER;

  constructor(
    readonly password: string,
    options: ConstructorParameters<typeof SshdService>[0] = {},
  ) {
    super({
      ...options,
      extraConfig: [
        ...(options.extraConfig ?? []),
        // A Match block at the end turns password login on for the test user only.
        `Match User ${TEST_USER}`,
        '  PasswordAuthentication yes',
        '  KbdInteractiveAuthentication no',
      ],
    });
  }

  protected override command(): { file: string; args: string[] } {
    const inner = super.command();
    const hash = execFileSync('openssl', ['passwd', '-6', '-salt', 'confsnaptest', '-stdin'], {
      input: this.password,
    })
      .toString()
      .trim();
    // The test user is uid 0 under another name, so sshd needs no setuid to someone else.
    const passwd = join(this.dir, 'passwd');
    const shadow = join(this.dir, 'shadow');
    writeFileSync(
      passwd,
      `${readFileSync('/etc/passwd', 'utf8')}${TEST_USER}:x:0:0::${this.dir}:/bin/sh\n`,
    );
    writeFileSync(
      shadow,
      `${readFileSync('/etc/shadow', 'utf8')}${TEST_USER}:${hash}:19000:0:99999:7:::\n`,
      {
        mode: 0o600,
      },
    );
    // sshd refuses a password login for uid 0 unless root logins may use passwords.
    const configPath = inner.args[inner.args.length - 1]!;
    const config = readFileSync(configPath, 'utf8').replace(
      'PermitRootLogin prohibit-password',
      'PermitRootLogin yes',
    );
    writeFileSync(configPath, config);
    const script = [
      `mount --bind ${JSON.stringify(passwd)} /etc/passwd`,
      `mount --bind ${JSON.stringify(shadow)} /etc/shadow`,
      `exec ${[inner.file, ...inner.args].map((a) => JSON.stringify(a)).join(' ')}`,
    ].join(' && ');
    return {
      file: findBinary('unshare')!,
      args: ['-m', '--propagation', 'private', 'sh', '-c', script],
    };
  }
}
