import type { SimulatedFaults, SimulatedPager, SlowDripSettings } from './types.js';
import type { SessionIO } from './session-io.js';

/** Largest single write when nothing asks for smaller ones. */
const CHUNK_BYTES = 32 * 1024;

/** What happens once half of the configuration was sent. */
export type MidOutputFault = 'stall' | 'disconnect-connection' | 'disconnect-channel' | 'rekey';

/** How {@link writeOutput} sends one answer. */
export interface OutputOptions {
  readonly midOutput?: MidOutputFault | undefined;
  readonly drip?: Required<SlowDripSettings> | undefined;
  /** Page the output: stop every `pageLines` lines at the pager and wait for a key. */
  readonly paging?:
    | {
        readonly pager: SimulatedPager;
        readonly pageLines: number;
        readonly key: () => Promise<string>;
      }
    | undefined;
}

/** How an answer ended: all sent, the user quit the pager, or the fault dropped the channel. */
export type OutputEnd = 'done' | 'quit' | 'gone';

/** The output options the device's faults imply for a configuration answer. */
export function configOutputOptions(
  faults: SimulatedFaults,
): Pick<OutputOptions, 'midOutput' | 'drip'> {
  let midOutput: MidOutputFault | undefined;
  if (faults.stallMidOutput) midOutput = 'stall';
  else if (faults.disconnectMidOutput === 'channel') midOutput = 'disconnect-channel';
  else if (faults.disconnectMidOutput) midOutput = 'disconnect-connection';
  else if (faults.rekeyDuringOutput) midOutput = 'rekey';
  const drip = faults.slowDrip
    ? {
        bytes: (typeof faults.slowDrip === 'object' ? faults.slowDrip.bytes : undefined) ?? 64,
        intervalMs:
          (typeof faults.slowDrip === 'object' ? faults.slowDrip.intervalMs : undefined) ?? 20,
      }
    : undefined;
  return { midOutput, drip };
}

function splitLines(content: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let end = content.indexOf(10); end !== -1; end = content.indexOf(10, start)) {
    lines.push(content.subarray(start, end + 1));
    start = end + 1;
  }
  if (start < content.length) lines.push(content.subarray(start));
  return lines;
}

/**
 * Sends one answer: in chunks (small ones with pauses under `slowDrip`), stopping at the pager
 * between pages, and playing the mid-output fault once half of the bytes went out.
 */
export async function writeOutput(
  io: SessionIO,
  content: Buffer,
  options: OutputOptions = {},
): Promise<OutputEnd> {
  const { midOutput, drip, paging } = options;
  const midpoint = Math.max(1, Math.floor(content.length / 2));
  let faultPending = midOutput !== undefined;
  let written = 0;
  let linesLeft = paging?.pageLines ?? Infinity;
  for (const piece of paging ? splitLines(content) : [content]) {
    if (paging && linesLeft <= 0) {
      await io.write(paging.pager.prompt);
      const key = await paging.key();
      await io.write(paging.pager.erase);
      if (key === ' ') linesLeft = paging.pageLines;
      else if (key === '\r') linesLeft = 1;
      else return 'quit';
    }
    let rest = piece;
    while (rest.length > 0) {
      let size = Math.min(rest.length, drip?.bytes ?? CHUNK_BYTES);
      if (faultPending) size = Math.min(size, Math.max(1, midpoint - written));
      if (drip && written > 0) await io.sleep(drip.intervalMs);
      await io.write(rest.subarray(0, size));
      written += size;
      rest = rest.subarray(size);
      if (faultPending && written >= midpoint) {
        faultPending = false;
        if ((await playMidOutputFault(io, midOutput!)) === 'gone') return 'gone';
      }
    }
    linesLeft--;
  }
  if (faultPending && (await playMidOutputFault(io, midOutput!)) === 'gone') return 'gone';
  return 'done';
}

async function playMidOutputFault(
  io: SessionIO,
  fault: MidOutputFault,
): Promise<'continue' | 'gone'> {
  switch (fault) {
    case 'stall':
      return io.stall();
    case 'disconnect-connection':
      io.destroyConnection();
      return 'gone';
    case 'disconnect-channel':
      io.closeChannel();
      return 'gone';
    case 'rekey':
      await io.rekey();
      return 'continue';
  }
}

/**
 * Sends `head`, then configuration-like filler lines until the channel closes. Each write waits
 * for the client's window, so however long this runs it holds one 16 KiB block.
 */
export async function writeEndless(io: SessionIO, head: Buffer, newline: string): Promise<never> {
  await io.write(head);
  let block = '';
  for (let n = 1; block.length < 16 * 1024; n++) {
    block += `interface filler${n}${newline} description endless output ${n}${newline}`;
  }
  const filler = Buffer.from(block);
  for (;;) await io.write(filler);
}

/** 4 KiB of binary junk: NULs, bytes invalid in UTF-8, control characters. Same every time. */
export const BINARY_OUTPUT: Buffer = (() => {
  const bytes = Buffer.alloc(4096);
  let seed = 0x2545f491;
  for (let i = 0; i < bytes.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    bytes[i] = i % 7 === 0 ? 0 : seed >>> 24;
  }
  bytes.set([0xff, 0xfe, 0xc3, 0x28, 0x00, 0x1b], 0);
  return bytes;
})();

/** The first half of the configuration's lines (at least one, never the last): a cut-off config. */
export function truncateConfig(text: string): string {
  const lines = text.split(/(?<=\n)/);
  if (lines.length < 2) return text.slice(0, Math.floor(text.length / 2));
  const keep = Math.max(1, Math.min(lines.length - 1, Math.floor(lines.length / 2)));
  return lines.slice(0, keep).join('');
}
