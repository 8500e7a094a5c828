// Running a command inside a container through the Docker exec API, the way the
// engine programs routes and iptables rules in node containers without the docker CLI.
import type Docker from 'dockerode';
import { collectDemuxed } from './streams';

/** ExecResult is how a command run in a container ended and what it printed. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** ExecOptions tunes execInContainer. */
export interface ExecOptions {
  /** Bytes written to the command's standard input, which is then closed. */
  stdin?: string | Buffer;
  env?: string[];
  /** Gives up after this long (default 30 s). */
  timeoutMs?: number;
}

/**
 * execInContainer runs cmd in a running container and waits for it to exit. It does
 * not throw for a non-zero exit code; callers decide what a failure means.
 */
export async function execInContainer(
  docker: Docker,
  container: string,
  cmd: string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const withStdin = options.stdin !== undefined;
  const exec = await docker.getContainer(container).exec({
    Cmd: cmd,
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: withStdin,
    Env: options.env,
    Tty: false,
  });
  const stream = (await exec.start({ hijack: true, stdin: withStdin })) as NodeJS.ReadWriteStream;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      (stream as unknown as { destroy?: () => void }).destroy?.();
      reject(new Error(`The command "${cmd.join(' ')}" did not finish within ${Math.round(timeoutMs / 1000)} s.`));
    }, timeoutMs);
  });
  try {
    const output = collectDemuxed(stream);
    if (options.stdin !== undefined) stream.end(options.stdin);
    const { stdout, stderr } = await Promise.race([output, timedOut]);
    // The stream can end a moment before the daemon records the exit code.
    for (let i = 0; i < 100; i++) {
      const info = await exec.inspect();
      if (!info.Running && info.ExitCode !== null) return { exitCode: info.ExitCode ?? 0, stdout, stderr };
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`The command "${cmd.join(' ')}" ended without an exit code.`);
  } finally {
    clearTimeout(timer);
  }
}
