/**
 * What Broadcom FASTPATH's descendants share (EFOS, Netgear's managed switches): a running
 * configuration that opens with `!Current Configuration:` and has no end marker, made of blocks
 * each closed by `exit`. Internal.
 * @internal
 */

/**
 * Lines that open a block closed by `exit`. One missing here only makes the check more lenient:
 * its `exit` takes the count below zero, which still reads as closed.
 */
const BLOCK_OPENER =
  /^(?:configure|vlan database|line \S+|interface \S+|(?:ipv6 )?router \S+(?: \S+)?|policy-map .+|class-map .+|class \S+)$/;

/**
 * Whether a FASTPATH running configuration is whole: the `!Current Configuration:` header is
 * there and every block (`configure`, `vlan database`, `line …`, `interface …`, `router …`) is
 * closed by its `exit`. Lines after the `configure` block (e.g. `ip ssh server enable`) are
 * normal: the output has no end marker.
 */
export function isWholeFastpathConfig(text: string): boolean {
  if (!/^!Current Configuration:$/m.test(text)) return false;
  let depth = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === 'exit') depth--;
    else if (BLOCK_OPENER.test(line)) depth++;
  }
  return depth <= 0;
}
