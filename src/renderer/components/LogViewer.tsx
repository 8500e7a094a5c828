// A container's log, live: read through the gateway and drawn in xterm.js (fast for
// tens of thousands of lines, and it keeps the colours programs print). People pick
// the container, follow the log or not, read the previous instance, choose how many
// lines, show timestamps, search with highlights and download what they see. A new
// instance of the container (a restart) is picked up on its own.
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type LogLine, logText, podLogUrl, shortTime, streamPodLog } from '../api/podLogs';
import { Icon } from '../shell/icons';
import { ErrorNote } from './ErrorNote';
import { StateBadge } from './StateBadge';
import { useXterm } from './useXterm';

/** LogContainer is one container whose log can be read. */
export interface LogContainer {
  name: string;
  init: boolean;
  /** Changes whenever a new instance of the container starts (its runtime id). */
  instance: string;
}

/** tailChoices are the line counts people can pick; 0 reads the whole log. */
export const tailChoices = [100, 500, 1000, 5000, 0] as const;

// The viewer keeps this many lines for search and download; the terminal scrolls back as far.
const keptLines = 20_000;

type Phase = { kind: 'connecting' } | { kind: 'open' } | { kind: 'ended' } | { kind: 'failed'; error: unknown };

const hideCursor = '\x1b[?25l';
const dim = (text: string) => `\x1b[90m${text}\x1b[0m`;

function render(lines: readonly LogLine[], timestamps: boolean): string {
  let out = '';
  for (const line of lines) out += `${timestamps && line.time ? `${dim(shortTime(line.time))} ` : ''}${line.text}\r\n`;
  return out;
}

const searchOptions = {
  caseSensitive: false,
  decorations: {
    matchBackground: '#5c4a12',
    matchOverviewRuler: '#e5a440',
    activeMatchBackground: '#e5a440',
    activeMatchColorOverviewRuler: '#ffcf70',
  },
};

/** LogViewer shows the log of one of a pod's containers and keeps it live. */
export function LogViewer({
  cluster,
  namespace,
  pod,
  containers,
}: {
  cluster: string;
  namespace: string;
  pod: string;
  containers: LogContainer[];
}) {
  const { t } = useTranslation();
  const firstApp = containers.find((c) => !c.init) ?? containers[0];
  const [container, setContainer] = useState(firstApp?.name ?? '');
  const [follow, setFollow] = useState(true);
  const [previous, setPrevious] = useState(false);
  const [tail, setTail] = useState<number>(500);
  const [timestamps, setTimestamps] = useState(false);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<{ index: number; count: number }>();
  const [phase, setPhase] = useState<Phase>({ kind: 'connecting' });
  const [lineCount, setLineCount] = useState(0);
  const [attempt, setAttempt] = useState(0);
  const host = useRef<HTMLDivElement>(null);
  const lines = useRef<LogLine[]>([]);
  const timestampsRef = useRef(timestamps);
  timestampsRef.current = timestamps;
  const parts = useXterm(host, { disableStdin: true, scrollback: keptLines, cursorBlink: false, convertEol: false });

  // A container that left the pod (a new pod spec) falls back to the first one.
  const chosen = containers.find((c) => c.name === container) ?? firstApp;
  const instance = chosen?.instance ?? '';
  const url = chosen
    ? podLogUrl(cluster, namespace, pod, { container: chosen.name, follow, previous, tailLines: tail > 0 ? tail : undefined })
    : undefined;

  useEffect(() => {
    if (!parts) return;
    const { search } = parts;
    const subscription = search.onDidChangeResults((r) =>
      setResults(r.resultCount > 0 || r.resultIndex >= 0 ? { index: r.resultIndex, count: r.resultCount } : { index: -1, count: 0 }),
    );
    return () => subscription.dispose();
  }, [parts]);

  useEffect(() => {
    if (!parts || !url) return;
    const { term } = parts;
    const controller = new AbortController();
    lines.current = [];
    setLineCount(0);
    term.reset();
    term.write(hideCursor);
    setPhase({ kind: 'connecting' });
    streamPodLog(
      url,
      controller.signal,
      (batch) => {
        if (controller.signal.aborted) return;
        const kept = lines.current;
        kept.push(...batch);
        if (kept.length > keptLines) kept.splice(0, kept.length - keptLines);
        setLineCount(kept.length);
        term.write(render(batch, timestampsRef.current));
      },
      () => setPhase({ kind: 'open' }),
    )
      .then((end) => {
        if (end === 'ended') setPhase({ kind: 'ended' });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setPhase({ kind: 'failed', error });
      });
    return () => controller.abort();
    // instance: a restarted container has a new log to read.
  }, [parts, url, instance, attempt]);

  // Showing or hiding timestamps redraws what is kept; the log is not read again.
  const drawnWithTimestamps = useRef(timestamps);
  useEffect(() => {
    if (!parts || drawnWithTimestamps.current === timestamps) return;
    drawnWithTimestamps.current = timestamps;
    parts.term.reset();
    parts.term.write(hideCursor + render(lines.current, timestamps));
  }, [parts, timestamps]);

  useEffect(() => {
    if (!parts) return;
    if (query === '') {
      parts.search.clearDecorations();
      setResults(undefined);
      return;
    }
    parts.search.findNext(query, { ...searchOptions, incremental: true });
  }, [parts, query, lineCount, timestamps]);

  const find = (direction: 'next' | 'previous') => {
    if (!parts || query === '') return;
    if (direction === 'next') parts.search.findNext(query, searchOptions);
    else parts.search.findPrevious(query, searchOptions);
  };

  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      find(event.shiftKey ? 'previous' : 'next');
    } else if (event.key === 'Escape' && query !== '') {
      event.stopPropagation();
      setQuery('');
    }
  };

  const download = () => {
    const blob = new Blob([logText(lines.current, timestamps)], { type: 'text/plain;charset=utf-8' });
    const href = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = href;
    link.download = `${pod}_${chosen?.name ?? 'log'}${previous ? '_previous' : ''}.log`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
  };

  // The previous instance has stopped: its log always ends, even when following.
  const live = follow && !previous;
  const state = useMemo(() => {
    switch (phase.kind) {
      case 'connecting':
        return { tone: 'muted' as const, text: t('logs.state.connecting') };
      case 'open':
        return live ? { tone: 'ok' as const, text: t('logs.state.live') } : { tone: 'busy' as const, text: t('logs.state.reading') };
      case 'ended':
        return live ? { tone: 'warn' as const, text: t('logs.state.stopped') } : { tone: 'muted' as const, text: t('logs.state.complete') };
      case 'failed':
        return { tone: 'bad' as const, text: t('logs.state.failed') };
    }
  }, [phase, live, t]);

  if (!chosen) return <p className="muted">{t('logs.noContainers')}</p>;

  return (
    <div className="log-viewer" data-testid="log-viewer">
      <div className="stream-toolbar">
        <label className="inline-select">
          <span>{t('logs.container')}</span>
          <select className="input" value={chosen.name} onChange={(e) => setContainer(e.target.value)} data-testid="log-container">
            {containers.map((c) => (
              <option key={c.name} value={c.name}>
                {c.init ? t('logs.initContainer', { name: c.name }) : c.name}
              </option>
            ))}
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
        <div className="toolbar-spacer" />
        <button type="button" className="button small" onClick={download} disabled={lineCount === 0} data-testid="log-download">
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
        <button type="button" className="icon-button quiet" onClick={() => find('previous')} disabled={!results?.count} title={t('logs.findPrevious')} aria-label={t('logs.findPrevious')}>
          <Icon name="arrowUp" />
        </button>
        <button type="button" className="icon-button quiet" onClick={() => find('next')} disabled={!results?.count} title={t('logs.findNext')} aria-label={t('logs.findNext')}>
          <Icon name="arrowDown" />
        </button>
        {query !== '' && results && (
          <span className="muted small" data-testid="log-search-results">
            {results.count === 0 ? t('logs.noMatches') : t('logs.matchOf', { index: results.index + 1, count: results.count })}
          </span>
        )}
        <div className="toolbar-spacer" />
        <span className="muted small" data-testid="log-line-count">
          {t('logs.lines', { count: lineCount })}
        </span>
        <StateBadge tone={state.tone} text={state.text} testId="log-state" />
        {(phase.kind === 'ended' || phase.kind === 'failed') && (
          <button type="button" className="button small" onClick={() => setAttempt((a) => a + 1)} data-testid="log-reload">
            <Icon name="restore" />
            {live ? t('logs.resume') : t('logs.reload')}
          </button>
        )}
      </div>
      {phase.kind === 'failed' && <ErrorNote error={phase.error} testId="log-error" />}
      <div className="xterm-host" ref={host} data-testid="log-output" />
    </div>
  );
}
