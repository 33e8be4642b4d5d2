import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  parseOxidizedSimulation,
  startRecordedDevice,
  unescapeRubyString,
  type RecordedDevice,
} from '../../src/testing/index.js';
import { connect, exec, openShell } from './ssh-client.js';

const fixtures = fileURLToPath(new URL('../fixtures/recordings/oxidized/', import.meta.url));
const ironwareYaml = readFileSync(`${fixtures}ironware#ICX7150-48Z-HPOE#simulation.yaml`, 'utf8');

describe('unescapeRubyString', () => {
  it('decodes the escapes of a Ruby double-quoted string body', () => {
    expect(unescapeRubyString('a\\nb\\r\\tc\\e[0m\\x20\\x1B\\"q\\" \\\\n')).toBe(
      'a\nb\r\tc\x1b[0m \x1b"q" \\n',
    );
  });

  it('turns literal non-ASCII text into its UTF-8 bytes, one character per byte', () => {
    expect(Buffer.from(unescapeRubyString('é\\xff'), 'latin1')).toEqual(
      Buffer.from([0xc3, 0xa9, 0xff]),
    );
  });
});

describe('parseOxidizedSimulation', () => {
  it('reads init_prompt and the commands, with block scalars unescaped', () => {
    const session = parseOxidizedSimulation(
      [
        '---',
        'init_prompt: |-',
        '  \\e[4mMOTD\\e[0m',
        '  sw1#',
        'commands:',
        '  "show version\\n": |-',
        '    show version',
        '    Version 1.0\\x20',
        '    sw1#',
        '',
      ].join('\n'),
    );
    expect(session.initPrompt).toBe('\x1b[4mMOTD\x1b[0m\nsw1#');
    expect([...session.commands]).toEqual([['show version\n', 'show version\nVersion 1.0 \nsw1#']]);
  });

  it('rejects a file without init_prompt or commands', () => {
    expect(() => parseOxidizedSimulation('commands: {}\n')).toThrow(/init_prompt/);
    expect(() => parseOxidizedSimulation('init_prompt: x\n')).toThrow(/commands/);
  });

  it('reads an empty init_prompt (an exec recording) as no text', () => {
    const session = parseOxidizedSimulation('init_prompt:\ncommands:\n  "cat x\\n": |-\n    y\n');
    expect(session.initPrompt).toBe('');
    expect(session.commands.get('cat x\n')).toBe('y');
  });
});

describe('startRecordedDevice', () => {
  let device: RecordedDevice | undefined;
  afterEach(async () => {
    await device?.close();
    device = undefined;
  });

  it('replays a real IronWare recording in a shell, and lists a command it lacks', async () => {
    const recording = parseOxidizedSimulation(ironwareYaml);
    device = await startRecordedDevice(ironwareYaml);
    const connected = await connect(device);
    try {
      const shell = await openShell(connected.client);
      await shell.waitFor(recording.initPrompt);
      expect(shell.output).toBe(recording.initPrompt);
      const reply = recording.commands.get('show running-config\n')!;
      expect(reply.length).toBeGreaterThan(1000);
      shell.clear();
      shell.send('show running-config\n');
      await shell.waitFor(reply);
      expect(shell.output).toBe(reply);
      expect(device.unknownCommands).toEqual([]);

      shell.clear();
      shell.send('show bogus\n');
      // The unknown command ends in the prompt the device showed last, not the login's.
      await shell.waitFor('SSH@#HOSTNAME##');
      expect(shell.output).toBe('show bogus\r\nInvalid input -> show bogus\r\nSSH@#HOSTNAME##');
      expect(device.unknownCommands).toEqual(['show bogus']);

      // An empty line gets a line break before the recorded prompt, as a terminal echoes it.
      shell.clear();
      shell.send('\n');
      await shell.waitFor('SSH@#HOSTNAME##');
      expect(shell.output).toBe('\r\nSSH@#HOSTNAME##');
      expect(device.unknownCommands).toEqual(['show bogus']);
    } finally {
      await connected.end();
    }
  });

  it('answers exec requests from the same recording', async () => {
    const recording = parseOxidizedSimulation(ironwareYaml);
    device = await startRecordedDevice(recording, { unknownReply: () => 'nope\r\n' });
    const connected = await connect(device);
    try {
      const known = await exec(connected.client, 'show version');
      expect(known.stdout.toString('latin1')).toBe(recording.commands.get('show version\n'));
      expect(known.exitCode).toBe(0);
      const unknown = await exec(connected.client, 'show nothing');
      expect(unknown.stdout.toString('latin1')).toBe('show nothing\r\nnope\r\nSSH@#HOSTNAME#');
      expect(unknown.exitCode).toBe(1);
      expect(device.unknownCommands).toEqual(['show nothing']);
    } finally {
      await connected.end();
    }
  });

  it('replays a real H3C Comware recording, init prompt and pager-less display included', async () => {
    const yaml = readFileSync(`${fixtures}h3c#5130-48G_7.1.070#simulation.yaml`, 'utf8');
    const recording = parseOxidizedSimulation(yaml);
    device = await startRecordedDevice(yaml);
    const connected = await connect(device);
    try {
      const shell = await openShell(connected.client);
      await shell.waitFor(recording.initPrompt);
      for (const command of ['screen-length disable\n', 'display current-configuration\n']) {
        const reply = recording.commands.get(command)!;
        expect(reply).toContain(command.trim());
        shell.clear();
        shell.send(command);
        await shell.waitFor(reply);
        expect(shell.output).toBe(reply);
      }
      // The recording holds no empty line: the device answers it with its prompt, not an error.
      shell.clear();
      shell.send('\n');
      await shell.waitFor(recording.initPrompt.slice(recording.initPrompt.lastIndexOf('\n') + 1));
      expect(shell.output).not.toContain('Invalid input');
      expect(device.unknownCommands).toEqual([]);
    } finally {
      await connected.end();
    }
  });
});
