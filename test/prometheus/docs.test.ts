/** docs/operations.md's Metrics section names only metrics that exist, and its alert rules parse. */
import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registerSchedulerMetrics } from '../../src/prometheus/index.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';
import { setup } from '../scheduler/setup.js';

const docs = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
const section = docs.slice(docs.indexOf('\n## Metrics\n'), docs.indexOf('\n## Hooks\n'));

class OutboxPublisher extends MemorySnapshotPublisher {
  stats() {
    return { outboxLength: 0, outboxBytes: 0 };
  }
}

function everyMetricName(): Set<string> {
  const { scheduler } = setup({ publisher: new OutboxPublisher() });
  const metrics = registerSchedulerMetrics(scheduler, {
    registry: new Registry(),
    perDevice: true,
    goPollerCompat: true,
    notifier: { stats: () => ({ delivered: 0, failed: 0, dropped: 0, queued: 0 }) },
  });
  return new Set(metrics.names);
}

describe('the Metrics section of docs/operations.md', () => {
  it('names only metrics that registerSchedulerMetrics registers, and all of them', () => {
    const names = everyMetricName();
    const mentioned = new Set(
      [...section.matchAll(/\b(?:confsnap|mikrotik)_[a-z_]+/g)].map((m) =>
        m[0].replace(/_(bucket|sum|count)$/, ''),
      ),
    );
    // The default prefix and the Go poller's family, named as such.
    mentioned.delete('confsnap_');
    mentioned.delete('mikrotik_config_backup_');
    expect([...mentioned].filter((name) => !names.has(name))).toEqual([]);
    expect([...names].filter((name) => !mentioned.has(name))).toEqual([]);
  });

  it('has alert rules that are valid YAML with an alert and an expression each', () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const rules = (parse(yaml) as { groups: { rules: { alert: string; expr: string }[] }[] })
      .groups[0]!.rules;
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'ConfsnapBackupStale',
        'ConfsnapDeviceBlocked',
        'ConfsnapOutboxGrowing',
      ]),
    );
    for (const rule of rules) expect(typeof rule.expr).toBe('string');
  });
});
