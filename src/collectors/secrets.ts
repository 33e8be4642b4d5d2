/**
 * Secret masking (SPEC §9): a collector's declarative `secrets` rules, applied to normalized text
 * when a device or the scheduler asks for `maskSecrets`.
 */

/** What every masked value reads in a masked configuration. */
export const SECRET_PLACEHOLDER = '<secret hidden>';

/**
 * One line rule: every capturing group of `line` that matches is a secret and is replaced by
 * {@link SECRET_PLACEHOLDER}; the rest of the line is kept. Use `(?:…)` for groups that are not
 * secrets. With the `g` flag, every match in a line is masked.
 *
 * To a rule, an already masked value reads as one non-blank character, so a group written as
 * `(\S+)`, `(.+)` or `"([^"]*)"` matches it again and masking stays idempotent.
 *
 * `within` limits the rule to the lines after one matching `within.from` (not that line), up to
 * the next matching `within.until` (e.g. RouterOS: after `/snmp community`, until the next `/`
 * section).
 */
export interface SecretLineRule {
  readonly line: RegExp;
  readonly within?: { readonly from: RegExp; readonly until: RegExp };
}

/**
 * One block rule: the lines strictly between a line matching `begin` and the next matching
 * `end` (a private key's base64) become one line reading {@link SECRET_PLACEHOLDER}, indented
 * like the block's first line. A block with no `end` is masked to the end of the text.
 */
export interface SecretBlockRule {
  readonly between: { readonly begin: RegExp; readonly end: RegExp };
}

/** A collector's declaration of where its configuration holds secrets. */
export type SecretRule = SecretLineRule | SecretBlockRule;

/**
 * PEM private keys of every kind (`-----BEGIN RSA PRIVATE KEY-----`, `…ENCRYPTED PRIVATE KEY…`,
 * `…OPENSSH PRIVATE KEY…`): the body is masked, the armour lines stay. Every built-in vendor
 * includes it.
 */
export const PRIVATE_KEY_BLOCK: SecretBlockRule = Object.freeze({
  between: Object.freeze({
    begin: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/,
    end: /-----END [A-Z0-9 ]*PRIVATE KEY-----/,
  }),
});

/**
 * `text` (normalized, `\n` line endings) with every secret the rules find replaced by
 * {@link SECRET_PLACEHOLDER}. Idempotent: masking masked text changes nothing. Lines no rule
 * matches are returned unchanged.
 *
 * @example
 * ```ts
 * maskSecretsInText('enable secret 9 $9$abc\n', [{ line: /^enable secret \d+ (\S+)/ }]);
 * // 'enable secret 9 <secret hidden>\n'
 * ```
 */
export function maskSecretsInText(text: string, rules: readonly SecretRule[]): string {
  if (rules.length === 0) return text;
  // While the rules run, a masked value is one private-use character: a value pattern like
  // `(\S+)` matches it again, so a second pass masks exactly what the first did.
  const marker = unusedMarker(text);
  const finalNewline = text.endsWith('\n') ? '\n' : '';
  let lines = text
    .slice(0, text.length - finalNewline.length)
    .replaceAll(SECRET_PLACEHOLDER, marker)
    .split('\n');
  for (const rule of rules) {
    lines = 'between' in rule ? maskBlocks(lines, rule, marker) : maskLines(lines, rule, marker);
  }
  return lines.join('\n').replaceAll(marker, SECRET_PLACEHOLDER) + finalNewline;
}

function unusedMarker(text: string): string {
  for (let code = 0xe000; code <= 0xf8ff; code++) {
    const candidate = String.fromCharCode(code);
    if (!text.includes(candidate)) return candidate;
  }
  throw new RangeError('maskSecretsInText: the text uses every private-use character');
}

function maskBlocks(lines: string[], rule: SecretBlockRule, marker: string): string[] {
  const { begin, end } = rule.between;
  const out: string[] = [];
  let inside = false;
  let masked = false;
  for (const line of lines) {
    if (inside) {
      if (end.test(line)) {
        inside = false;
        out.push(line);
      } else if (!masked) {
        masked = true;
        out.push(`${/^[ \t]*/.exec(line)![0]}${marker}`);
      }
      continue;
    }
    out.push(line);
    if (begin.test(line) && !end.test(line)) {
      inside = true;
      masked = false;
    }
  }
  return out;
}

const withIndices = new WeakMap<RegExp, RegExp>();

function maskLines(lines: string[], rule: SecretLineRule, marker: string): string[] {
  let pattern = withIndices.get(rule.line);
  if (!pattern) {
    pattern = new RegExp(rule.line.source, rule.line.flags.replace(/[dy]/g, '') + 'd');
    withIndices.set(rule.line, pattern);
  }
  const within = rule.within;
  let active = within === undefined;
  return lines.map((line) => {
    if (within) {
      if (active && within.until.test(line)) active = false;
      if (within.from.test(line)) {
        active = true;
        return line;
      }
    }
    return active ? maskLine(line, pattern, marker) : line;
  });
}

function maskLine(line: string, pattern: RegExp, marker: string): string {
  const spans: [number, number][] = [];
  pattern.lastIndex = 0;
  for (;;) {
    const match = pattern.exec(line);
    if (!match) break;
    for (const span of match.indices!.slice(1)) {
      if (span && span[1] > span[0]) spans.push(span);
    }
    if (!pattern.global) break;
    if (match[0] === '') pattern.lastIndex++;
  }
  if (spans.length === 0) return line;
  spans.sort((a, b) => b[0] - a[0]);
  let masked = line;
  let limit = Infinity;
  for (const [start, stop] of spans) {
    // Nested or overlapping groups: the outer, earlier-replaced span already covers it.
    if (stop > limit) continue;
    masked = masked.slice(0, start) + marker + masked.slice(stop);
    limit = start;
  }
  return masked;
}
