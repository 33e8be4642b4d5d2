import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createSnapshot,
  fromWireJson,
  toWireJson,
  type Snapshot,
} from '../../src/publish/index.js';
import { isSubjectToken } from '../../src/publish/snapshot.js';

const CONFIG = '/system identity\nset name=rtr-1\n# model = RB5009\n';

function routerSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    ...createSnapshot({
      deviceId: 'rtr-1',
      tenantId: 'acme',
      vendor: 'routeros',
      routerosVersion: '7.16.2',
      collectedAt: new Date('2026-03-07T12:00:00Z'),
      configText: CONFIG,
    }),
    ...overrides,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
}

describe('createSnapshot', () => {
  it('hashes the UTF-8 bytes of the config text as lowercase hex', () => {
    const snapshot = createSnapshot({
      deviceId: 'sw-1',
      tenantId: 't',
      vendor: 'cisco-ios',
      configText: 'hostname Zürich\n',
    });
    expect(snapshot.sha256).toBe(sha256('hostname Zürich\n'));
  });

  it('stamps normalization version 2 unless told otherwise', () => {
    const snapshot = createSnapshot({
      deviceId: 'sw-1',
      tenantId: 't',
      vendor: 'junos',
      configText: 'x\n',
    });
    expect(snapshot.normalizationVersion).toBe(2);
  });

  it('accepts an FQDN as the device id and publishes it unchanged as device_id', () => {
    const snapshot = createSnapshot({
      deviceId: 'core-sw1.example.net',
      tenantId: 't',
      vendor: 'cisco-ios',
      configText: 'x\n',
    });
    expect(JSON.parse(toWireJson(snapshot))).toMatchObject({ device_id: 'core-sw1.example.net' });
  });

  it('rejects a device id longer than 255 bytes, naming the field and the size', () => {
    expect(() =>
      createSnapshot({
        deviceId: 'x'.repeat(5000),
        tenantId: 't',
        vendor: 'routeros',
        configText: 'x\n',
      }),
    ).toThrow(/deviceId "x{80}" is 5000 bytes of UTF-8; a device id has at most 255/);
  });

  it('rejects a device id with a control character', () => {
    expect(() =>
      createSnapshot({ deviceId: 'rtr\n1', tenantId: 't', vendor: 'routeros', configText: 'x\n' }),
    ).toThrow(/control character U\+000A/);
  });
});

describe('isSubjectToken', () => {
  it.each(['rtr-1', 'a_b', 'ÄÖ', 'x/y'])('accepts %j', (token) => {
    expect(isSubjectToken(token)).toBe(true);
  });

  it.each(['', 'a.b', 'a*', '>', 'a b', 'a\tb', 'a\nb', 'a\u00a0b'])('rejects %j', (token) => {
    expect(isSubjectToken(token)).toBe(false);
  });
});

describe('toWireJson', () => {
  it('produces exactly the SPEC §5 fields, in table order, with their types', () => {
    const wire = JSON.parse(toWireJson(routerSnapshot())) as Record<string, unknown>;
    expect(Object.keys(wire)).toEqual([
      'device_id',
      'tenant_id',
      'routeros_version',
      'vendor',
      'collected_at',
      'sha256_hash',
      'config_text',
      'normalization_version',
    ]);
    expect(wire).toEqual({
      device_id: 'rtr-1',
      tenant_id: 'acme',
      routeros_version: '7.16.2',
      vendor: 'routeros',
      collected_at: '2026-03-07T12:00:00.000Z',
      sha256_hash: sha256(CONFIG),
      config_text: CONFIG,
      normalization_version: 2,
    });
  });

  it('leaves routeros_version and encoding out when they are not set', () => {
    const snapshot = createSnapshot({
      deviceId: 'sw-1',
      tenantId: 't',
      vendor: 'cisco-ios',
      configText: 'end\n',
    });
    const wire = JSON.parse(toWireJson(snapshot)) as Record<string, unknown>;
    expect(wire).not.toHaveProperty('routeros_version');
    expect(wire).not.toHaveProperty('encoding');
  });

  it('writes encoding latin1 when the device did not send UTF-8', () => {
    const snapshot = createSnapshot({
      deviceId: 'sw-1',
      tenantId: 't',
      vendor: 'cisco-ios',
      configText: 'caf\u00e9\n',
      encoding: 'latin1',
    });
    expect(JSON.parse(toWireJson(snapshot))).toMatchObject({ encoding: 'latin1' });
  });

  it('writes secrets_masked true, last, when the secrets were masked, and leaves it out otherwise', () => {
    const fields = { deviceId: 'sw-1', tenantId: 't', vendor: 'cisco-ios', configText: 'end\n' };
    const masked = toWireJson(createSnapshot({ ...fields, secretsMasked: true }));
    expect(masked.endsWith(',"secrets_masked":true}')).toBe(true);
    expect(JSON.parse(toWireJson(createSnapshot(fields)))).not.toHaveProperty('secrets_masked');
    expect(
      JSON.parse(toWireJson(createSnapshot({ ...fields, secretsMasked: false }))),
    ).not.toHaveProperty('secrets_masked');
  });

  it('rejects a secretsMasked other than true, naming the field', () => {
    expect(() => toWireJson(routerSnapshot({ secretsMasked: 'yes' as unknown as true }))).toThrow(
      /secretsMasked must be true when set/,
    );
  });

  it('writes collected_at in UTC with a Z whatever the local time zone', () => {
    const snapshot = routerSnapshot({ collectedAt: new Date('2026-03-07T14:00:00+02:00') });
    expect(JSON.parse(toWireJson(snapshot))).toMatchObject({
      collected_at: '2026-03-07T12:00:00.000Z',
    });
  });

  it('refuses a snapshot whose hash does not match its text, without quoting the text', () => {
    const snapshot = routerSnapshot({ configText: 'set password=hunter2\n' });
    expect(() => toWireJson(snapshot)).toThrow(/rtr-1: sha256 .* does not match/);
    expect(() => toWireJson(snapshot)).not.toThrow(/hunter2/);
  });

  it('refuses an uppercase hash', () => {
    const snapshot = routerSnapshot({ sha256: sha256(CONFIG).toUpperCase() });
    expect(() => toWireJson(snapshot)).toThrow(/lowercase hex/);
  });

  it('refuses an invalid collection time', () => {
    expect(() => toWireJson(routerSnapshot({ collectedAt: new Date(Number.NaN) }))).toThrow(
      /collectedAt/,
    );
  });
});

describe('fromWireJson', () => {
  it('reads secrets_masked back, and rejects one that is not a boolean', () => {
    const wire = JSON.parse(toWireJson(routerSnapshot({ secretsMasked: true }))) as Record<
      string,
      unknown
    >;
    expect(fromWireJson(JSON.stringify(wire)).secretsMasked).toBe(true);
    expect(fromWireJson(JSON.stringify({ ...wire, secrets_masked: false }))).not.toHaveProperty(
      'secretsMasked',
    );
    expect(() => fromWireJson(JSON.stringify({ ...wire, secrets_masked: 'true' }))).toThrow(
      /secrets_masked must be true or false/,
    );
  });

  it('reads back what toWireJson wrote', () => {
    const snapshot = routerSnapshot();
    expect(fromWireJson(toWireJson(snapshot))).toEqual(snapshot);
  });

  it('reads UTF-8 bytes as a consumer receives them from NATS', () => {
    const snapshot = routerSnapshot();
    expect(fromWireJson(Buffer.from(toWireJson(snapshot), 'utf8'))).toEqual(snapshot);
  });

  it('rejects a hash that does not match the text', () => {
    const wire = JSON.parse(toWireJson(routerSnapshot())) as Record<string, unknown>;
    wire.config_text = '/system identity\nset name=evil\n';
    expect(() => fromWireJson(JSON.stringify(wire))).toThrow(
      /sha256_hash .* does not match the SHA-256 of config_text/,
    );
  });

  it('rejects a missing field, naming it', () => {
    const wire = JSON.parse(toWireJson(routerSnapshot())) as Record<string, unknown>;
    delete wire.tenant_id;
    expect(() => fromWireJson(JSON.stringify(wire))).toThrow(/rtr-1: tenant_id must be a string/);
  });

  it('rejects a normalization version that is not an integer', () => {
    const wire = JSON.parse(toWireJson(routerSnapshot())) as Record<string, unknown>;
    wire.normalization_version = '2';
    expect(() => fromWireJson(JSON.stringify(wire))).toThrow(/normalization_version/);
  });

  it('rejects a collection time that is not RFC 3339', () => {
    const wire = JSON.parse(toWireJson(routerSnapshot())) as Record<string, unknown>;
    wire.collected_at = 'Sat Mar 07 2026';
    expect(() => fromWireJson(JSON.stringify(wire))).toThrow(
      /collected_at must be an RFC 3339 time/,
    );
  });

  it('accepts a collection time without fractional seconds, as the Go poller wrote it', () => {
    const wire = JSON.parse(toWireJson(routerSnapshot())) as Record<string, unknown>;
    wire.collected_at = '2026-03-07T12:00:00Z';
    expect(fromWireJson(JSON.stringify(wire)).collectedAt.toISOString()).toBe(
      '2026-03-07T12:00:00.000Z',
    );
  });

  it('rejects an unknown encoding', () => {
    const wire = JSON.parse(toWireJson(routerSnapshot())) as Record<string, unknown>;
    wire.encoding = 'utf-16';
    expect(() => fromWireJson(JSON.stringify(wire))).toThrow(/encoding/);
  });

  it('ignores fields it does not know, so producers can add some', () => {
    const wire = JSON.parse(toWireJson(routerSnapshot())) as Record<string, unknown>;
    wire.collector_host = 'poller-3';
    expect(fromWireJson(JSON.stringify(wire))).toEqual(routerSnapshot());
  });

  it('rejects input that is not a JSON object', () => {
    expect(() => fromWireJson('[1,2]')).toThrow(/JSON object/);
    expect(() => fromWireJson('{')).toThrow(/not valid UTF-8 JSON/);
    expect(() => fromWireJson(new Uint8Array([0xff, 0xfe]))).toThrow(/not valid UTF-8 JSON/);
  });

  it('round-trips any text, any id and any time', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (configText, deviceId, collectedAt) => {
          const snapshot = createSnapshot({
            deviceId,
            tenantId: 't',
            vendor: 'linux',
            configText,
            collectedAt,
          });
          expect(fromWireJson(toWireJson(snapshot))).toEqual(snapshot);
        },
      ),
    );
  });
});
