// A simulated ACME OS device for the collector's tests (docs/custom-collector.md).
import type { SimulatedPersonality } from 'confsnap/testing';

/** A simulated ACME OS switch, for the tests of the acme-os collector. */
export const acmePersonality: SimulatedPersonality = {
  vendor: 'acme-os',
  mode: 'shell',
  hostname: 'edge1',
  prompt: 'edge1> ',
  pager: { prompt: '-- more --', erase: '\r          \r' },
  pageLines: 10,
  respond(command, session) {
    switch (command) {
      case 'terminal paging off':
        session.paging = false;
        return { kind: 'output' };
      case 'show config':
        return {
          kind: 'config',
          text:
            `# generated at ${session.volatileTime().toISOString()}\n` +
            session.config +
            '# end of config\n',
        };
      case 'logout':
        return { kind: 'exit' };
      default:
        return undefined; // → invalidCommand
    }
  },
  invalidCommand: (command) => ({ kind: 'output', text: `% unknown command: ${command}\n` }),
};
