// A shell in a container: exec with a TTY over the gateway's WebSocket, spoken in the
// Kubernetes channel protocol (api/execChannel), drawn by xterm.js. The terminal's
// size follows the panel and is sent to the process; when the process ends its exit
// status is shown and people can connect again.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  channels,
  execOutcome,
  execPath,
  execProtocols,
  readFrame,
  resizeFrame,
  splitCommand,
  stdinFrame,
  webSocketUrl,
} from '../api/execChannel';
import { Icon } from '../shell/icons';
import { StateBadge } from './StateBadge';
import type { Tone } from './tones';
import { useXterm } from './useXterm';

/** ShellContainer is one container a terminal can open a shell in. */
export interface ShellContainer {
  name: string;
  init: boolean;
  /** A shell can only run in a running container. */
  running: boolean;
  /** Changes whenever a new instance of the container starts. */
  instance: string;
  /** Why the container is not running, e.g. "Waiting · ContainerCreating". */
  state: string;
}

type Phase =
  | { kind: 'waiting' }
  | { kind: 'connecting' }
  | { kind: 'open' }
  | { kind: 'exited'; code: number }
  | { kind: 'failed'; message: string }
  | { kind: 'closed' };

const defaultCommand = 'sh';

/** Terminal opens an interactive shell in one of a pod's containers. */
export function Terminal({
  cluster,
  namespace,
  pod,
  containers,
}: {
  cluster: string;
  namespace: string;
  pod: string;
  containers: ShellContainer[];
}) {
  const { t } = useTranslation();
  const firstApp = containers.find((c) => !c.init && c.running) ?? containers.find((c) => !c.init) ?? containers[0];
  const [container, setContainer] = useState(firstApp?.name ?? '');
  const [commandText, setCommandText] = useState(defaultCommand);
  const [command, setCommand] = useState(defaultCommand);
  const [phase, setPhase] = useState<Phase>({ kind: 'waiting' });
  const [attempt, setAttempt] = useState(0);
  const host = useRef<HTMLDivElement>(null);
  const socket = useRef<WebSocket | undefined>(undefined);
  const parts = useXterm(host, { cursorBlink: true, scrollback: 5000 }, (cols, rows) => {
    const ws = socket.current;
    if (ws?.readyState === WebSocket.OPEN) ws.send(resizeFrame(cols, rows));
  });
  const chosen = containers.find((c) => c.name === container) ?? firstApp;
  const running = chosen?.running ?? false;

  useEffect(() => {
    if (!parts || !chosen) return;
    const { term } = parts;
    term.reset();
    if (!running) {
      setPhase({ kind: 'waiting' });
      return;
    }
    const args = splitCommand(command);
    const path = execPath(cluster, namespace, pod, { container: chosen.name, command: args.length ? args : [defaultCommand], tty: true });
    const ws = new WebSocket(webSocketUrl(path, window.location.href), execProtocols);
    ws.binaryType = 'arraybuffer';
    socket.current = ws;
    let ended = false;
    let opened = false;
    setPhase({ kind: 'connecting' });
    const note = (text: string) => term.write(`\r\n\x1b[90m${text}\x1b[0m\r\n`);

    ws.onopen = () => {
      opened = true;
      setPhase({ kind: 'open' });
      ws.send(resizeFrame(term.cols, term.rows));
      term.focus();
    };
    ws.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      if (typeof event.data === 'string') return;
      const frame = readFrame(event.data);
      if (!frame) return;
      if (frame.channel === channels.stdout || frame.channel === channels.stderr) {
        term.write(frame.payload);
      } else if (frame.channel === channels.status) {
        ended = true;
        const outcome = execOutcome(frame.payload);
        if ('exitCode' in outcome) {
          setPhase({ kind: 'exited', code: outcome.exitCode });
          note(t('terminal.exitedWith', { code: outcome.exitCode }));
        } else {
          setPhase({ kind: 'failed', message: outcome.error });
          note(outcome.error);
        }
      }
    };
    ws.onclose = () => {
      if (socket.current === ws) socket.current = undefined;
      if (ended) return;
      ended = true;
      if (opened) {
        setPhase({ kind: 'closed' });
        note(t('terminal.connectionClosed'));
      } else {
        setPhase({ kind: 'failed', message: t('terminal.couldNotConnect', { container: chosen.name }) });
      }
    };
    const input = term.onData((data) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(stdinFrame(data));
    });
    const binary = term.onBinary((data) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send(stdinFrame(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
    });
    return () => {
      ended = true;
      input.dispose();
      binary.dispose();
      if (socket.current === ws) socket.current = undefined;
      ws.close();
    };
    // chosen.instance: a restarted container needs a new shell.
  }, [parts, cluster, namespace, pod, chosen?.name, chosen?.instance, running, command, attempt]);

  if (!chosen) return <p className="muted">{t('logs.noContainers')}</p>;

  const badge: { tone: Tone; text: string } = (() => {
    switch (phase.kind) {
      case 'waiting':
        return { tone: 'warn', text: t('terminal.state.waiting') };
      case 'connecting':
        return { tone: 'muted', text: t('terminal.state.connecting') };
      case 'open':
        return { tone: 'ok', text: t('terminal.state.open') };
      case 'exited':
        return { tone: phase.code === 0 ? 'muted' : 'bad', text: t('terminal.state.exited', { code: phase.code }) };
      case 'failed':
        return { tone: 'bad', text: t('terminal.state.failed') };
      case 'closed':
        return { tone: 'muted', text: t('terminal.state.closed') };
    }
  })();
  const finished = phase.kind === 'exited' || phase.kind === 'failed' || phase.kind === 'closed';

  return (
    <div className="log-viewer" data-testid="terminal">
      <form
        className="stream-toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          setCommand(commandText.trim() || defaultCommand);
          setAttempt((a) => a + 1);
        }}
      >
        <label className="inline-select">
          <span>{t('logs.container')}</span>
          <select className="input" value={chosen.name} onChange={(e) => setContainer(e.target.value)} data-testid="terminal-container">
            {containers.map((c) => (
              <option key={c.name} value={c.name}>
                {c.init ? t('logs.initContainer', { name: c.name }) : c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-select grow">
          <span>{t('terminal.command')}</span>
          <input
            className="input mono"
            value={commandText}
            onChange={(e) => setCommandText(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            data-testid="terminal-command"
          />
        </label>
        <button type="submit" className="button small" disabled={!running} data-testid="terminal-reconnect">
          <Icon name={finished ? 'refresh' : 'terminal'} />
          {phase.kind === 'open' || phase.kind === 'connecting' ? t('terminal.restart') : t('terminal.connect')}
        </button>
        <div className="toolbar-spacer" />
        <StateBadge tone={badge.tone} text={badge.text} testId="terminal-state" />
      </form>
      {!running && (
        <p className="muted small" data-testid="terminal-waiting">
          {t('terminal.notRunning', { container: chosen.name, state: chosen.state })}
        </p>
      )}
      {phase.kind === 'failed' && (
        <p className="field-help invalid" role="alert" data-testid="terminal-error">
          {phase.message}
        </p>
      )}
      <div className="xterm-host" ref={host} data-testid="terminal-output" />
    </div>
  );
}
