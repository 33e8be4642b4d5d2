import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  abortReason,
  linkedAbortController,
  onAbort,
  throwIfAborted,
} from '../../src/core/abort.js';

describe('abortReason', () => {
  it("returns the signal's reason", () => {
    const reason = new Error('stop');
    expect(abortReason(AbortSignal.abort(reason))).toBe(reason);
  });

  it('makes an AbortError DOMException when the signal carries no reason', () => {
    const signal = { aborted: true, reason: undefined } as AbortSignal;
    const reason = abortReason(signal);
    expect(reason).toBeInstanceOf(DOMException);
    expect((reason as DOMException).name).toBe('AbortError');
  });
});

describe('throwIfAborted', () => {
  it("throws an aborted signal's reason", () => {
    const reason = new Error('stop');
    expect(() => throwIfAborted(AbortSignal.abort(reason))).toThrow(reason);
  });

  it('returns for a live signal and for no signal', () => {
    expect(() => throwIfAborted(new AbortController().signal)).not.toThrow();
    expect(() => throwIfAborted(undefined)).not.toThrow();
  });
});

describe('onAbort', () => {
  it('calls back once when the signal aborts', () => {
    const controller = new AbortController();
    const callback = vi.fn();
    onAbort(controller.signal, callback);
    expect(callback).not.toHaveBeenCalled();
    controller.abort();
    controller.abort();
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('calls back at once when the signal is already aborted', () => {
    const callback = vi.fn();
    onAbort(AbortSignal.abort(), callback);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('never calls back after it was detached', () => {
    const controller = new AbortController();
    const callback = vi.fn();
    const detach = onAbort(controller.signal, callback);
    detach();
    controller.abort();
    expect(callback).not.toHaveBeenCalled();
  });

  it('leaves no listener on the signal once detached', () => {
    const controller = new AbortController();
    const detach = onAbort(controller.signal, () => {});
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    detach();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('returns a harmless detach when there is no signal', () => {
    const callback = vi.fn();
    const detach = onAbort(undefined, callback);
    expect(() => detach()).not.toThrow();
    expect(callback).not.toHaveBeenCalled();
  });
});

describe('linkedAbortController', () => {
  it("aborts with a parent's reason when that parent aborts", () => {
    const first = new AbortController();
    const second = new AbortController();
    const { controller } = linkedAbortController(first.signal, undefined, second.signal);
    const reason = new Error('deadline');
    second.abort(reason);
    expect(controller.signal.aborted).toBe(true);
    expect(controller.signal.reason).toBe(reason);
  });

  it('keeps the first reason when a second parent aborts later', () => {
    const first = new AbortController();
    const second = new AbortController();
    const { controller } = linkedAbortController(first.signal, second.signal);
    const reason = new Error('first');
    first.abort(reason);
    second.abort(new Error('second'));
    expect(controller.signal.reason).toBe(reason);
  });

  it('starts aborted, with its reason, when a parent is already aborted', () => {
    const reason = new Error('already');
    const { controller } = linkedAbortController(
      new AbortController().signal,
      AbortSignal.abort(reason),
    );
    expect(controller.signal.aborted).toBe(true);
    expect(controller.signal.reason).toBe(reason);
  });

  it('stays live while no parent aborts, also with no parents at all', () => {
    expect(linkedAbortController().controller.signal.aborted).toBe(false);
    expect(linkedAbortController(new AbortController().signal).controller.signal.aborted).toBe(
      false,
    );
  });

  it('can be aborted on its own without touching the parents', () => {
    const parent = new AbortController();
    const { controller } = linkedAbortController(parent.signal);
    controller.abort();
    expect(parent.signal.aborted).toBe(false);
  });

  it('detaches from every parent on dispose', () => {
    const first = new AbortController();
    const second = new AbortController();
    const { dispose } = linkedAbortController(first.signal, second.signal);
    dispose();
    expect(getEventListeners(first.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(second.signal, 'abort')).toHaveLength(0);
  });

  it('no longer follows a parent after dispose', () => {
    const parent = new AbortController();
    const { controller, dispose } = linkedAbortController(parent.signal);
    dispose();
    parent.abort();
    expect(controller.signal.aborted).toBe(false);
  });

  it('does not pile up listeners on a long-lived parent when each link is disposed', () => {
    const parent = new AbortController();
    for (let i = 0; i < 1_000; i++) linkedAbortController(parent.signal).dispose();
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });
});
