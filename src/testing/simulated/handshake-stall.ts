import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';

const SSH_MSG_KEXINIT = 20;

// What ssh2 and OpenSSH clients offer by default, so the client accepts the KEXINIT, sends its
// key-exchange init and then waits for an answer that never comes.
const KEX =
  'curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,diffie-hellman-group14-sha256';
const CIPHERS =
  'aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes256-ctr,chacha20-poly1305@openssh.com';
const MACS = 'hmac-sha2-256-etm@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1';

function nameList(names: string): Buffer {
  const bytes = Buffer.from(names, 'ascii');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An unencrypted SSH binary packet (RFC 4253 §6) around `payload`, padded to 8 bytes. */
function binaryPacket(payload: Buffer): Buffer {
  let padding = 8 - ((4 + 1 + payload.length) % 8);
  if (padding < 4) padding += 8;
  const header = Buffer.alloc(5);
  header.writeUInt32BE(1 + payload.length + padding);
  header[4] = padding;
  return Buffer.concat([header, payload, randomBytes(padding)]);
}

/** The SSH_MSG_KEXINIT a server sends first, offering `hostKeyAlgorithms`. */
function kexInit(hostKeyAlgorithms: readonly string[]): Buffer {
  return binaryPacket(
    Buffer.concat([
      Buffer.from([SSH_MSG_KEXINIT]),
      randomBytes(16),
      nameList(KEX),
      nameList(hostKeyAlgorithms.join(',')),
      nameList(CIPHERS),
      nameList(CIPHERS),
      nameList(MACS),
      nameList(MACS),
      nameList('none'),
      nameList('none'),
      nameList(''),
      nameList(''),
      Buffer.from([0, 0, 0, 0, 0]), // first_kex_packet_follows = false, reserved uint32 0
    ]),
  );
}

/**
 * Plays a server that stalls in the middle of the handshake: it sends its identification line and
 * KEXINIT, then reads and drops whatever the client sends, and never answers. Internal.
 * @internal
 */
export function stallMidHandshake(
  socket: Socket,
  ident: string,
  hostKeyAlgorithms: readonly string[],
): void {
  socket.on('data', () => {});
  socket.write(Buffer.concat([Buffer.from(`SSH-2.0-${ident}\r\n`), kexInit(hostKeyAlgorithms)]));
}
