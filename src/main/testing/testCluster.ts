// A real local cluster for integration tests and benchmarks: an engine started in this
// process on a temporary data dir, one cluster created through the gateway's app API,
// its kubeconfig on disk, and runners for the real kubectl binaries. The API server
// answers from this very process, so every child process here is asynchronous: a
// synchronous spawn would freeze the server kubectl is talking to.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { KubeObject, WatchEvent } from '../../shared/api/meta';
import { appRoutes, type ClusterSummary, type CreateClusterRequest } from '../../shared/gateway';
import { splitLines } from '../../shared/lines';
import { GatewayClient } from '../cli/gatewayClient';
import { clusterPaths } from '../clusters/clusterDir';
import { nodeProviderFor } from '../clusters/workerNodes';
import { ClusterManager } from '../clusters/clusterManager';
import { createRuntimeHooks } from '../clusters/clusterRuntime';
import { DockerMonitor } from '../docker/monitor';
import { createEngine, Engine } from '../engine';
import { createLogger } from '../log';
import { readGatewayInfo } from '../gateway/gatewayInfo';
import { nodeLabels, type NodeProvider } from '../nodes';
import { ensureBusyboxImage, testBusyboxImage } from '../nodes/testImages';

/** kubectlDir holds the versioned kubectl binaries (PLATFORM.md); WHEELHOUSE_KUBECTL_DIR overrides it. */
export const kubectlDir = process.env.WHEELHOUSE_KUBECTL_DIR ?? '/usr/lib/google-cloud-sdk/bin';

/** kubectlPath is the binary of one kubectl minor version, e.g. kubectlPath('1.27'). */
export function kubectlPath(version: string): string {
  return join(kubectlDir, `kubectl.${version}`);
}

/**
 * requireTools resolves to true when the given kubectl versions (and `script`, for
 * terminals, when asked) are installed. Otherwise it prints why the suite is skipped,
 * or throws when CI is set, like requireDocker.
 */
export function requireTools(suite: string, needs: { kubectl?: string[]; script?: boolean }): boolean {
  const reasons: string[] = [];
  const missing = (needs.kubectl ?? []).filter((v) => !existsSync(kubectlPath(v)));
  if (missing.length > 0) reasons.push(`kubectl ${missing.join(', ')} not found in ${kubectlDir}`);
  if (needs.script && spawnSync('script', ['--version']).status !== 0) reasons.push('`script` (util-linux) is not installed');
  if (reasons.length === 0) return true;
  const reason = `${suite}: ${reasons.join('; ')}.`;
  if (process.env.CI) throw new Error(`${reason} CI is set, so this is a failure, not a skip.`);
  console.warn(`SKIPPED ${reason}`);
  return false;
}

/** ProcessResult is how a child process ended and what it printed. */
export interface ProcessResult {
  /** The exit code, or null when a signal ended the process. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** RunOptions tune runProcess. */
export interface RunOptions {
  /** Written to standard input, which is then closed (default: no input, closed at once). */
  input?: string | Buffer;
  env?: Record<string, string>;
  /** The process is killed after this long (default 120 s). */
  timeoutMs?: number;
  /**
   * Keep standard input open until the process ends. `script` turns the end of its
   * input into an end-of-file character for the program in the terminal, which a
   * terminal session should not get before it is done.
   */
  holdStdin?: boolean;
}

/** runProcess runs a command to completion without blocking the event loop; it never rejects for a non-zero exit. */
export function runProcess(command: string, args: string[], options: RunOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.on('error', () => undefined);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    if (!options.holdStdin) child.stdin.end(options.input);
    else if (options.input !== undefined) child.stdin.write(options.input);
    child.on('exit', () => child.stdin.destroy());
  });
}

/** shellQuote quotes one word for sh. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** StartedProcess is a long-running child (logs -f, port-forward) and what it printed so far. */
export interface StartedProcess {
  child: ChildProcess;
  output(): string;
  /** waitFor resolves once the output matches, or rejects after timeoutMs or when the process ends first. */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  /** exited resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  /** stop kills the process by its pid and waits for it to end. */
  stop(): Promise<void>;
}

/**
 * startProcess starts a command and keeps its combined output. With holdStdin its
 * standard input is a pipe kept open until it ends (see RunOptions.holdStdin).
 */
export function startProcess(command: string, args: string[], env: Record<string, string> = {}, options: { holdStdin?: boolean } = {}): StartedProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: [options.holdStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  child.stdin?.on('error', () => undefined);
  child.on('exit', () => child.stdin?.destroy());
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString();
    listeners.forEach((l) => l());
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  let ended = false;
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      ended = true;
      listeners.forEach((l) => l());
      resolve(code);
    });
    child.on('error', () => resolve(null));
  });
  const matches = (pattern: RegExp | string) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
  return {
    child,
    output: () => text,
    exited,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (matches(pattern)) done(() => resolve(text));
          else if (ended) done(() => reject(new Error(`The process ended before printing ${String(pattern)}; it printed: ${text}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`No ${String(pattern)} within ${timeoutMs} ms; output: ${text}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      }),
    stop: async () => {
      if (!ended && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
      await exited;
    },
  };
}

/** EngineHandle is an engine running in this process and a gateway client for it. */
export interface EngineHandle {
  engine: Engine;
  gateway: GatewayClient;
}

/**
 * startTestEngine starts an engine on dataDir (browser-mode host, no UI files). With
 * `docker`, the engine reaches the host Docker only through that client (for example
 * one on a SocketSwitch); otherwise it finds Docker the way the app does.
 */
export async function startTestEngine(dataDir: string, options: { docker?: () => Docker } = {}): Promise<EngineHandle> {
  const rendererDir = join(dataDir, 'no-ui');
  let engine: Engine;
  if (options.docker) {
    const log = createLogger('engine');
    const docker = new DockerMonitor({ connect: options.docker });
    const clusters = new ClusterManager(dataDir, createRuntimeHooks({ docker, log: log.child('cluster') }), log.child('clusters'));
    engine = new Engine({ dataDir, host: 'serve', rendererDir, docker, clusters, log });
  } else {
    engine = await createEngine({ dataDir, host: 'serve', rendererDir });
  }
  await engine.start();
  return { engine, gateway: new GatewayClient(readGatewayInfo(dataDir)!) };
}

/** TestClusterOptions shape the cluster createTestCluster makes. */
export interface TestClusterOptions {
  /** Words that make the cluster name recognizable; a random suffix is added. */
  label?: string;
  workers?: number;
  evictionTimeoutSeconds?: number;
  /** Load the busybox test image (wh-test/busybox:1) into the nodes up front (default true). */
  busybox?: boolean;
}

/** TestCluster is a running cluster with helpers to drive it the way users do. */
export interface TestCluster {
  name: string;
  dataDir: string;
  kubeconfig: string;
  hostDocker: Docker;
  /** The current engine; it changes after restartEngine. */
  readonly engine: Engine;
  readonly gateway: GatewayClient;
  /** kubectl runs kubectl of a version with this cluster's kubeconfig and returns stdout; a failure rejects with its stderr. */
  kubectl(version: string, ...args: string[]): Promise<string>;
  /** kubectlResult runs kubectl and returns how it ended, never rejecting for a non-zero exit. */
  kubectlResult(version: string, args: string[], options?: RunOptions): Promise<ProcessResult>;
  /** kubectlLine is the shell command line of a kubectl call, for `script`. */
  kubectlLine(version: string, args: string[]): string;
  /** kubectlInTerminal runs kubectl under `script`, in a terminal of the given size. */
  kubectlInTerminal(version: string, args: string[], size?: { rows: number; cols: number }, options?: RunOptions): Promise<ProcessResult>;
  /** startKubectl starts a long-running kubectl (logs -f, port-forward, get -w). */
  startKubectl(version: string, args: string[], env?: Record<string, string>): StartedProcess;
  /** getJson reads an object with kubectl 1.33 as JSON, or undefined when it does not exist. */
  getJson<T = KubeObject>(...args: string[]): Promise<T | undefined>;
  /** kube sends a request to the cluster's Kubernetes API through the gateway and decodes the JSON answer. */
  kube<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** watch follows a Kubernetes watch through the gateway until the returned function is called. */
  watch(path: string, onEvent: (event: WatchEvent) => void): Promise<() => void>;
  /** nodes gives access to the node containers and their inner Docker Engines. */
  nodeProvider(): Promise<NodeProvider>;
  /** nodeContainer is the host Docker name of a node's container. */
  nodeContainer(node: string): string;
  /** stopEngine stops the engine; nodes and pods keep running. */
  stopEngine(): Promise<void>;
  /** startEngine starts a new engine on the same data dir and waits until the cluster runs again. */
  startEngine(): Promise<void>;
  /** remove deletes the cluster, stops the engine and removes the data dir; it never throws. */
  remove(): Promise<void>;
}

/**
 * readWatchEvents reads a Kubernetes watch response, one JSON event per line, until it
 * ends or is aborted.
 */
export async function readWatchEvents(body: ReadableStream<Uint8Array>, onEvent: (event: WatchEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const split = splitLines(pending, decoder.decode(value, { stream: true }));
      pending = split.rest;
      for (const line of split.lines) onEvent(JSON.parse(line) as WatchEvent);
    }
  } catch {
    // Aborted by the caller, or the engine went away.
  }
}

/** uniqueClusterName makes a cluster name whose node containers are wh-test-<label>-<random>-worker-N. */
export function uniqueClusterName(label = 'it'): string {
  return `test-${label}-${randomBytes(2).toString('hex')}`.slice(0, 32);
}

/**
 * createTestCluster starts an engine on a fresh temporary data dir and creates a
 * cluster with it (2 workers unless told otherwise), writes its kubeconfig and, unless
 * told not to, loads the busybox test image into its nodes. A failed create stops the
 * engine and removes the data dir before rejecting.
 */
export async function createTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const name = uniqueClusterName(options.label);
  const dataDir = mkdtempSync(join(tmpdir(), 'wh-test-cluster-'));
  const kubeconfig = join(dataDir, 'kubeconfig');
  const hostDocker = new Docker();
  let handle: EngineHandle | undefined = await startTestEngine(dataDir);
  let provider: NodeProvider | undefined;

  const kubectlArgs = (version: string, args: string[]) => [
    '--kubeconfig',
    kubeconfig,
    '--cache-dir',
    join(dataDir, `kubectl-cache-${version}`),
    ...args,
  ];
  const current = () => {
    if (!handle) throw new Error('The test engine is stopped.');
    return handle;
  };
  const kube = async <T>(method: string, path: string, body?: unknown) => {
    const { gateway } = current();
    const res = await fetch(gateway.info.url + appRoutes.kubeApi(name) + path, {
      method,
      headers: {
        Authorization: `Bearer ${gateway.info.token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };

  const cluster: TestCluster = {
    name,
    dataDir,
    kubeconfig,
    hostDocker,
    get engine() {
      return current().engine;
    },
    get gateway() {
      return current().gateway;
    },
    kubectlResult: (version, args, runOptions) => runProcess(kubectlPath(version), kubectlArgs(version, args), runOptions),
    async kubectl(version, ...args) {
      const result = await runProcess(kubectlPath(version), kubectlArgs(version, args));
      if (result.code !== 0) {
        throw new Error(`kubectl ${version} ${args.join(' ')} exited with ${result.code}: ${result.stderr.trim()}`);
      }
      return result.stdout;
    },
    kubectlLine: (version, args) => [kubectlPath(version), ...kubectlArgs(version, args)].map(shellQuote).join(' '),
    kubectlInTerminal(version, args, size = { rows: 24, cols: 80 }, runOptions) {
      const line = `stty rows ${size.rows} cols ${size.cols}; ${cluster.kubectlLine(version, args)}`;
      return runProcess('script', ['-qfec', line, '/dev/null'], { holdStdin: true, ...runOptions });
    },
    startKubectl: (version, args, env) => startProcess(kubectlPath(version), kubectlArgs(version, args), env),
    async getJson<T>(...args: string[]) {
      const result = await runProcess(kubectlPath('1.33'), kubectlArgs('1.33', ['get', ...args, '-o', 'json']));
      if (result.code !== 0) {
        if (/NotFound/.test(result.stderr)) return undefined;
        throw new Error(`kubectl get ${args.join(' ')} failed: ${result.stderr.trim()}`);
      }
      return JSON.parse(result.stdout) as T;
    },
    kube,
    async watch(path, onEvent) {
      const { gateway } = current();
      const abort = new AbortController();
      const res = await fetch(gateway.info.url + appRoutes.kubeApi(name) + path, {
        headers: { Authorization: `Bearer ${gateway.info.token}`, Accept: 'application/json' },
        signal: abort.signal,
      });
      if (!res.ok || !res.body) throw new Error(`The watch ${path} answered ${res.status}: ${await res.text()}`);
      void readWatchEvents(res.body, onEvent);
      return () => abort.abort();
    },
    async nodeProvider() {
      provider ??= await nodeProviderFor(hostDocker, name, clusterPaths(dataDir, name));
      return provider;
    },
    nodeContainer: (node) => `wh-${name}-${node}`,
    async stopEngine() {
      if (!handle) return;
      const stopping = handle;
      handle = undefined;
      await stopping.engine.stop();
    },
    async startEngine() {
      if (handle) return;
      handle = await startTestEngine(dataDir);
      await waitFor(async () => (await handle!.gateway.request<ClusterSummary>('GET', appRoutes.cluster(name)).catch(() => undefined))?.state === 'running', 120_000, `cluster ${name} to run again`);
    },
    async remove() {
      try {
        if (handle) await handle.gateway.request('DELETE', appRoutes.cluster(name)).catch(() => undefined);
        await cluster.stopEngine().catch(() => undefined);
        await removeClusterLeftovers(hostDocker, name);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };

  try {
    const request: CreateClusterRequest = { name, workers: options.workers ?? 2 };
    if (options.evictionTimeoutSeconds !== undefined) request.evictionTimeoutSeconds = options.evictionTimeoutSeconds;
    await handle.gateway.request<ClusterSummary>('POST', appRoutes.clusters, request);
    const { kubeconfig: text } = await handle.gateway.request<{ kubeconfig: string }>('GET', appRoutes.clusterAction(name, 'kubeconfig'));
    writeFileSync(kubeconfig, text, { mode: 0o600 });
    if (options.busybox !== false && (options.workers ?? 2) > 0) {
      await ensureBusyboxImage(hostDocker);
      await handle.gateway.request('POST', appRoutes.clusterAction(name, 'images'), { image: testBusyboxImage });
    }
    return cluster;
  } catch (err) {
    await cluster.remove();
    handle = undefined;
    throw err;
  }
}

/** waitFor polls check every 250 ms until it is true, or rejects after timeoutMs naming what it waited for. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what} after ${Math.round(timeoutMs / 1000)} s.`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * removeClusterLeftovers removes whatever Docker objects a cluster's nodes left on the
 * host (containers, network, volumes, found by their cluster label) and returns what it
 * found, so tests can both clean up and check that nothing was left behind.
 */
export async function removeClusterLeftovers(docker: Docker, cluster: string): Promise<string[]> {
  const label = [`${nodeLabels.cluster}=${cluster}`];
  const found: string[] = [];
  for (const c of await docker.listContainers({ all: true, filters: { label } })) {
    found.push(`container ${c.Names[0]?.replace(/^\//, '')}`);
    await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
  }
  for (const n of await docker.listNetworks({ filters: { label } })) {
    found.push(`network ${n.Name}`);
    await docker.getNetwork(n.Id).remove().catch(() => undefined);
  }
  for (const v of (await docker.listVolumes({ filters: { label } })).Volumes ?? []) {
    found.push(`volume ${v.Name}`);
    await docker.getVolume(v.Name).remove({ force: true }).catch(() => undefined);
  }
  return found;
}
