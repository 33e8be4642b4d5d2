#!/usr/bin/env node
import { readFileSync } from 'node:fs';

const USAGE = `Usage: confsnap <command> [options]

Commands:
  backup    back up every device of an inventory once
  run       back up an inventory on a schedule, as a daemon
  hostkeys  list or reset pinned host keys
  demo      back up a simulated fleet

The commands are not available in this version yet.
Options:
  --help     show this help
  --version  print the version
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write(`${version()}\n`);
} else {
  process.stdout.write(USAGE);
  process.exitCode = args.length === 0 || args.includes('--help') ? 0 : 2;
}
