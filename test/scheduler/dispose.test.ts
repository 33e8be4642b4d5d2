/** Scheduler tests stop their scheduler even when an assertion fails: `await using`, not a last line. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));

describe('scheduler tests', () => {
  it('never end with a bare stop() that a failing assertion above would skip', () => {
    const endingInStop = /\n\s+await (?:scheduler|instance)\.stop\(\);\n\s+\}(?:, [\d_]+)?\);/g;
    const offenders = readdirSync(here)
      .filter((name) => name.endsWith('.test.ts'))
      .flatMap((name) =>
        [...readFileSync(`${here}${name}`, 'utf8').matchAll(endingInStop)].map(() => name),
      );
    expect(offenders).toEqual([]);
  });
});
