// In-page probes for the pod table benchmark, added before the app's own scripts:
// when pod lists arrive (fetch responses read to the end), when the first pod row is
// drawn, long tasks, and a scroll of the table from top to bottom that times every
// frame. Read from the benchmark as window.podBench. Watch streams are left alone: a
// probe reading them would add its own cost to the figures.
/* global window, document, performance, PerformanceObserver, MutationObserver, requestAnimationFrame */
(() => {
  const bench = {
    listArrivals: [],
    firstRowAt: undefined,
    firstRowPaintAt: undefined,
    longTasks: [],
  };
  window.podBench = bench;

  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No long task timing in this browser: the figures say 0 tasks.
  }

  const podList = /\/pods(\?|$)/;
  const original = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const response = await original(input, init);
    if (podList.test(url) && !/[?&]watch=/.test(url) && response.body) {
      // A tee of the body: the app reads its copy, this one only notes when the last byte came.
      response
        .clone()
        .arrayBuffer()
        .then(() => bench.listArrivals.push({ url, at: performance.now() }))
        .catch(() => undefined);
    }
    return response;
  };

  const rowSelector = '[data-testid^="pod-row-"]';
  const watchRows = () => {
    const observer = new MutationObserver(() => {
      if (bench.firstRowAt !== undefined || !document.querySelector(rowSelector)) return;
      bench.firstRowAt = performance.now();
      requestAnimationFrame(() => (bench.firstRowPaintAt = performance.now()));
    });
    observer.observe(document.documentElement, { childList: true, subtree: true });
  };
  if (document.documentElement) watchRows();
  else document.addEventListener('DOMContentLoaded', watchRows);

  /** resetRender forgets the first row and the list arrivals, before the table is shown anew. */
  bench.resetRender = () => {
    bench.listArrivals = [];
    bench.firstRowAt = undefined;
    bench.firstRowPaintAt = undefined;
  };

  /** longTasksSince lists the long tasks that started at or after a time. */
  bench.longTasksSince = (t) => bench.longTasks.filter((task) => task.start >= t).map((task) => task.duration);

  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

  /** scrollThrough scrolls the pod table from top to bottom, one step per frame, timing frames. */
  bench.scrollThrough = async (stepPx) => {
    const row = document.querySelector(rowSelector);
    let scroller = row;
    while (scroller && !(scroller.scrollHeight > scroller.clientHeight + 1 && /(auto|scroll)/.test(window.getComputedStyle(scroller).overflowY))) {
      scroller = scroller.parentElement;
    }
    if (!scroller) throw new Error('The pod table has no scrolling element.');
    scroller.scrollTop = 0;
    await nextFrame();
    const start = performance.now();
    const frames = [];
    let last = await nextFrame();
    while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
      scroller.scrollTop += stepPx;
      const now = await nextFrame();
      frames.push(now - last);
      last = now;
    }
    // The rows at the bottom are drawn too.
    await nextFrame();
    const rows = document.querySelectorAll(rowSelector);
    return {
      frames,
      longTasks: bench.longTasksSince(start),
      lastRow: rows[rows.length - 1]?.getAttribute('data-testid') ?? '',
      domRows: rows.length,
      scrollHeight: scroller.scrollHeight,
    };
  };
})();
