// The crash-loop notification throttle: once per pod per quiet period, a few a minute
// overall, and a summary of the rest.
import { describe, expect, it } from 'vitest';
import type { PodAlert } from '../../shared/gateway';
import { CrashLoopThrottle } from './crashLoopNotices';

const minute = 60_000;

function alert(pod: string, cluster = 'dev'): PodAlert {
  return { cluster, namespace: 'default', pod, container: 'app', restarts: 3, at: '' };
}

describe('crash-loop notifications', () => {
  it('tells about a pod once, with a link to its logs', () => {
    const throttle = new CrashLoopThrottle();
    const [notice] = throttle.offer(alert('web-1'), 0);
    expect(notice.title).toBe('web-1 keeps crashing');
    expect(notice.body).toMatch(/Container app in default\/web-1 \(cluster dev\) is in CrashLoopBackOff; it has restarted 3 times/);
    expect(notice.link).toBe('#/pods/default/web-1?cluster=dev&tab=logs');
  });

  it('tells about the same pod again only after the quiet period', () => {
    const throttle = new CrashLoopThrottle({ perPodMs: 10 * minute });
    expect(throttle.offer(alert('web-1'), 0)).toHaveLength(1);
    expect(throttle.offer(alert('web-1'), 1 * minute)).toEqual([]);
    expect(throttle.offer(alert('web-1'), 9 * minute)).toEqual([]);
    expect(throttle.offer(alert('web-1'), 10 * minute)).toHaveLength(1);
    // The same pod name in another cluster is another pod.
    expect(throttle.offer(alert('web-1', 'prod'), 10 * minute)).toHaveLength(1);
  });

  it('shows at most a few a minute and sums up the rest when there is room', () => {
    const throttle = new CrashLoopThrottle({ maxPerMinute: 3 });
    const shown = ['a', 'b', 'c', 'd', 'e', 'f'].flatMap((pod, i) => throttle.offer(alert(pod), i * 1_000));
    expect(shown.map((n) => n.title)).toEqual(['a keeps crashing', 'b keeps crashing', 'c keeps crashing']);
    expect(throttle.pending).toBe(3);
    expect(throttle.flush(30_000)).toEqual([]);
    const [summary] = throttle.flush(minute);
    expect(summary.title).toBe('3 more pods entered CrashLoopBackOff');
    expect(summary.body).toBe('In cluster dev. Click to see the pods.');
    expect(summary.link).toBe('#/pods?cluster=dev');
    expect(throttle.pending).toBe(0);
    // Held-back pods were told about in the summary, so their quiet period runs too.
    expect(throttle.offer(alert('d'), 2 * minute)).toEqual([]);
  });

  it('counts each held-back pod once and names every cluster', () => {
    const throttle = new CrashLoopThrottle({ maxPerMinute: 1, perPodMs: 0 });
    throttle.offer(alert('a'), 0);
    throttle.offer(alert('b', 'dev'), 1);
    throttle.offer(alert('b', 'dev'), 2);
    throttle.offer(alert('c', 'prod'), 3);
    const [summary] = throttle.flush(minute);
    expect(summary.title).toBe('2 more pods entered CrashLoopBackOff');
    expect(summary.body).toBe('In clusters dev, prod. Click to see the pods.');
  });

  it('shows the summary before a new alert once the minute has passed', () => {
    const throttle = new CrashLoopThrottle({ maxPerMinute: 2 });
    throttle.offer(alert('a'), 0);
    throttle.offer(alert('b'), 0);
    throttle.offer(alert('c'), 0);
    const notices = throttle.offer(alert('d'), minute);
    expect(notices.map((n) => n.title)).toEqual(['1 more pod entered CrashLoopBackOff', 'd keeps crashing']);
  });
});
