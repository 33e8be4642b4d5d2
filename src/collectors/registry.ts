import type { ConfigCollector } from './types.js';
import { BUILT_IN_COLLECTORS, BUILT_IN_VENDORS } from './vendors/index.js';

/** The collectors of SPEC §3, one per vendor id, in the order of {@link BUILT_IN_VENDORS}. */
export const builtinCollectors: readonly ConfigCollector[] = Object.freeze(
  BUILT_IN_VENDORS.map((vendor) => BUILT_IN_COLLECTORS[vendor]),
);

/** Options of {@link CollectorRegistry.register}. */
export interface RegisterCollectorOptions {
  /** Replace a collector already registered for the same vendor instead of throwing. */
  readonly replace?: boolean;
}

/**
 * The collectors a scheduler or `collectConfig` knows, by vendor id. Starts empty; use
 * {@link createCollectorRegistry} for one with the built-in vendors. Each registry is its own:
 * nothing is shared between instances.
 *
 * @example
 * ```ts
 * const collectors = new CollectorRegistry([ciscoIos, junos]);
 * collectors.register(myVendor);
 * collectors.get('cisco-ios')?.commands({ device });
 * ```
 */
export class CollectorRegistry implements Iterable<ConfigCollector> {
  readonly #byVendor = new Map<string, ConfigCollector>();

  /** A registry holding `collectors`; throws a `TypeError` when two of them share a vendor id. */
  constructor(collectors: Iterable<ConfigCollector> = []) {
    for (const collector of collectors) {
      const vendor: unknown = collector?.vendor;
      if (typeof vendor === 'string' && this.#byVendor.has(vendor)) {
        // Two collectors for one vendor in a list is a mistake in the list: `replace` is not an
        // option here, so the message must not suggest it.
        throw new TypeError(
          `CollectorRegistry: the list holds two collectors for vendor "${vendor}"; keep one of them`,
        );
      }
      this.register(collector);
    }
  }

  /**
   * Adds `collector` under its vendor id. Throws a `TypeError` when that vendor already has a
   * collector, unless `{ replace: true }`. Returns the registry.
   */
  register(collector: ConfigCollector, options: RegisterCollectorOptions = {}): this {
    const vendor: unknown = collector?.vendor;
    if (typeof vendor !== 'string' || vendor === '') {
      throw new TypeError('CollectorRegistry.register: expected a collector with a vendor id');
    }
    if (this.#byVendor.has(vendor) && options.replace !== true) {
      throw new TypeError(
        `CollectorRegistry.register: vendor "${vendor}" already has a collector; pass { replace: true } to replace it`,
      );
    }
    this.#byVendor.set(vendor, collector);
    return this;
  }

  /** The collector for `vendor`, or undefined. */
  get(vendor: string): ConfigCollector | undefined {
    return this.#byVendor.get(vendor);
  }

  /** Whether `vendor` has a collector. */
  has(vendor: string): boolean {
    return this.#byVendor.has(vendor);
  }

  /** The vendor ids, in registration order. */
  vendors(): string[] {
    return [...this.#byVendor.keys()];
  }

  /** The collectors, in registration order. */
  [Symbol.iterator](): IterableIterator<ConfigCollector> {
    return this.#byVendor.values();
  }
}

/**
 * A new registry with every built-in collector plus `extra`. An extra collector for a built-in
 * vendor replaces the built-in one (that is how a configured `routerosCollector({ hideSensitive })`
 * or `linuxCollector({ files })` takes over); two extras for the same vendor throw.
 *
 * @example
 * ```ts
 * const collectors = createCollectorRegistry([
 *   routerosCollector({ hideSensitive: true }),
 *   linuxCollector({ files: ['/etc/nftables.conf'] }),
 *   myVendorCollector,
 * ]);
 * ```
 */
export function createCollectorRegistry(extra: Iterable<ConfigCollector> = []): CollectorRegistry {
  const extras = new CollectorRegistry(extra);
  const registry = new CollectorRegistry(builtinCollectors.filter((c) => !extras.has(c.vendor)));
  for (const collector of extras) registry.register(collector);
  return registry;
}
