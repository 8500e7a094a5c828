// The page the log viewer benchmark drives: the real LogViewer, fed by a fake log
// endpoint (fetch answered in the page) that streams lines in chunks, the way the
// gateway streams a busy container's log. window.benchRun(mode, lines) mounts the
// viewer (or, for the baseline, only reads the same stream) and measures frames.
import { createRoot } from 'react-dom/client';
import { streamPodLog } from '../../src/renderer/api/podLogs';
import { LogViewer } from '../../src/renderer/components/LogViewer';
import { initI18n } from '../../src/renderer/i18n';
import '../../src/renderer/styles.css';

interface Figures {
  deliveredMs: number;
  frames: number[];
  longTasks: number[];
  heapBytes: number;
  domRows: number;
  lineCountText: string;
}

const chunkLines = 1000;
const keptByBaseline: unknown[] = [];
const chunkEveryMs = 40;

function fakeLog(total: number, done: () => void): Response {
  const encoder = new TextEncoder();
  let sent = 0;
  const start = Date.parse('2024-05-01T10:00:00Z');
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          let text = '';
          const end = Math.min(total, sent + chunkLines);
          for (; sent < end; sent++) {
            const time = new Date(start + sent).toISOString();
            const level = sent % 50 === 0 ? '\x1b[31mERROR\x1b[0m' : sent % 7 === 0 ? '\x1b[33mWARN\x1b[0m' : 'INFO';
            text += `${time} ${level} request ${sent} served in ${sent % 97} ms path=/api/v1/items/${sent % 1000}\n`;
          }
          controller.enqueue(encoder.encode(text));
          if (sent >= total) {
            done();
            controller.close();
          }
          resolve();
        }, chunkEveryMs),
      );
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/plain' } });
}

async function run(mode: 'viewer' | 'baseline', total: number): Promise<Figures> {
  await initI18n();
  const frames: number[] = [];
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  // 'longtask' is Chromium's; the DOM typings do not list it.
  observer.observe({ type: 'longtask' as 'mark', buffered: false });
  let last = performance.now();
  let measuring = true;
  const tick = (now: number) => {
    frames.push(now - last);
    last = now;
    if (measuring) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);

  const started = performance.now();
  const finished = new Promise<void>((resolve) => {
    window.fetch = async () => fakeLog(total, resolve);
  });
  const root = createRoot(document.getElementById('root') as HTMLElement);
  if (mode === 'viewer') {
    root.render(<LogViewer cluster="bench" namespace="default" pod="busy" containers={[{ name: 'app', init: false, instance: '1' }]} />);
  } else {
    // The baseline reads the same stream into an array, drawing nothing; the array stays
    // reachable, as the viewer's lines do, so the heaps compare what each keeps.
    void streamPodLog('/log', new AbortController().signal, (lines) => keptByBaseline.push(...lines));
  }
  await finished;
  const deliveredMs = performance.now() - started;
  // Let the last lines reach the screen, then measure a few quiet frames more.
  await new Promise((r) => setTimeout(r, 1500));
  measuring = false;
  observer.disconnect();
  // What stays in memory, not the garbage that happens to be uncollected yet (gc is there when Chromium runs with --expose-gc).
  (globalThis as unknown as { gc?: () => void }).gc?.();
  const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  return {
    deliveredMs,
    frames: frames.slice(1),
    longTasks,
    heapBytes: memory?.usedJSHeapSize ?? 0,
    domRows: document.querySelectorAll('.log-row').length,
    lineCountText: document.querySelector('[data-testid="log-line-count"]')?.textContent ?? '',
  };
}

(window as unknown as { benchRun: typeof run }).benchRun = run;
