import { createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import {
  JUMP_HOST_VENDOR,
  type CredentialProvider,
  type Device,
  type VersionedCredentials,
} from '../index.js';
import type { CredentialSpec, Inventory } from './inventory.js';
import { SetupError } from './publishers.js';

/** Where the provider finds each device's credential spec (the current inventory's). */
export type CredentialLookup = (deviceId: string) => CredentialSpec | undefined;

/**
 * Reads each device's secrets when an attempt needs them — from the environment variable or file
 * the inventory names — so a password file fixed while `confsnap run` runs is used at the next
 * attempt.
 *
 * `enable_secret_env` names the enable secret; a variable that is set but empty means an enable
 * that asks for no password (`enableSecret: ''`).
 *
 * The returned `version` changes exactly when the username or a secret changes, which unblocks a
 * device blocked by `auth-failed`. It is an HMAC under a key drawn at start-up, so it identifies
 * the secret's content without being a reusable hash of it; it never leaves the process.
 *
 * Failures (a variable not set, a file not readable, a key that does not parse) reject with a
 * message that names the variable or file — never its content — and the attempt fails with
 * `credentials-unavailable`.
 */
export function inventoryCredentials(
  lookup: CredentialLookup,
  env: Readonly<Record<string, string | undefined>>,
): CredentialProvider {
  const versionKey = randomBytes(32);
  return {
    async get(device: Device, signal: AbortSignal): Promise<VersionedCredentials | undefined> {
      const spec = lookup(device.id);
      if (!spec) return undefined;
      const version = createHmac('sha256', versionKey);
      const add = (label: string, value: string | Buffer): void => {
        version.update(`${label}:${Buffer.byteLength(value)}:`).update(value);
      };
      add('username', spec.username);
      let password: string | undefined;
      if (spec.password !== undefined) {
        password = spec.password;
      } else if (spec.passwordEnv !== undefined) {
        password = fromEnv(env, spec.passwordEnv, 'password_env');
      } else if (spec.passwordFile !== undefined) {
        password = await secretFile(spec.passwordFile, 'password_file', signal);
      }
      if (password !== undefined) add('password', password);
      let privateKey: Buffer | undefined;
      let passphrase: string | undefined;
      if (spec.privateKeyFile !== undefined) {
        privateKey = await readSecret(spec.privateKeyFile, 'private_key_file', signal);
        if (spec.passphraseEnv !== undefined) {
          passphrase = fromEnv(env, spec.passphraseEnv, 'passphrase_env');
        }
        checkPrivateKey(privateKey, passphrase, spec);
        add('key', privateKey);
        if (passphrase !== undefined) add('passphrase', passphrase);
      }
      let enableSecret: string | undefined;
      if (spec.enableSecret !== undefined) {
        enableSecret = spec.enableSecret;
        add('enable', enableSecret);
      } else if (spec.enableSecretEnv !== undefined) {
        enableSecret = fromEnv(env, spec.enableSecretEnv, 'enable_secret_env', {
          allowEmpty: true,
        });
        add('enable', enableSecret);
      }
      return {
        username: spec.username,
        ...(password === undefined ? {} : { password }),
        ...(enableSecret === undefined ? {} : { enableSecret }),
        ...(privateKey === undefined ? {} : { privateKey }),
        ...(passphrase === undefined ? {} : { passphrase }),
        version: version.digest('base64url').slice(0, 22),
      };
    },
  };
}

function fromEnv(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  field: string,
  { allowEmpty = false }: { allowEmpty?: boolean } = {},
): string {
  const value = env[name];
  if (value === undefined) {
    throw new Error(
      `the environment variable ${name} (${field}) is not set; export it in the shell or service that runs confsnap`,
    );
  }
  if (value === '' && !allowEmpty) {
    throw new Error(`the environment variable ${name} (${field}) is empty; give it the secret`);
  }
  return value;
}

async function readSecret(path: string, field: string, signal: AbortSignal): Promise<Buffer> {
  try {
    return await readFile(path, { signal });
  } catch (error) {
    if (signal.aborted) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`${field} ${path} cannot be read (${code})`);
  }
}

/** A password file's content without its final newline (editors add one). */
async function secretFile(path: string, field: string, signal: AbortSignal): Promise<string> {
  const text = (await readSecret(path, field, signal)).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw new Error(`${field} ${path} is empty`);
  return text;
}

function checkPrivateKey(key: Buffer, passphrase: string | undefined, spec: CredentialSpec): void {
  const parsed = ssh2.utils.parseKey(key, passphrase);
  if (!(parsed instanceof Error)) return;
  // ssh2's messages name the format or the missing passphrase, never key material.
  const encrypted = /encrypted|passphrase/i.test(parsed.message);
  throw new Error(
    encrypted && passphrase === undefined
      ? `private_key_file ${spec.privateKeyFile!} is encrypted; name the variable holding its passphrase in passphrase_env`
      : `private_key_file ${spec.privateKeyFile!} is not a private key ssh2 can read (${parsed.message})`,
  );
}

/** Devices listed by id in a secrets problem; the rest are counted. */
const SHOWN_DEVICES = 5;

/**
 * Reads every device's secrets once, before any device is contacted, and reports what is missing
 * once per cause — "$ROUTER_PASSWORD is not set (password_env of 6 devices: r1, r2, …)" — instead of
 * once per device after backing up started. Nothing is returned or kept: attempts read the secrets
 * again when they need them.
 *
 * @returns one line per problem (empty when every secret can be read); never a secret's value.
 */
export async function findSecretProblems(
  devices: readonly Device[],
  lookup: CredentialLookup,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string[]> {
  const provider = inventoryCredentials(lookup, env);
  const signal = new AbortController().signal;
  const devicesByProblem = new Map<string, string[]>();
  for (const device of devices) {
    try {
      await provider.get(device, signal);
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      devicesByProblem.set(problem, [...(devicesByProblem.get(problem) ?? []), device.id]);
    }
  }
  return [...devicesByProblem].map(([problem, ids]) => {
    const shown =
      ids.slice(0, SHOWN_DEVICES).join(', ') + (ids.length > SHOWN_DEVICES ? ', …' : '');
    return `${problem} (needed by ${ids.length === 1 ? 'device' : `${ids.length} devices:`} ${shown})`;
  });
}

/**
 * Stops a command before it contacts any device when a secret of the inventory cannot be read.
 *
 * @throws {SetupError} (exit 2) with one line per cause (see {@link findSecretProblems}).
 */
export async function requireSecrets(
  inventory: Inventory,
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  // Jump hosts' secrets too: a hop reaches the provider as a record with vendor 'jump-host'.
  const hops = inventory.jumpHosts.map((hop): Device => ({
    id: hop.id,
    host: hop.host,
    vendor: JUMP_HOST_VENDOR,
  }));
  const problems = await findSecretProblems(
    [...inventory.devices, ...hops],
    (id) => inventory.credentials.get(id),
    env,
  );
  if (problems.length === 0) return;
  throw new SetupError(
    problems.length === 1
      ? `cannot read the secrets of the inventory: ${problems[0]!}`
      : `cannot read the secrets of the inventory:\n${problems.map((line) => `  ${line}`).join('\n')}`,
    2,
  );
}
