#!/usr/bin/env node
import { runCli } from './run-cli.js';

// The one place that touches the process: signals, streams, exit code.
const stop = new AbortController();
let signals = 0;
const onSignal = (name: NodeJS.Signals): void => {
  signals++;
  if (signals > 1) {
    process.stderr.write(`\nconfsnap: ${name} again; quitting now\n`);
    process.exit(130);
  }
  stop.abort(new Error(`received ${name}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stderr.isTTY === true,
  columns: process.stderr.columns,
  env: process.env,
  cwd: process.cwd(),
  signal: stop.signal,
});
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
process.exitCode = exitCode;
// Everything is closed by now and the process ends by itself; should a stray handle keep it alive,
// this ends it after a grace period instead of hanging (the timer itself does not keep it alive).
setTimeout(() => process.exit(exitCode), 3_000).unref();
