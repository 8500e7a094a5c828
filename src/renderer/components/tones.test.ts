// Tests for the colour each pod STATUS word gets.
import { describe, expect, it } from 'vitest';
import { podPhaseTone, podStatusTone } from './tones';

describe('podStatusTone', () => {
  it('colours kubectl STATUS words by what they mean', () => {
    expect(podStatusTone('Running')).toBe('ok');
    for (const waiting of ['Pending', 'ContainerCreating', 'PodInitializing', 'Init:0/2']) expect(podStatusTone(waiting), waiting).toBe('warn');
    for (const broken of ['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'Error', 'OOMKilled', 'Init:Error', 'Init:CrashLoopBackOff', 'ExitCode:3', 'Signal:9', 'Unknown', 'Evicted'])
      expect(podStatusTone(broken), broken).toBe('bad');
    expect(podStatusTone('Completed')).toBe('muted');
    expect(podStatusTone('Terminating')).toBe('muted');
  });

  it('colours phases', () => {
    expect(podPhaseTone('Running')).toBe('ok');
    expect(podPhaseTone('Pending')).toBe('warn');
    expect(podPhaseTone('Succeeded')).toBe('muted');
    expect(podPhaseTone('Failed')).toBe('bad');
  });
});
