// Shells in a container or in a node: exec with a TTY over the gateway's WebSocket,
// spoken in the Kubernetes channel protocol (api/execChannel), drawn by xterm.js.
// Several terminals live side by side in tabs. Without a command, bash is tried,
// then sh, and people are told which one runs (or that the image has none). The
// terminal's size follows the panel; Ctrl+Shift+C and Ctrl+Shift+V copy and paste;
// when the process ends its exit status is shown and people can connect again.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  channels,
  execOutcome,
  execPath,
  execProtocols,
  nodeShellPath,
  readFrame,
  resizeFrame,
  splitCommand,
  stdinFrame,
  webSocketUrl,
} from '../api/execChannel';
import { Icon } from '../shell/icons';
import { nextShell, type ShellNote, shellMissing, shellNote } from './shellDetect';
import { StateBadge } from './StateBadge';
import type { Tone } from './tones';
import { type XtermParts, useXterm } from './useXterm';
import './logViewer.css';

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

/** ShellTarget is where terminals open: a pod's containers, or a node container of a cluster. */
export type ShellTarget =
  | { kind: 'pod'; cluster: string; namespace: string; pod: string; containers: ShellContainer[] }
  | { kind: 'node'; cluster: string; node: string };

type Phase =
  | { kind: 'waiting' }
  | { kind: 'connecting' }
  | { kind: 'open' }
  | { kind: 'exited'; code: number }
  | { kind: 'failed'; message: string }
  | { kind: 'closed' };

// What an exec attempt saw before it ended, to tell a missing shell from one that ran.
const keptOutput = 4096;

function installClipboardKeys(parts: XtermParts): { dispose(): void } {
  const { term } = parts;
  term.attachCustomKeyEventHandler((event) => {
    if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
    const key = event.key.toLowerCase();
    if (key === 'c') {
      const text = term.getSelection();
      if (text) void navigator.clipboard?.writeText(text).catch(() => undefined);
      return false;
    }
    if (key === 'v') {
      void navigator.clipboard
        ?.readText()
        .then((text) => term.paste(text))
        .catch(() => undefined);
      return false;
    }
    return true;
  });
  return { dispose: () => term.attachCustomKeyEventHandler(() => true) };
}

/** TerminalSession is one terminal: a shell in the chosen container (or the node) and its screen. */
function TerminalSession({ target, active }: { target: ShellTarget; active: boolean }) {
  const { t } = useTranslation();
  const containers = target.kind === 'pod' ? target.containers : [];
  const firstApp = containers.find((c) => !c.init && c.running) ?? containers.find((c) => !c.init) ?? containers[0];
  const [container, setContainer] = useState(firstApp?.name ?? '');
  const [commandText, setCommandText] = useState('');
  // An empty command looks for a shell.
  const [command, setCommand] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'waiting' });
  const [note, setNote] = useState<ShellNote>();
  const [attempt, setAttempt] = useState(0);
  const host = useRef<HTMLDivElement>(null);
  const socket = useRef<WebSocket | undefined>(undefined);
  const parts = useXterm(host, { cursorBlink: true, scrollback: 5000 }, (cols, rows) => {
    const ws = socket.current;
    if (ws?.readyState === WebSocket.OPEN) ws.send(resizeFrame(cols, rows));
  });
  const chosen = containers.find((c) => c.name === container) ?? firstApp;
  const running = target.kind === 'node' || (chosen?.running ?? false);
  const where = target.kind === 'node' ? target.node : (chosen?.name ?? '');

  useEffect(() => {
    if (!parts) return;
    const keys = installClipboardKeys(parts);
    return () => keys.dispose();
  }, [parts]);

  useEffect(() => {
    if (active && parts) {
      parts.fit.fit();
      parts.term.focus();
    }
  }, [active, parts]);

  useEffect(() => {
    if (!parts || (target.kind === 'pod' && !chosen)) return;
    const { term } = parts;
    term.reset();
    setNote(undefined);
    if (!running) {
      setPhase({ kind: 'waiting' });
      return;
    }
    const typedArgs = splitCommand(command);
    const missing: string[] = [];
    let current: { ws: WebSocket; dispose(): void } | undefined;
    let stopped = false;
    const say = (text: string) => term.write(`\r\n\x1b[90m${text}\x1b[0m\r\n`);

    const open = (args: string[], detecting: boolean) => {
      const path =
        target.kind === 'node'
          ? nodeShellPath(target.cluster, target.node, args)
          : execPath(target.cluster, target.namespace, target.pod, { container: chosen?.name ?? '', command: args, tty: true });
      const ws = new WebSocket(webSocketUrl(path, window.location.href), execProtocols);
      ws.binaryType = 'arraybuffer';
      socket.current = ws;
      let ended = false;
      let opened = false;
      let typed = false;
      let output = '';
      const decoder = new TextDecoder();
      setPhase({ kind: 'connecting' });

      const finish = (outcome: ReturnType<typeof execOutcome>) => {
        if (detecting && shellMissing(outcome, output, typed)) {
          missing.push(args[0]);
          const shell = nextShell(missing);
          term.reset();
          if (shell) return open([shell], true);
          setNote(shellNote(missing, undefined));
          setPhase({ kind: 'failed', message: t('terminal.shell.none') });
          return;
        }
        if ('exitCode' in outcome) {
          setPhase({ kind: 'exited', code: outcome.exitCode });
          say(t('terminal.exitedWith', { code: outcome.exitCode }));
        } else {
          setPhase({ kind: 'failed', message: outcome.error });
          say(outcome.error);
        }
      };

      ws.onopen = () => {
        opened = true;
        setPhase({ kind: 'open' });
        if (detecting) setNote(shellNote(missing, args[0]));
        ws.send(resizeFrame(term.cols, term.rows));
        if (active) term.focus();
      };
      ws.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
        if (typeof event.data === 'string') return;
        const frame = readFrame(event.data);
        if (!frame) return;
        if (frame.channel === channels.stdout || frame.channel === channels.stderr) {
          if (output.length < keptOutput) output += decoder.decode(frame.payload, { stream: true });
          term.write(frame.payload);
        } else if (frame.channel === channels.status) {
          ended = true;
          finish(execOutcome(frame.payload));
        }
      };
      ws.onclose = () => {
        if (socket.current === ws) socket.current = undefined;
        if (ended || stopped) return;
        ended = true;
        if (opened) {
          setPhase({ kind: 'closed' });
          say(t('terminal.connectionClosed'));
        } else {
          setPhase({ kind: 'failed', message: t('terminal.couldNotConnect', { container: where }) });
        }
      };
      const input = term.onData((data) => {
        typed = true;
        if (ws.readyState === WebSocket.OPEN) ws.send(stdinFrame(data));
      });
      const binary = term.onBinary((data) => {
        typed = true;
        if (ws.readyState !== WebSocket.OPEN) return;
        ws.send(stdinFrame(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
      });
      current?.dispose();
      current = {
        ws,
        dispose: () => {
          input.dispose();
          binary.dispose();
        },
      };
    };

    if (typedArgs.length > 0) open(typedArgs, false);
    else open([nextShell([]) as string], true);
    return () => {
      stopped = true;
      current?.dispose();
      if (current && socket.current === current.ws) socket.current = undefined;
      current?.ws.close();
    };
    // chosen.instance: a restarted container needs a new shell.
  }, [parts, target.cluster, target.kind === 'pod' ? target.pod : target.node, chosen?.name, chosen?.instance, running, command, attempt]);

  if (target.kind === 'pod' && !chosen) return <p className="muted">{t('logs.noContainers')}</p>;

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

  const copy = () => {
    const text = parts?.term.getSelection();
    if (text) void navigator.clipboard?.writeText(text).catch(() => undefined);
    parts?.term.focus();
  };
  const paste = () => {
    void navigator.clipboard
      ?.readText()
      .then((text) => parts?.term.paste(text))
      .catch(() => undefined);
    parts?.term.focus();
  };

  return (
    <div className="terminal-pane" hidden={!active} data-testid="terminal-pane" data-active={active}>
      <div className="log-viewer" data-testid="terminal">
        <form
          className="stream-toolbar"
          onSubmit={(event) => {
            event.preventDefault();
            setCommand(commandText.trim());
            setAttempt((a) => a + 1);
          }}
        >
          {target.kind === 'pod' && chosen && (
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
          )}
          <label className="inline-select grow">
            <span>{t('terminal.command')}</span>
            <input
              className="input mono"
              value={commandText}
              onChange={(e) => setCommandText(e.target.value)}
              placeholder={t('terminal.autoShell')}
              spellCheck={false}
              autoComplete="off"
              data-testid="terminal-command"
            />
          </label>
          <button type="submit" className="button small" disabled={!running} data-testid="terminal-reconnect">
            <Icon name={finished ? 'refresh' : 'terminal'} />
            {phase.kind === 'open' || phase.kind === 'connecting' ? t('terminal.restart') : t('terminal.connect')}
          </button>
          <button type="button" className="icon-button quiet" onClick={copy} title={t('terminal.copy')} aria-label={t('terminal.copy')} data-testid="terminal-copy">
            <Icon name="copy" />
          </button>
          <button type="button" className="icon-button quiet" onClick={paste} title={t('terminal.paste')} aria-label={t('terminal.paste')} data-testid="terminal-paste">
            <Icon name="edit" />
          </button>
          <div className="toolbar-spacer" />
          {note && note.key !== 'terminal.shell.none' && (
            <span className="muted small" data-testid="terminal-shell-note">
              {t(note.key, note.values)}
            </span>
          )}
          <StateBadge tone={badge.tone} text={badge.text} testId="terminal-state" />
        </form>
        {!running && chosen && (
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
    </div>
  );
}

/** Terminal shows one or more terminals in tabs, each a shell in the target. */
export function Terminal({ target }: { target: ShellTarget }) {
  const { t } = useTranslation();
  const nextId = useRef(2);
  const [tabs, setTabs] = useState<number[]>([1]);
  const [active, setActive] = useState(1);
  const name = target.kind === 'node' ? target.node : target.pod;

  const add = () => {
    const id = nextId.current++;
    setTabs((all) => [...all, id]);
    setActive(id);
  };
  const close = (id: number) => {
    setTabs((all) => {
      const rest = all.filter((x) => x !== id);
      if (id === active) setActive(rest[rest.length - 1] ?? 0);
      return rest;
    });
  };

  return (
    <div className="log-viewer" data-testid="terminals">
      <div className="terminal-tabs" role="tablist" aria-label={t('terminal.tabs')}>
        {tabs.map((id, i) => (
          <span key={id} className={id === active ? 'terminal-tab active' : 'terminal-tab'}>
            <button type="button" role="tab" className="terminal-tab-label" aria-selected={id === active} onClick={() => setActive(id)} data-testid="terminal-tab">
              {`${name} ${i + 1}`}
            </button>
            {tabs.length > 1 && (
              <button type="button" className="icon-button quiet" onClick={() => close(id)} title={t('terminal.closeTab')} aria-label={t('terminal.closeTab')} data-testid="terminal-tab-close">
                <Icon name="close" size={12} />
              </button>
            )}
          </span>
        ))}
        <button type="button" className="icon-button quiet" onClick={add} title={t('terminal.newTab')} aria-label={t('terminal.newTab')} data-testid="terminal-new-tab">
          <Icon name="plus" />
        </button>
      </div>
      {tabs.map((id) => (
        <TerminalSession key={id} target={target} active={id === active} />
      ))}
    </div>
  );
}
