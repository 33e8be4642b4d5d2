/**
 * Ports for servers that the fault suite stops and starts again on the same port.
 *
 * While a server is down its port is free, and any process that listens on port 0 (another test
 * file's simulated devices, a benchmark) or connects somewhere can be handed it by the kernel. The
 * restarted server then cannot bind, while the harness' readiness probe sees the intruder listening
 * — seen here under load as a Redis client that never became ready again. Ports below the kernel's
 * ephemeral range are never handed out that way, so the restart gets its port back.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The lowest port the kernel hands out for port 0 and outgoing connections, if known (Linux). */
function ephemeralLow(): number | undefined {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/);
    const port = Number(low);
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

/**
 * A free port on 127.0.0.1 below the ephemeral range, or 0 (let the harness pick one as usual) where
 * that range is unknown or starts too low.
 */
export async function restartablePort(): Promise<number> {
  const FIRST = 20_000;
  const low = ephemeralLow();
  if (low === undefined || low - FIRST < 1_000) return 0;
  for (let i = 0; i < 50; i++) {
    const port = FIRST + Math.floor(Math.random() * (low - FIRST));
    if (await canListen(port)) return port;
  }
  return 0;
}
