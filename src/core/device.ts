/**
 * One network device as confsnap sees it. Read fresh from the `DeviceSource` before every attempt.
 */
export interface Device {
  /**
   * Unique id: 1–255 UTF-8 bytes without control characters, e.g. `core-sw1.example.net` or a
   * UUID (SPEC §7). Encoded where it names a NATS subject token or a file; `device_id` carries it
   * unchanged.
   */
  readonly id: string;
  /** Host name or IP address. */
  readonly host: string;
  /** SSH port. Default 22. */
  readonly port?: number;
  /** Collector id, e.g. `routeros`, `cisco-ios`. */
  readonly vendor: string;
  /** Tenant the device belongs to; published as `tenant_id`. */
  readonly tenantId?: string;
  /**
   * The pinned host-key fingerprint (`SHA256:…`), when the service keeps pins beside its device rows.
   * Absent: trust on first use.
   */
  readonly hostKeyFingerprint?: string;
  /** Software version hint, e.g. `7.16.2` for RouterOS; selects commands where vendors differ. */
  readonly version?: string;
}

/** Answers keyboard-interactive prompts, in order. */
export type KeyboardInteractiveResponder = (
  prompts: readonly { prompt: string; echo: boolean }[],
) => readonly string[] | Promise<readonly string[]>;

/**
 * How to log in to a device. Give at least one of `password`, `privateKey`, `keyboardInteractive`
 * or `agent`. confsnap never logs these or puts them into an error.
 */
export interface Credentials {
  readonly username: string;
  /**
   * Answers `password` authentication, and keyboard-interactive prompts that hide what is typed
   * (echo off, as `Password:` does) — never an echoed prompt such as `Username:` or a token code:
   * such a prompt needs `keyboardInteractive`, or the login is `auth-failed` naming the prompt.
   */
  readonly password?: string;
  /** A private key in OpenSSH, PEM or PPK form. */
  readonly privateKey?: string | Buffer;
  /** Passphrase of `privateKey`. */
  readonly passphrase?: string;
  /**
   * Answers for keyboard-interactive authentication, echoed prompts included: a list used for
   * every round, or a function of the prompts (text and echo flag).
   */
  readonly keyboardInteractive?: readonly string[] | KeyboardInteractiveResponder;
  /** Path of an ssh-agent socket. */
  readonly agent?: string;
  /**
   * The enable secret, for a vendor whose collector has a privilege step (IOS, ASA, EOS) and an
   * account that lands at the unprivileged prompt (`>`): it answers the `enable` password
   * prompt. `''` for an enable that asks for no password. Unused when the account lands
   * privileged. Without it, an account that lands unprivileged is `auth-failed` (stage
   * `enable`). Never logged, and masked wherever the device echoes it.
   */
  readonly enableSecret?: string;
}
