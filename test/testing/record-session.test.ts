/** recordSession: a real session recorded, masked, written as Oxidized YAML and replayed. */
import { afterEach, describe, expect, it } from 'vitest';
import { collectConfig } from '../../src/ssh/collect.js';
import {
  escapeRubyString,
  hostnameOfPrompt,
  parseOxidizedSimulation,
  recordSession,
  startRecordedDevice,
  startSimulatedDevice,
  toOxidizedSimulation,
  unescapeRubyString,
} from '../../src/testing/index.js';

const PASSWORD = 'L0gin-pass-never-stored';
const ENABLE_SECRET = 'En4ble-secret-never-stored';
const CONFIG = [
  'hostname core-sw7',
  'enable secret 9 $9$Zq8vKp3rT1xY$abcdefghijklmnopqrstuv',
  'username backup privilege 15 secret 9 $9$Hq3bZ1aaaa$zyxwvutsrqponmlkjihgfe',
  'snmp-server community n0c-r0 RO',
  'interface GigabitEthernet0/1',
  ' description uplink to core-sw7-peer',
  ' ip address 192.0.2.7 255.255.255.0',
  'end',
  '',
].join('\n');
const SECRETS = [PASSWORD, ENABLE_SECRET, '$9$Zq8vKp3rT1xY', '$9$Hq3bZ1aaaa', 'n0c-r0'];

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function iosDevice(options: { privileged?: boolean } = {}) {
  const device = await startSimulatedDevice({
    vendor: 'cisco-ios',
    hostname: 'core-sw7',
    config: CONFIG,
    credentials: { username: 'backup', password: PASSWORD },
    ...(options.privileged === false ? { privilege: { enableSecret: ENABLE_SECRET } } : {}),
  });
  closers.push(() => device.close());
  return device;
}

describe('escapeRubyString', () => {
  it('is undone by unescapeRubyString for every byte', () => {
    const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    const text = `${all}\n#{x} #$y #@z "q" \\n end \ntrailing `;
    expect(unescapeRubyString(escapeRubyString(text))).toBe(text);
  });

  it('keeps line ends real and protects a blank that ends a line', () => {
    expect(escapeRubyString('show run\r\nline \nlast ')).toBe('show run\\r\nline\\x20\nlast\\x20');
  });
});

describe('hostnameOfPrompt', () => {
  it.each([
    ['router1#', 'router1'],
    ['router1>', 'router1'],
    ['<test5130st1>', 'test5130st1'],
    ['[admin@MikroTik] > ', 'MikroTik'],
    ['admin@fw-02:~$ ', 'fw-02'],
    ['sw1(config)#', 'sw1'],
    ['# ', undefined],
  ])('%j names %j', (prompt, name) => {
    expect(hostnameOfPrompt(prompt)).toBe(name);
  });
});

describe('toOxidizedSimulation', () => {
  it('writes what parseOxidizedSimulation reads back, byte for byte', () => {
    const session = {
      initPrompt: '\x1b[4mMOTD\x1b[0m\r\nsw1#',
      commands: new Map([
        ['show version\n', 'show version\r\nVersion 1.0 \r\n  indented\r\n\r\nsw1#'],
        ['\n', '\r\nsw1#'],
        ['show "quoted" \\ #{x}\n', 'caf\xc3\xa9 \xff\r\nsw1#'],
      ]),
    };
    const yaml = toOxidizedSimulation(session);
    expect(yaml.startsWith('---\ninit_prompt: |')).toBe(true);
    expect(yaml).toContain('  "show version\\n": |');
    const back = parseOxidizedSimulation(yaml);
    expect(back.initPrompt).toBe(session.initPrompt);
    expect([...back.commands]).toEqual([...session.commands]);
  });
});

describe('recordSession', () => {
  it('records a shell session that replays to the same backup, with every secret masked', async () => {
    const device = await iosDevice({ privileged: false });
    const target = { id: 'core-sw7', host: device.host, port: device.port, vendor: 'cisco-ios' };
    const recording = await recordSession({
      device: target,
      credentials: { username: 'backup', password: PASSWORD, enableSecret: ENABLE_SECRET },
      commandTimeoutMs: 5_000,
    });
    expect(recording.error).toBeUndefined();
    expect(recording.result?.text).toContain('enable secret 9 $9$Zq8vKp3rT1xY');
    for (const secret of SECRETS) expect(recording.yaml).not.toContain(secret);
    expect(recording.yaml).toContain('enable secret 9 <secret hidden>');
    expect(recording.yaml).toContain('snmp-server community <secret hidden> RO');
    expect(recording.session.commands.has('<secret hidden>\n')).toBe(true);
    expect(recording.session.commands.has('enable\n')).toBe(true);
    expect(recording.session.initPrompt.endsWith('core-sw7>')).toBe(true);

    // Replayed, the recording backs up as the device did, secrets masked.
    const replay = await startRecordedDevice(recording.yaml);
    closers.push(() => replay.close());
    const replayed = await collectConfig({
      device: { ...target, host: replay.host, port: replay.port },
      credentials: { username: 'admin', password: 'admin', enableSecret: '<secret hidden>' },
      commandTimeoutMs: 5_000,
    });
    expect(replay.unknownCommands).toEqual([]);
    const masked = await collectConfig({
      device: target,
      credentials: { username: 'backup', password: PASSWORD, enableSecret: ENABLE_SECRET },
      commandTimeoutMs: 5_000,
      maskSecrets: true,
    });
    expect(replayed.text).toBe(masked.text);
  });

  it('anonymizes the hostname as a whole word everywhere', async () => {
    const device = await iosDevice();
    const recording = await recordSession({
      device: { id: 'sw', host: device.host, port: device.port, vendor: 'cisco-ios' },
      credentials: { username: 'backup', password: PASSWORD },
      commandTimeoutMs: 5_000,
      anonymize: { replacement: 'lab-sw' },
    });
    expect(recording.anonymizedHostname).toBe('core-sw7');
    expect(recording.yaml).not.toContain('core-sw7');
    expect(recording.yaml).toContain('hostname lab-sw');
    expect(recording.session.initPrompt.endsWith('lab-sw#')).toBe(true);
    // Only whole words: a longer name that starts with it keeps its own end.
    expect(recording.yaml).toContain('uplink to lab-sw-peer');
  });

  it('records a failing backup up to the failure and returns its error', async () => {
    const device = await iosDevice({ privileged: false });
    const recording = await recordSession({
      device: { id: 'sw', host: device.host, port: device.port, vendor: 'cisco-ios' },
      credentials: { username: 'backup', password: PASSWORD, enableSecret: 'wrong-secret-value' },
      commandTimeoutMs: 5_000,
    });
    expect(recording.result).toBeUndefined();
    expect(recording.error?.kind).toBe('auth-failed');
    expect(recording.yaml).not.toContain('wrong-secret-value');
    expect(recording.yaml).not.toContain(PASSWORD);
    expect(recording.session.commands.has('enable\n')).toBe(true);
  });

  it('records exec sessions command by command', async () => {
    const device = await startSimulatedDevice({
      vendor: 'routeros',
      config:
        '/system identity\nset name=edge-r1\n/snmp community\nset [ find default=yes ] name=s3cr3tComm\n',
    });
    closers.push(() => device.close());
    const target = { id: 'r1', host: device.host, port: device.port, vendor: 'routeros' };
    const recording = await recordSession({
      device: target,
      credentials: { username: 'admin', password: 'admin' },
      commandTimeoutMs: 5_000,
    });
    expect(recording.error).toBeUndefined();
    expect(recording.yaml).not.toContain('s3cr3tComm');
    const keys = [...recording.session.commands.keys()];
    expect(keys.some((key) => key.startsWith('/export'))).toBe(true);
    const replay = await startRecordedDevice(recording.session);
    closers.push(() => replay.close());
    const replayed = await collectConfig({
      device: { ...target, host: replay.host, port: replay.port },
      credentials: { username: 'admin', password: 'admin' },
      commandTimeoutMs: 5_000,
    });
    expect(replay.unknownCommands).toEqual([]);
    expect(replayed.text).toContain('set name=edge-r1');
    expect(replayed.text).not.toContain('s3cr3tComm');
  });
});
