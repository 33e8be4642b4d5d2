/**
 * What confsnap logs through. Pino and most structured loggers fit as they are:
 * `logger.warn({ deviceId }, 'message')`.
 *
 * confsnap never passes a password, key, passphrase or configuration text to a logger.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything: the default. */
export const silentLogger: Logger = Object.freeze({
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
});
