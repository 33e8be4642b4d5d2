/**
 * ioredis clients for the integration tests, configured the two ways a service may configure its
 * own — the adapters must fail fast with either — and helpers to wait for and close them without
 * leaving a socket or timer behind.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect } from 'vitest';

/** How a service configured the client it hands to the adapters. */
export type ClientStyle = 'careful' | 'careless';

/**
 * `careful`: no offline queue, one retry per request, quick reconnects — what a service that thought
 * about outages passes. `careless`: ioredis' defaults (offline queue on, 20 retries per request,
 * back-off up to 2 s) — what most services pass.
 */
export function createClient(url: string, style: ClientStyle): Redis {
  const client =
    style === 'careful'
      ? new Redis(url, {
          lazyConnect: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          connectTimeout: 1_000,
          retryStrategy: () => 100,
        })
      : new Redis(url, { lazyConnect: true });
  // A service logs these; here they are expected while the server is stopped.
  client.on('error', () => {});
  return client;
}

/** Resolves once the client is ready, connecting it when it has not started yet. */
export async function ready(client: Redis, timeoutMs = 10_000): Promise<void> {
  if (client.status === 'ready') return;
  const isReady = new Promise<void>((resolve) => client.once('ready', () => resolve()));
  if (client.status === 'wait') await client.connect();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`client not ready after ${timeoutMs} ms (${client.status})`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([isReady, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once the client saw the connection drop (it is no longer ready). */
export async function notReady(client: Redis): Promise<void> {
  if (client.status !== 'ready') return;
  await new Promise<void>((resolve) => client.once('close', () => resolve()));
}

/**
 * Closes a client for good: `QUIT` when connected (the server closes the socket after answering),
 * `disconnect()` otherwise (which also stops reconnecting); resolves once its socket is gone.
 */
export async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  if (client.status === 'ready') {
    await client.quit();
    await ended;
    return;
  }
  // A client that is reconnecting (server down) may never emit 'end' after disconnect().
  client.disconnect();
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, 500)))]);
  clearTimeout(timer);
}

// Handles that outlive a suite would keep the worker alive or leak into the next file.
const LEAKABLE = ['ProcessWrap', 'TCPSocketWrap', 'TCPServerWrap', 'Timeout'];

function leakableHandles(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter((name) => LEAKABLE.includes(name))
    .sort();
}

/** Fails the file when it ends with more sockets, processes or timers than it started with. */
export function expectNoLeakedHandles(): void {
  let before: string[] = [];
  beforeAll(() => {
    before = leakableHandles();
  });
  afterAll(() => {
    expect(leakableHandles()).toEqual(before);
  });
}

/** A real-time pause, for TTLs on a real server. Keep it short. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
