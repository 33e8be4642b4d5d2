#!/usr/bin/env node
import { closedPipeTolerant } from './io.js';
import { runCli } from './run-cli.js';
import { Interrupted, SIGNAL_NUMBERS, type StopSignal } from './signals.js';

// The one place that touches the process: signals, streams, exit code.
const stop = new AbortController();
let signals = 0;
const onSignal = (name: StopSignal): void => {
  signals++;
  if (signals > 1) {
    process.stderr.write(`\nconfsnap: ${name} again; quitting now\n`);
    process.exit(128 + SIGNAL_NUMBERS[name]);
  }
  stop.abort(new Interrupted(name));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const exitCode = await runCli(process.argv.slice(2), {
  stdout: closedPipeTolerant(process.stdout),
  stderr: closedPipeTolerant(process.stderr),
  isTTY: process.stderr.isTTY === true,
  columns: process.stderr.columns,
  env: process.env,
  cwd: process.cwd(),
  signal: stop.signal,
  // Only a command that asks for SIGHUP (run) handles it; for the others it keeps its default.
  onReload: (listener) => {
    const onHangup = (): void => listener();
    process.on('SIGHUP', onHangup);
    return () => process.off('SIGHUP', onHangup);
  },
});
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
process.exitCode = exitCode;
// Everything is closed by now and the process ends by itself; should a stray handle keep it alive,
// this ends it after a grace period instead of hanging (the timer itself does not keep it alive).
setTimeout(() => process.exit(exitCode), 3_000).unref();
