// Container logs, live: one container, all containers of a pod, or every container of
// a workload's pods interleaved by time with a colour per pod (stern-style). Lines are
// kept in a bounded buffer and drawn as a virtualized list, so a log of hundreds of
// thousands of lines stays responsive; colours programs print are kept; people can
// follow or pause, wrap long lines, show timestamps, read the previous instance,
// search with highlights and move between matches, and download what is kept.
import { useVirtualizer } from '@tanstack/react-virtual';
import { type CSSProperties, type KeyboardEvent, memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type LogLine, podLogUrl, shortTime, streamPodLog } from '../api/podLogs';
import { type AnsiStyle, parseAnsi } from '../logs/ansi';
import { LogBuffer, type LogEntry } from '../logs/logBuffer';
import { LogMerger, timeOf } from '../logs/logMerger';
import { highlightSegments, LogSearch } from '../logs/logSearch';
import { downloadText, type LogSource, sourceColour, sourceKey, sourceLabel } from '../logs/logSources';
import { endScrollTop, rowWindow } from '../logs/rowWindow';
import { Icon } from '../shell/icons';
import { ErrorNote } from './ErrorNote';
import { StateBadge } from './StateBadge';
import './logViewer.css';

/** LogContainer is one container whose log can be read. */
export interface LogContainer {
  name: string;
  init: boolean;
  /** Changes whenever a new instance of the container starts (its runtime id). */
  instance: string;
}

/** LogPod is a pod of a workload and its containers, for the interleaved view. */
export interface LogPod {
  name: string;
  containers: LogContainer[];
}

/** LogWorkload is the set of pods a pod belongs to (its controller's), offered as one interleaved view. */
export interface LogWorkload {
  /** label names the owner, e.g. "ReplicaSet web-7d9f". */
  label: string;
  pods: LogPod[];
}

/** tailChoices are the line counts people can pick; 0 reads the whole log. */
export const tailChoices = [100, 500, 1000, 5000, 0] as const;

/** keptLines is the number of lines a view keeps; older lines are dropped. */
export const keptLines = 200_000;

// How long a line from one stream waits for the others so the interleaved view is in time order.
const mergeHoldMs = 400;
const rowHeight = 18;
// The top and bottom padding of .log-output (logViewer.css), which the row arithmetic has to know.
const outputPadding = 6;
const overscan = 12;

type StreamPhase = { kind: 'connecting' } | { kind: 'open' } | { kind: 'ended' } | { kind: 'failed'; error: unknown };

interface MergedLine extends LogLine {
  at: number;
  source: number;
}

const allContainers = '*';
const wholeWorkload = '**';

function styleOf(style: AnsiStyle): { className?: string; css?: CSSProperties } {
  let fg = style.fg;
  let bg = style.bg;
  if (style.inverse) [fg, bg] = [bg ?? 'var(--log-bg)', fg ?? 'var(--log-fg)'];
  const classes: string[] = [];
  const css: CSSProperties = {};
  if (typeof fg === 'number') classes.push(`ansi-fg-${fg}`);
  else if (fg) css.color = fg;
  if (typeof bg === 'number') classes.push(`ansi-bg-${bg}`);
  else if (bg) css.backgroundColor = bg;
  if (style.bold) classes.push('ansi-bold');
  if (style.dim) classes.push('ansi-dim');
  if (style.italic) classes.push('ansi-italic');
  if (style.underline) classes.push('ansi-underline');
  return { className: classes.length ? classes.join(' ') : undefined, css: Object.keys(css).length ? css : undefined };
}

const LogText = memo(function LogText({ text, ranges, active }: { text: string; ranges: [number, number][]; active: number }) {
  const parts = highlightSegments(parseAnsi(text), ranges, active);
  return (
    <span className="log-text">
      {parts.map((part, i) => {
        const { className, css } = styleOf(part.style);
        if (part.mark) {
          return (
            <mark key={i} className={part.mark === 'active' ? 'log-match active' : 'log-match'} data-testid={part.mark === 'active' ? 'log-match-active' : 'log-match'}>
              <span className={className} style={css}>
                {part.text}
              </span>
            </mark>
          );
        }
        return className || css ? (
          <span key={i} className={className} style={css}>
            {part.text}
          </span>
        ) : (
          part.text
        );
      })}
    </span>
  );
});

// One drawn line. Memoized so that a render for new lines leaves the rows already in view alone.
const LogRow = memo(function LogRow({
  entry,
  index,
  top,
  wrap,
  measure,
  time,
  label,
  labelClass,
  ranges,
  active,
}: {
  entry: LogEntry;
  index: number;
  top: number;
  wrap: boolean;
  measure?: (element: HTMLDivElement | null) => void;
  time?: string;
  label?: string;
  labelClass?: string;
  ranges: [number, number][];
  active: number;
}) {
  return (
    <div className="log-row" data-index={index} ref={measure} style={{ transform: `translateY(${top}px)`, height: wrap ? undefined : rowHeight }}>
      {time && <span className="log-time">{shortTime(time)} </span>}
      {label !== undefined && <span className={labelClass}>{label} </span>}
      <LogText text={entry.text} ranges={ranges} active={active} />
    </div>
  );
});

/** LogViewer shows the logs of a pod's containers (or of its workload's pods) and keeps them live. */
export function LogViewer({
  cluster,
  namespace,
  pod,
  containers,
  workload,
}: {
  cluster: string;
  namespace: string;
  pod: string;
  containers: LogContainer[];
  workload?: LogWorkload;
}) {
  const { t } = useTranslation();
  const firstApp = containers.find((c) => !c.init) ?? containers[0];
  const [choice, setChoice] = useState(firstApp?.name ?? '');
  const [follow, setFollow] = useState(true);
  const [pausedAt, setPausedAt] = useState<number>();
  const [previous, setPrevious] = useState(false);
  const [tail, setTail] = useState<number>(500);
  const [timestamps, setTimestamps] = useState(false);
  const [wrap, setWrap] = useState(false);
  const [query, setQuery] = useState('');
  const [phases, setPhases] = useState<Record<string, StreamPhase>>({});
  const [attempt, setAttempt] = useState(0);
  const [, setVersion] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const buffer = useRef(new LogBuffer(keptLines));
  const search = useRef<LogSearch | undefined>(undefined);
  const sourceIndex = useRef(new Map<string, number>());
  const sourceList = useRef<LogSource[]>([]);

  // What to read: one container, all containers of the pod, or all containers of the workload's pods.
  const sources = useMemo<LogSource[]>(() => {
    const ofPod = (name: string, list: LogContainer[]) => list.map((c) => ({ pod: name, container: c.name, instance: c.instance }));
    if (choice === wholeWorkload && workload) return workload.pods.flatMap((p) => ofPod(p.name, p.containers.filter((c) => !c.init)));
    if (choice === allContainers) return ofPod(pod, containers);
    const one = containers.find((c) => c.name === choice) ?? firstApp;
    return one ? ofPod(pod, [one]) : [];
  }, [choice, workload, pod, containers, firstApp]);
  const manyPods = choice === wholeWorkload;
  const interleaved = sources.length > 1 || manyPods;
  const sourceKeys = sources.map(sourceKey).join('\n');
  const live = !previous;

  // A new selection starts an empty view; a new container instance only adds a stream.
  const selection = `${choice}|${previous}|${tail}|${attempt}`;
  useEffect(() => {
    buffer.current.clear();
    sourceIndex.current = new Map();
    sourceList.current = [];
    search.current = undefined;
    setPausedAt(undefined);
    setVersion((v) => v + 1);
  }, [selection]);

  // Lines reach the buffer at most once a frame, however fast they arrive.
  const incoming = useRef<MergedLine[]>([]);
  const frame = useRef(0);
  const deliver = useCallback((lines: MergedLine[]) => {
    if (lines.length === 0) return;
    for (const line of lines) incoming.current.push(line);
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const batch = incoming.current;
      incoming.current = [];
      buffer.current.append(batch);
      search.current?.update(buffer.current);
      setVersion((v) => v + 1);
    });
  }, []);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  // One reading session per selection: a merger, and a stream per source that is added
  // or dropped as sources come and go (a new pod of the workload, a restarted container)
  // without reading the others again.
  const [session, setSession] = useState<{ merger: LogMerger<MergedLine>; streams: Map<string, AbortController> }>();
  const liveSession = useRef(session);
  useEffect(() => {
    const current = { merger: new LogMerger<MergedLine>({ holdMs: mergeHoldMs, maxPending: 20_000 }), streams: new Map<string, AbortController>() };
    liveSession.current = current;
    incoming.current = [];
    setPhases({});
    setSession(current);
    // Lines held back for order go out once they have waited long enough.
    const timer = setInterval(() => deliver(current.merger.flush(performance.now())), mergeHoldMs / 2);
    return () => {
      clearInterval(timer);
      for (const controller of current.streams.values()) controller.abort();
    };
  }, [cluster, namespace, selection, deliver]);

  useEffect(() => {
    // In the render that replaced the session, the old one is still in state: wait for the new.
    if (!session || session !== liveSession.current) return;
    const { merger, streams } = session;
    const setPhase = (key: string, phase: StreamPhase | undefined) =>
      setPhases((all) => {
        const next = { ...all };
        if (phase) next[key] = phase;
        else delete next[key];
        return next;
      });
    const wanted = new Map(sources.map((s) => [sourceKey(s), s]));
    for (const [key, controller] of streams) {
      if (wanted.has(key)) continue;
      controller.abort();
      streams.delete(key);
      setPhase(key, undefined);
      const id = sourceIndex.current.get(key);
      if (id !== undefined) deliver(merger.end(id, performance.now()));
    }
    for (const [key, source] of wanted) {
      if (streams.has(key)) continue;
      let id = sourceIndex.current.get(key);
      if (id === undefined) {
        id = sourceList.current.length;
        sourceIndex.current.set(key, id);
        sourceList.current.push(source);
      }
      const index = id;
      const controller = new AbortController();
      streams.set(key, controller);
      merger.open(index);
      setPhase(key, { kind: 'connecting' });
      const url = podLogUrl(cluster, namespace, source.pod, { container: source.container, follow: live, previous, tailLines: tail > 0 ? tail : undefined });
      streamPodLog(
        url,
        controller.signal,
        (lines) => {
          if (controller.signal.aborted) return;
          const merged = lines.map((l) => ({ ...l, at: timeOf(l.time), source: index }));
          deliver(merger.push(index, merged, performance.now()));
        },
        () => setPhase(key, { kind: 'open' }),
      )
        .then((end) => {
          if (end === 'aborted') return;
          setPhase(key, { kind: 'ended' });
          deliver(merger.end(index, performance.now()));
        })
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          setPhase(key, { kind: 'failed', error });
          deliver(merger.end(index, performance.now()));
        });
    }
    // sourceKeys stands for sources; the session carries the selection.
  }, [session, sourceKeys]);

  const log = buffer.current;
  const end = pausedAt ?? log.endSeq;
  const first = log.firstSeq;
  const count = Math.max(0, end - first);
  const following = follow && pausedAt === undefined;

  // Wrapped lines have heights only the browser knows: the virtualizer measures them.
  // Its row positions are recomputed for the whole list whenever the count changes,
  // so it is only used when wrapping; its callbacks change only when old lines go, so
  // that other renders reuse the positions.
  const itemKey = useCallback((i: number) => first + i, [first]);
  const estimateSize = useCallback(() => rowHeight, []);
  const scrollElement = useCallback(() => scroller.current, []);
  const virtualizer = useVirtualizer({
    count: wrap ? count : 0,
    enabled: wrap,
    getScrollElement: scrollElement,
    estimateSize,
    getItemKey: itemKey,
    overscan,
  });

  // Unwrapped rows all have one height: which ones are in view is plain arithmetic on the
  // scroll position, however many lines are kept. While following, the view is at the end
  // (the layout effect below puts it there), so the rows are known before it scrolls.
  const scrollTop = useRef(0);
  const shownStart = useRef(-1);
  const [viewport, setViewport] = useState(0);
  const hasOutput = firstApp !== undefined;
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    setViewport(element.clientHeight);
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasOutput]);
  const fixedRows = wrap
    ? { start: 0, end: 0 }
    : rowWindow({
        scrollTop: following ? endScrollTop(count, rowHeight, viewport, 2 * outputPadding) : scrollTop.current,
        viewport,
        count,
        rowHeight,
        overscan,
        offset: outputPadding,
      });

  // Following keeps the newest line in view after every render that added lines.
  useLayoutEffect(() => {
    shownStart.current = fixedRows.start;
    const element = scroller.current;
    if (following && element) {
      element.scrollTop = element.scrollHeight;
      scrollTop.current = element.scrollTop;
    }
  });

  // Wrapping changes every row's height: measure again. Dropping old lines starts the
  // measured heights afresh too, so they are kept only for lines that are still there.
  useEffect(() => {
    if (wrap) virtualizer.measure();
  }, [wrap, timestamps, first, virtualizer]);

  // Where the view is, as the seq of its top line (a new search starts there).
  const topSeq = () => {
    if (wrap) {
      const top = virtualizer.getVirtualItems()[0]?.key;
      return typeof top === 'number' ? top : buffer.current.firstSeq;
    }
    return buffer.current.firstSeq + rowWindow({ scrollTop: scrollTop.current, viewport, count, rowHeight, overscan: 0, offset: outputPadding }).start;
  };

  // A new query finds its matches in what is kept, then keeps up with new lines.
  useEffect(() => {
    if (query === '') {
      search.current = undefined;
      setVersion((v) => v + 1);
      return;
    }
    const timer = setTimeout(() => {
      const next = new LogSearch(query, buffer.current);
      next.update(buffer.current);
      search.current = next;
      const match = next.firstFrom(topSeq());
      if (match) reveal(match.seq);
      setVersion((v) => v + 1);
    }, 120);
    return () => clearTimeout(timer);
    // Only a new query (or a new selection, which empties the view) searches again.
  }, [query, selection]);

  const reveal = (seq: number) => {
    // A match people asked for stays in view: following would scroll it away.
    setFollow(false);
    const index = seq - buffer.current.firstSeq;
    if (index < 0) return;
    const element = scroller.current;
    if (wrap) virtualizer.scrollToIndex(index, { align: 'center' });
    else if (element) {
      element.scrollTop = Math.max(0, outputPadding + index * rowHeight - (element.clientHeight - rowHeight) / 2);
      scrollTop.current = element.scrollTop;
    }
  };

  const find = (step: 1 | -1) => {
    const match = search.current?.move(step);
    if (match) reveal(match.seq);
    setVersion((v) => v + 1);
  };

  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      find(event.shiftKey ? -1 : 1);
    } else if (event.key === 'Escape' && query !== '') {
      event.stopPropagation();
      setQuery('');
    }
  };

  // Scrolling up by hand stops following; scrolling back to the end follows again.
  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    scrollTop.current = element.scrollTop;
    // Draw again only when other rows come into view (not for the scroll that following makes).
    if (!wrap && rowWindow({ scrollTop: element.scrollTop, viewport: element.clientHeight, count, rowHeight, overscan, offset: outputPadding }).start !== shownStart.current) {
      setVersion((v) => v + 1);
    }
    if (pausedAt !== undefined) return;
    const atEnd = element.scrollHeight - element.scrollTop - element.clientHeight < rowHeight * 2;
    if (atEnd !== follow && userScrolled.current) setFollow(atEnd);
    userScrolled.current = false;
  };
  const userScrolled = useRef(false);
  const markUserScroll = () => {
    userScrolled.current = true;
  };

  const labelOf = (source: number) => {
    const s = sourceList.current[source];
    return s ? sourceLabel(s, manyPods) : '';
  };

  const download = () => {
    const text = downloadText(log.slice(log.firstSeq, log.endSeq), { timestamps, label: interleaved ? labelOf : undefined });
    const blob = new Blob([text], { type: 'text/plain;charset=utf-8' });
    const href = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = href;
    const what = choice === wholeWorkload ? 'all-pods' : choice === allContainers ? 'all' : (sources[0]?.container ?? 'log');
    link.download = `${pod}_${what}${previous ? '_previous' : ''}.log`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
  };

  const streamPhases = Object.values(phases);
  const failure = streamPhases.find((p): p is Extract<StreamPhase, { kind: 'failed' }> => p.kind === 'failed');
  const state = useMemo(() => {
    if (streamPhases.length === 0 || streamPhases.every((p) => p.kind === 'connecting')) return { tone: 'muted' as const, text: t('logs.state.connecting'), done: false };
    if (streamPhases.some((p) => p.kind === 'open')) {
      return live ? { tone: 'ok' as const, text: t('logs.state.live'), done: false } : { tone: 'busy' as const, text: t('logs.state.reading'), done: false };
    }
    if (streamPhases.some((p) => p.kind === 'connecting')) return { tone: 'muted' as const, text: t('logs.state.connecting'), done: false };
    if (streamPhases.every((p) => p.kind === 'failed')) return { tone: 'bad' as const, text: t('logs.state.failed'), done: true };
    return live ? { tone: 'warn' as const, text: t('logs.state.stopped'), done: true } : { tone: 'muted' as const, text: t('logs.state.complete'), done: true };
  }, [streamPhases, live, t]);

  if (!firstApp) return <p className="muted">{t('logs.noContainers')}</p>;

  const found = search.current;
  const waitingLines = pausedAt === undefined ? 0 : log.endSeq - pausedAt;
  const items: { index: number; key: number; start: number }[] = [];
  if (wrap) for (const item of virtualizer.getVirtualItems()) items.push({ index: item.index, key: item.key as number, start: item.start });
  else for (let i = fixedRows.start; i < fixedRows.end; i++) items.push({ index: i, key: first + i, start: i * rowHeight });

  return (
    <div className="log-viewer" data-testid="log-viewer">
      <div className="stream-toolbar">
        <label className="inline-select">
          <span>{t('logs.container')}</span>
          <select className="input" value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="log-container">
            {containers.map((c) => (
              <option key={c.name} value={c.name}>
                {c.init ? t('logs.initContainer', { name: c.name }) : c.name}
              </option>
            ))}
            {containers.length > 1 && <option value={allContainers}>{t('logs.allContainers', { n: containers.length })}</option>}
            {workload && workload.pods.length > 1 && (
              <option value={wholeWorkload}>{t('logs.allPods', { owner: workload.label, n: workload.pods.length })}</option>
            )}
          </select>
        </label>
        <label className="inline-select">
          <span>{t('logs.tail')}</span>
          <select className="input" value={tail} onChange={(e) => setTail(Number(e.target.value))} data-testid="log-tail">
            {tailChoices.map((n) => (
              <option key={n} value={n}>
                {n === 0 ? t('logs.tailAll') : t('logs.tailLines', { count: n })}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox small">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} data-testid="log-follow" />
          {t('logs.follow')}
        </label>
        <label className="checkbox small" title={t('logs.previousHint')}>
          <input type="checkbox" checked={previous} onChange={(e) => setPrevious(e.target.checked)} data-testid="log-previous" />
          {t('logs.previous')}
        </label>
        <label className="checkbox small">
          <input type="checkbox" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} data-testid="log-timestamps" />
          {t('logs.timestamps')}
        </label>
        <label className="checkbox small">
          <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} data-testid="log-wrap" />
          {t('logs.wrap')}
        </label>
        <div className="toolbar-spacer" />
        <button
          type="button"
          className="button small"
          onClick={() => setPausedAt(pausedAt === undefined ? log.endSeq : undefined)}
          aria-pressed={pausedAt !== undefined}
          title={t('logs.pauseHint')}
          data-testid="log-pause"
        >
          <Icon name={pausedAt === undefined ? 'pause' : 'play'} />
          {pausedAt === undefined ? t('logs.pause') : t('logs.resumeView')}
        </button>
        <button type="button" className="button small" onClick={download} disabled={log.length === 0} data-testid="log-download">
          <Icon name="download" />
          {t('logs.download')}
        </button>
      </div>
      <div className="stream-toolbar">
        <label className="search log-search">
          <Icon name="search" />
          <span className="visually-hidden">{t('logs.search')}</span>
          <input
            className="input"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onSearchKey}
            placeholder={t('logs.searchPlaceholder')}
            spellCheck={false}
            data-testid="log-search"
          />
        </label>
        <button type="button" className="icon-button quiet" onClick={() => find(-1)} disabled={!found?.count} title={t('logs.findPrevious')} aria-label={t('logs.findPrevious')} data-testid="log-find-previous">
          <Icon name="arrowUp" />
        </button>
        <button type="button" className="icon-button quiet" onClick={() => find(1)} disabled={!found?.count} title={t('logs.findNext')} aria-label={t('logs.findNext')} data-testid="log-find-next">
          <Icon name="arrowDown" />
        </button>
        {query !== '' && found && (
          <span className="muted small" data-testid="log-search-results">
            {found.count === 0
              ? t('logs.noMatches')
              : t(found.limited ? 'logs.matchOfMany' : 'logs.matchOf', { index: found.current < 0 ? '–' : found.current + 1, count: found.count })}
          </span>
        )}
        <div className="toolbar-spacer" />
        {waitingLines > 0 && (
          <span className="muted small" data-testid="log-paused-lines">
            {t('logs.newWhilePaused', { count: waitingLines })}
          </span>
        )}
        {log.dropped > 0 && (
          <span className="muted small" title={t('logs.droppedHint', { count: keptLines })} data-testid="log-dropped">
            {t('logs.dropped', { count: log.dropped })}
          </span>
        )}
        <span className="muted small" data-testid="log-line-count">
          {t('logs.lines', { count: log.length })}
        </span>
        <StateBadge tone={state.tone} text={state.text} testId="log-state" />
        {state.done && (
          <button type="button" className="button small" onClick={() => setAttempt((a) => a + 1)} data-testid="log-reload">
            <Icon name="restore" />
            {live ? t('logs.resume') : t('logs.reload')}
          </button>
        )}
      </div>
      {failure && <ErrorNote error={failure.error} testId="log-error" />}
      <div className="log-output-frame">
        <div
          className={wrap ? 'log-output wrap' : 'log-output'}
          ref={scroller}
          onScroll={onScroll}
          onWheel={markUserScroll}
          onPointerDown={markUserScroll}
          onKeyDown={markUserScroll}
          tabIndex={0}
          role="log"
          aria-label={t('logs.output')}
          data-testid="log-output"
        >
          <div className="log-rows" style={{ height: wrap ? virtualizer.getTotalSize() : count * rowHeight }}>
            {items.map((item) => {
              const entry = log.at(first + item.index) as LogEntry | undefined;
              if (!entry) return null;
              const marks = found ? found.rangesOf(entry.seq) : undefined;
              const source = interleaved ? sourceList.current[entry.source] : undefined;
              return (
                <LogRow
                  key={item.key}
                  entry={entry}
                  index={item.index}
                  top={item.start}
                  wrap={wrap}
                  measure={wrap ? virtualizer.measureElement : undefined}
                  time={timestamps ? entry.time : undefined}
                  label={source && sourceLabel(source, manyPods)}
                  labelClass={source && `log-source log-source-${sourceColour(source.pod)}`}
                  ranges={marks && marks.ranges.length > 0 ? marks.ranges : noRanges}
                  active={marks?.active ?? -1}
                />
              );
            })}
          </div>
        </div>
        {!follow && pausedAt === undefined && count > 0 && (
          <button type="button" className="button small log-jump" onClick={() => setFollow(true)} data-testid="log-jump-end">
            <Icon name="arrowDown" />
            {t('logs.jumpToEnd')}
          </button>
        )}
      </div>
    </div>
  );
}

const noRanges: [number, number][] = [];
