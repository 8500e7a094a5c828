// A shell inside a worker node container, through the host Docker: the UI's node
// terminal. It is an ExecBackend, so the gateway serves it with the same Kubernetes
// channel protocol (v5/v4.channel.k8s.io) as a pod's exec, and the renderer's terminal
// speaks to both alike.
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { ApiError } from '../errors';
import { FrameDecoder } from '../agent/frames';
import type { ExecBackend, ExecRequest, RemoteCommandResult } from '../streaming/remoteCommand';
import { listNodeContainers } from './nodeContainer';

/**
 * findNodeContainer returns the container id of a running node of a cluster, or
 * throws NotFound / Conflict with a sentence people can act on.
 */
export async function findNodeContainer(docker: Docker, cluster: string, node: string): Promise<string> {
  const nodes = await listNodeContainers(docker, cluster);
  const found = nodes.find((n) => n.name === node);
  if (!found) {
    throw new ApiError(
      'NotFound',
      nodes.length === 0
        ? `Cluster "${cluster}" has no nodes on this machine's Docker.`
        : `Cluster "${cluster}" has no node "${node}"; its nodes are ${nodes.map((n) => n.name).join(', ')}.`,
    );
  }
  if (found.state !== 'running') throw new ApiError('Conflict', `Node "${node}" is ${found.state}; start the cluster first.`);
  return found.containerId;
}

/** nodeShellBackend runs commands in one node container (an ExecBackend for that node). */
export function nodeShellBackend(docker: Docker, containerId: string, node: string): ExecBackend {
  return async (request) => {
    if (!request.command.length) throw new ApiError('BadRequest', 'you must specify at least 1 command');
    const size = request.resize?.latest;
    const exec = await docker.getContainer(containerId).exec({
      Cmd: request.command,
      AttachStdin: Boolean(request.stdin),
      AttachStdout: Boolean(request.stdout),
      AttachStderr: Boolean(request.stderr) && !request.tty,
      Tty: request.tty,
      // A prompt that names the node: several node terminals look alike otherwise.
      Env: [`PS1=${node}:\\w# `],
      ConsoleSize: size ? [size.height, size.width] : undefined,
    });
    const stream = (await exec.start({ hijack: true, stdin: Boolean(request.stdin), Tty: request.tty })) as unknown as Duplex;
    await pump(stream, request, (height, width) => void exec.resize({ h: height, w: width }).catch(() => undefined));
    return exitOf(exec, request.signal);
  };
}

// Copies the session's input in and the command's output out until Docker ends the stream.
function pump(stream: Duplex, request: ExecRequest, resize: (height: number, width: number) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const decoder = new FrameDecoder(request.tty);
    const onResize = (size: { height: number; width: number }) => resize(size.height, size.width);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      request.signal.removeEventListener('abort', onAbort);
      request.resize?.removeListener('resize', onResize);
      request.stdin?.unpipe();
      resolve();
    };
    const onAbort = () => {
      stream.destroy();
      finish();
    };
    if (request.signal.aborted) return onAbort();
    request.signal.addEventListener('abort', onAbort);
    stream.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        const target = frame.stream === 'stderr' && !request.tty ? request.stderr : request.stdout;
        if (target && !target.destroyed) target.write(frame.data);
      }
    });
    stream.on('end', finish).on('close', finish).on('error', finish);
    request.stdin?.on('data', (chunk: Buffer) => {
      if (!stream.destroyed && !stream.writableEnded) stream.write(chunk);
    });
    request.stdin?.once('end', () => {
      if (!stream.destroyed && !stream.writableEnded) stream.end();
    });
    if (request.tty && request.resize) {
      if (request.resize.latest) onResize(request.resize.latest);
      request.resize.on('resize', onResize);
    }
  });
}

async function exitOf(exec: Docker.Exec, signal: AbortSignal): Promise<RemoteCommandResult> {
  if (signal.aborted) return { exitCode: 0 };
  // Docker may report the exec as running for a moment after its stream ends.
  for (let i = 0; i < 100; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return { exitCode: info.ExitCode ?? 0 };
    await new Promise((r) => setTimeout(r, 20));
  }
  return { exitCode: 0 };
}
