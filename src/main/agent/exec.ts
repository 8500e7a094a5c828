// exec, attach and port-forward backends for the API server's streaming endpoints
// (src/main/streaming): exec runs a command through the node Docker's exec API over a
// hijacked connection (TTY resizes via exec resize), attach joins a container's main
// process, and port-forward is a byte stream to a pod port made by busybox nc inside
// the pod's network namespace (the pause container), which works even where the host
// cannot route to pod addresses.
import { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { AttachRequest, ExecRequest, RemoteCommandResult } from '../streaming/remoteCommand';
import type { TerminalSize } from '../streaming/terminalSize';
import { ApiError } from '../errors';
import { FrameDecoder } from './frames';
import type { DockerPods } from './runtime';
import { findContainer, findSandbox, type PodRef } from './streamTarget';

type Hijacked = Duplex & { destroy(error?: Error): Duplex };

/**
 * pumpSession connects a hijacked Docker stream to the session's streams until the
 * Docker side ends (or the client aborts). stdin is copied in and half-closed at its
 * end; output is demultiplexed unless tty.
 */
function pumpSession(stream: Hijacked, session: ExecRequest | AttachRequest, tty: boolean, onResize?: (size: TerminalSize) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const decoder = new FrameDecoder(tty);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      session.signal.removeEventListener('abort', onAbort);
      session.stdin?.unpipe();
      resolve();
    };
    const onAbort = () => {
      stream.destroy();
      finish();
    };
    if (session.signal.aborted) return onAbort();
    session.signal.addEventListener('abort', onAbort);
    stream.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        const target = frame.stream === 'stderr' && !tty ? session.stderr : session.stdout;
        if (target && !target.destroyed && !target.write(frame.data)) {
          stream.pause();
          target.once('drain', () => stream.resume());
        }
      }
    });
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
    if (session.stdin) {
      session.stdin.on('data', (chunk: Buffer) => {
        if (!stream.destroyed && !stream.writableEnded && !stream.write(chunk)) {
          session.stdin?.pause();
          stream.once('drain', () => session.stdin?.resume());
        }
      });
      session.stdin.once('end', () => {
        // Half-close: the process sees the end of its input and may still write output.
        if (!stream.destroyed && !stream.writableEnded) stream.end();
      });
    }
    if (tty && session.resize && onResize) {
      if (session.resize.latest) onResize(session.resize.latest);
      session.resize.on('resize', onResize);
      stream.once('close', () => session.resize?.removeListener('resize', onResize));
    }
  });
}

async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode ?? 0;
    await new Promise((r) => setTimeout(r, 20));
  }
  // Still running: the client went away and the process lives on, as with kubelet.
  return 0;
}

// kubectl sends the terminal's size just after the stream opens; a shell started
// before it arrives would draw its first prompt for an 80x24 screen.
const firstSizeWaitMs = 300;

/** firstTerminalSize waits briefly for the client's first terminal size of a TTY session. */
function firstTerminalSize(request: ExecRequest): Promise<TerminalSize | undefined> {
  const queue = request.resize;
  if (!request.tty || !queue || queue.latest) return Promise.resolve(queue?.latest);
  return new Promise((resolve) => {
    const done = (size?: TerminalSize) => {
      clearTimeout(timer);
      queue.removeListener('resize', done);
      queue.removeListener('end', done);
      resolve(size ?? queue.latest);
    };
    const timer = setTimeout(done, firstSizeWaitMs);
    queue.once('resize', done);
    queue.once('end', done);
  });
}

/** execInPod runs a command in a running container of a pod (an ExecBackend for one pod). */
export async function execInPod(pods: DockerPods, pod: PodRef, request: ExecRequest): Promise<RemoteCommandResult> {
  const { container } = await findContainer(pods, pod, request.container, { running: true });
  if (!request.command.length) throw new ApiError('BadRequest', 'you must specify at least 1 command');
  const size = await firstTerminalSize(request);
  const exec = await pods.docker.getContainer(container.id).exec({
    Cmd: request.command,
    AttachStdin: Boolean(request.stdin),
    AttachStdout: Boolean(request.stdout),
    AttachStderr: Boolean(request.stderr) && !request.tty,
    Tty: request.tty,
    ConsoleSize: size ? [size.height, size.width] : undefined,
  });
  const stream = (await exec.start({ hijack: true, stdin: Boolean(request.stdin), Tty: request.tty })) as unknown as Hijacked;
  await pumpSession(stream, request, request.tty, (size) => {
    exec.resize({ h: size.height, w: size.width }).catch(() => undefined);
  });
  if (request.signal.aborted) return { exitCode: 0 };
  return { exitCode: await exitCodeOf(exec) };
}

/**
 * attachToPod attaches to the main process of a running container (an AttachBackend
 * for one pod). The container must have been created with stdin (and tty) for input.
 */
export async function attachToPod(pods: DockerPods, pod: PodRef, request: AttachRequest): Promise<RemoteCommandResult> {
  const { name, container } = await findContainer(pods, pod, request.container, { running: true });
  const handle = pods.docker.getContainer(container.id);
  const info = await handle.inspect();
  const tty = info.Config?.Tty === true;
  if (request.stdin && !info.Config?.OpenStdin) {
    throw new ApiError('BadRequest', `stdin is not enabled for container ${name}; create the pod with stdin: true to attach to its input`);
  }
  const stream = (await handle.attach({
    stream: true,
    hijack: true,
    stdin: Boolean(request.stdin),
    stdout: Boolean(request.stdout),
    stderr: Boolean(request.stderr),
  })) as unknown as Hijacked;
  await pumpSession(stream, request, tty, (size) => {
    handle.resize({ h: size.height, w: size.width }).catch(() => undefined);
  });
  return { exitCode: 0 };
}

/**
 * portForwardToPod opens a byte stream to a TCP port of the pod, on its loopback
 * address inside the pod's network namespace (a PortForwardBackend for one pod).
 */
export async function portForwardToPod(pods: DockerPods, pod: PodRef, port: number, signal?: AbortSignal): Promise<Duplex> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ApiError('BadRequest', `invalid port ${port}`);
  const sandbox = await findSandbox(pods, pod);
  const exec = await pods.docker.getContainer(sandbox.id).exec({
    Cmd: ['nc', '127.0.0.1', String(port)],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const stream = (await exec.start({ hijack: true, stdin: true })) as unknown as Hijacked;
  const decoder = new FrameDecoder(false);
  let stderr = '';
  const duplex = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      if (stream.destroyed) return callback(new Error('the connection to the pod is closed'));
      stream.write(chunk, (err) => callback(err ?? null));
    },
    final(callback) {
      // Half-close, so the pod's server sees the end of the request and can still answer.
      if (!stream.destroyed && !stream.writableEnded) stream.end();
      callback();
    },
    read() {
      stream.resume();
    },
    destroy(err, callback) {
      stream.destroy();
      callback(err);
    },
  });
  stream.on('data', (chunk: Buffer) => {
    for (const frame of decoder.push(chunk)) {
      if (frame.stream === 'stderr') {
        stderr += frame.data.toString();
        if (/can't connect|refused|unreachable/i.test(stderr)) {
          const reason = /refused/i.test(stderr) ? 'connect: connection refused' : stderr.trim().replace(/^nc:\s*/, '');
          duplex.destroy(new Error(`failed to connect to localhost:${port} inside the pod ${pod.metadata.name ?? ''}: ${reason}`));
        }
        continue;
      }
      if (!duplex.push(frame.data)) stream.pause();
    }
  });
  const end = () => {
    if (!duplex.destroyed) duplex.push(null);
  };
  stream.on('end', end);
  stream.on('close', end);
  stream.on('error', (err: Error) => duplex.destroy(err));
  if (signal) {
    if (signal.aborted) duplex.destroy();
    else signal.addEventListener('abort', () => duplex.destroy(), { once: true });
  }
  return duplex;
}
