// Per-pod workers: no overlapping syncs of one pod, folded requests, delayed syncs.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { PodWorkers } from './podWorkers';

describe('PodWorkers', () => {
  it('never runs two syncs of a pod at once and folds requests into one more sync', async () => {
    let running = 0;
    let maxRunning = 0;
    const calls: string[] = [];
    let release: () => void = () => {};
    const workers = new PodWorkers(async (uid) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      calls.push(uid);
      if (calls.length === 1) await new Promise<void>((r) => (release = r));
      running--;
    }, createLogger('test'));
    workers.enqueue('a');
    workers.enqueue('a');
    workers.enqueue('a');
    workers.enqueue('b');
    await new Promise((r) => setTimeout(r, 10));
    release();
    await workers.idle();
    expect(calls.sort()).toEqual(['a', 'a', 'b']);
    expect(maxRunning).toBeLessThanOrEqual(2);
    await workers.stop();
  });

  it('drops the worker of a forgotten pod once its sync ends', async () => {
    const workers = new PodWorkers(async (uid) => {
      workers.forget(uid);
    }, createLogger('test'));
    workers.enqueue('gone');
    await workers.idle();
    expect(workers.uids()).toEqual([]);
    await workers.stop();
  });

  it('keeps the earliest of several delayed syncs', async () => {
    const calls: number[] = [];
    const started = Date.now();
    const workers = new PodWorkers(async () => {
      calls.push(Date.now() - started);
    }, createLogger('test'));
    workers.enqueueAfter('a', 200);
    workers.enqueueAfter('a', 20);
    await new Promise((r) => setTimeout(r, 100));
    expect(calls.length).toBe(1);
    await workers.stop();
  });
});
