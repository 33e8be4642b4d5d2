import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_VENDORS,
  builtinCollectors,
  CollectorRegistry,
  ciscoIos,
  createCollectorRegistry,
  defineCollector,
  junos,
  linuxCollector,
  routeros,
  routerosCollector,
} from '../../src/collectors/index.js';

describe('builtinCollectors', () => {
  it('holds one collector for every built-in vendor, in order, each under its own id', () => {
    expect(builtinCollectors.map((collector) => collector.vendor)).toEqual([...BUILT_IN_VENDORS]);
  });

  it('cannot be changed', () => {
    expect(Object.isFrozen(builtinCollectors)).toBe(true);
  });
});

describe('CollectorRegistry', () => {
  it('starts empty', () => {
    expect(new CollectorRegistry().vendors()).toEqual([]);
  });

  it('finds a registered collector by vendor id', () => {
    const registry = new CollectorRegistry().register(ciscoIos);
    expect(registry.get('cisco-ios')).toBe(ciscoIos);
    expect(registry.has('cisco-ios')).toBe(true);
  });

  it('answers undefined and false for a vendor it does not know', () => {
    const registry = new CollectorRegistry([ciscoIos]);
    expect(registry.get('junos')).toBeUndefined();
    expect(registry.has('junos')).toBe(false);
  });

  it('throws on a second collector for the same vendor', () => {
    const registry = new CollectorRegistry([routeros]);
    expect(() => registry.register(routerosCollector({ hideSensitive: true }))).toThrow(
      /vendor "routeros" already has a collector; pass \{ replace: true \}/,
    );
    expect(registry.get('routeros')).toBe(routeros);
  });

  it('replaces a collector when asked to', () => {
    const hiding = routerosCollector({ hideSensitive: true });
    const registry = new CollectorRegistry([routeros]).register(hiding, { replace: true });
    expect(registry.get('routeros')).toBe(hiding);
  });

  it('lists vendors and iterates collectors in registration order', () => {
    const registry = new CollectorRegistry([junos, ciscoIos]);
    expect(registry.vendors()).toEqual(['junos', 'cisco-ios']);
    expect([...registry]).toEqual([junos, ciscoIos]);
  });

  it('rejects something that is not a collector', () => {
    expect(() => new CollectorRegistry().register({} as never)).toThrow(TypeError);
  });
});

describe('createCollectorRegistry', () => {
  it('holds every built-in collector', () => {
    expect(createCollectorRegistry().vendors()).toEqual(BUILT_IN_VENDORS);
  });

  it('returns a new registry on every call, so registering in one leaves the others alone', () => {
    const first = createCollectorRegistry();
    first.register(defineCollector({ vendor: 'acme', commands: ['show'] }));
    expect(createCollectorRegistry().has('acme')).toBe(false);
  });

  it('adds extra collectors after the built-in ones', () => {
    const acme = defineCollector({ vendor: 'acme', commands: ['show'] });
    expect(createCollectorRegistry([acme]).vendors()).toEqual([...BUILT_IN_VENDORS, 'acme']);
  });

  it('lets an extra collector take the place of the built-in one for its vendor', () => {
    const router = linuxCollector({ files: ['/etc/nftables.conf'] });
    const registry = createCollectorRegistry([router]);
    expect(registry.get('linux')).toBe(router);
    expect(registry.vendors().filter((vendor) => vendor === 'linux')).toHaveLength(1);
  });

  it('throws when two extra collectors claim the same vendor', () => {
    const one = defineCollector({ vendor: 'acme', commands: ['show'] });
    const two = defineCollector({ vendor: 'acme', commands: ['show all'] });
    expect(() => createCollectorRegistry([one, two])).toThrow(
      /two collectors for vendor "acme"; keep one of them/,
    );
  });

  it('does not suggest { replace: true } for a list, where there is no such option', () => {
    const one = defineCollector({ vendor: 'acme', commands: ['show'] });
    expect(() => createCollectorRegistry([one, one])).not.toThrow(/replace/);
    expect(() => new CollectorRegistry([one, one])).toThrow(/two collectors for vendor "acme"/);
  });
});
