// Starts the real engine in browser mode as a child process, the way a person runs
// it: `node bin/wheelhouse.js serve --data-dir DIR --port 0`, and reads the one-time
// URL it prints. Stops it by its pid.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'wheelhouse.js');
const rendererIndex = join(root, 'out', 'renderer', 'index.html');
const loginUrlPattern = /(http:\/\/127\.0\.0\.1:(\d+))\/\?token=([A-Za-z0-9_-]+)/;

/** RunningEngine is a `wheelhouse serve` process started for a test. */
export interface RunningEngine {
  /** The one-time URL the engine printed: http://127.0.0.1:PORT/?token=... */
  loginUrl: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  dataDir: string;
  pid: number;
  /** Everything the engine printed so far, for failure reports. */
  output(): string;
  /** stop ends the engine (SIGTERM, then SIGKILL after a grace period); safe to call twice. */
  stop(): Promise<void>;
}

/** StartEngineOptions picks the data directory and port; both default to fresh ones. */
export interface StartEngineOptions {
  dataDir?: string;
  port?: number;
  /** Extra environment for the engine, e.g. DOCKER_HOST. */
  env?: Record<string, string>;
}

/** makeDataDir creates a fresh, empty data directory under the system temp dir. */
export function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'wh-e2e-'));
}

/** removeDataDir deletes a data directory made by makeDataDir. */
export function removeDataDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

/** startEngine runs `wheelhouse serve` and resolves once it has printed its one-time URL. */
export async function startEngine(options: StartEngineOptions = {}): Promise<RunningEngine> {
  if (!existsSync(cli)) throw new Error(`The CLI ${cli} does not exist; the e2e tests need it to start the engine.`);
  if (!existsSync(rendererIndex))
    throw new Error('The renderer is not built; run `npm run build` before the e2e tests.');
  const dataDir = options.dataDir ?? (await makeDataDir());
  const args = [cli, 'serve', '--data-dir', dataDir, '--port', String(options.port ?? 0)];
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const done = exited(child);
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined)
        process.kill(child.pid, 'SIGKILL');
    }, 15_000);
    await done;
    clearTimeout(timer);
  };

  const match = await new Promise<RegExpExecArray>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`The engine printed no one-time URL within 60 s. It printed:\n${output}`));
    }, 60_000);
    const onData = () => {
      const found = loginUrlPattern.exec(output);
      if (found) {
        cleanup();
        resolveUrl(found);
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      reject(
        new Error(`The engine exited (${signal ?? `code ${code}`}) before printing its URL. It printed:\n${output}`),
      );
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });

  return {
    loginUrl: match[0],
    origin: match[1],
    port: Number(match[2]),
    dataDir,
    pid: child.pid ?? -1,
    output: () => output,
    stop,
  };
}

/** DockerFacts is what the Docker CLI says about the host's Docker Engine. */
export type DockerFacts = { reachable: true; version: string } | { reachable: false; reason: string };

/** dockerFacts asks the Docker CLI for the server version, the same engine Wheelhouse probes. */
export function dockerFacts(): DockerFacts {
  try {
    const version = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
    }).trim();
    return version
      ? { reachable: true, version }
      : { reachable: false, reason: 'docker version printed no server version' };
  } catch (err) {
    return { reachable: false, reason: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}
