// Which CrashLoopBackOff alerts become desktop notifications. A crash-looping pod
// re-enters the state on every back-off, and a bad rollout crashes many pods at once,
// so: one notification per pod per quiet period, at most a few a minute overall, and
// one summary line for the rest once there is room again. Pure; time is passed in.
import { podLink, podsLink } from '../../shared/deepLinks';
import type { PodAlert } from '../../shared/gateway';

/** CrashLoopNotice is a notification to show, with the link a click opens. */
export interface CrashLoopNotice {
  title: string;
  body: string;
  /** The location hash the window opens when the notification is clicked. */
  link: string;
}

/** CrashLoopThrottleOptions tune how often people are told. */
export interface CrashLoopThrottleOptions {
  /** A pod is notified about at most once in this long (default 10 minutes). */
  perPodMs?: number;
  /** At most this many notifications in any minute (default 3), the summary included. */
  maxPerMinute?: number;
}

const minuteMs = 60_000;

function podKey(alert: PodAlert): string {
  return `${alert.cluster}/${alert.namespace}/${alert.pod}`;
}

/** alertNotice words one pod's alert; a click opens the pod's logs. */
export function alertNotice(alert: PodAlert): CrashLoopNotice {
  const restarts = alert.restarts === 1 ? 'once' : `${alert.restarts} times`;
  return {
    title: `${alert.pod} keeps crashing`,
    body: `Container ${alert.container} in ${alert.namespace}/${alert.pod} (cluster ${alert.cluster}) is in CrashLoopBackOff; it has restarted ${restarts}. Click to see its logs.`,
    link: podLink(alert.cluster, alert.namespace, alert.pod, 'logs'),
  };
}

function summaryNotice(alerts: PodAlert[]): CrashLoopNotice {
  const clusters = [...new Set(alerts.map((a) => a.cluster))];
  const pods = alerts.length === 1 ? '1 more pod' : `${alerts.length} more pods`;
  const where = clusters.length === 1 ? `cluster ${clusters[0]}` : `clusters ${clusters.join(', ')}`;
  return {
    title: `${pods} entered CrashLoopBackOff`,
    body: `In ${where}. Click to see the pods.`,
    link: podsLink(clusters[0]),
  };
}

/** CrashLoopThrottle decides which alerts to show now and sums up the ones held back. */
export class CrashLoopThrottle {
  private readonly perPodMs: number;
  private readonly maxPerMinute: number;
  /** When each pod was last told about (shown, or counted in a pending summary). */
  private readonly lastTold = new Map<string, number>();
  /** When each of the notifications of the last minute was shown. */
  private shownAt: number[] = [];
  /** Alerts held back for the next summary, one per pod. */
  private readonly held = new Map<string, PodAlert>();

  constructor(options: CrashLoopThrottleOptions = {}) {
    this.perPodMs = options.perPodMs ?? 10 * minuteMs;
    this.maxPerMinute = Math.max(1, options.maxPerMinute ?? 3);
  }

  /** offer takes one alert and returns the notifications to show now (maybe none, maybe a summary first). */
  offer(alert: PodAlert, nowMs: number): CrashLoopNotice[] {
    const key = podKey(alert);
    const last = this.lastTold.get(key);
    if (last !== undefined && nowMs - last < this.perPodMs) return [];
    this.lastTold.set(key, nowMs);
    const out = this.flush(nowMs);
    if (this.hasRoom(nowMs)) {
      this.shownAt.push(nowMs);
      out.push(alertNotice(alert));
    } else {
      this.held.set(key, alert);
    }
    this.forgetOld(nowMs);
    return out;
  }

  /** flush returns the summary of held-back alerts once the last minute has room for it; call it now and then. */
  flush(nowMs: number): CrashLoopNotice[] {
    if (this.held.size === 0 || !this.hasRoom(nowMs)) return [];
    const notice = summaryNotice([...this.held.values()]);
    this.held.clear();
    this.shownAt.push(nowMs);
    return [notice];
  }

  /** pending is how many alerts wait for the next summary. */
  get pending(): number {
    return this.held.size;
  }

  private hasRoom(nowMs: number): boolean {
    this.shownAt = this.shownAt.filter((t) => nowMs - t < minuteMs);
    return this.shownAt.length < this.maxPerMinute;
  }

  // Pods not heard of for a quiet period need no entry; this keeps the map small.
  private forgetOld(nowMs: number): void {
    if (this.lastTold.size < 1_000) return;
    for (const [key, t] of this.lastTold) if (nowMs - t >= this.perPodMs) this.lastTold.delete(key);
  }
}
