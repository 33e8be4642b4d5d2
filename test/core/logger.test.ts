import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';

describe('silentLogger', () => {
  it('accepts every level without throwing', () => {
    expect(() => {
      silentLogger.debug({ deviceId: 'edge-1' }, 'debug');
      silentLogger.info({}, 'info');
      silentLogger.warn({});
      silentLogger.error({ error: new Error('x') }, 'error');
    }).not.toThrow();
  });

  it('is frozen, so no caller can swap in a real logger for everyone', () => {
    expect(Object.isFrozen(silentLogger)).toBe(true);
  });
});
