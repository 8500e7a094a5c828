// exec, attach and port-forward driven by the real kubectl binaries (1.27, 1.29, 1.33,
// and the non-default transports 1.29 and 1.33 can be switched to) against a minimal
// HTTPS API server mounting this folder's handlers. Commands run as local processes;
// port-forward reaches a small HTTP server standing in for the pod.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  greetingAttachBackend,
  localPortBackend,
  processExecBackend,
  startMiniApiServer,
  type MiniApiServer,
} from './testing/miniApiServer';

// PLATFORM.md: versioned kubectl binaries live here on the build machines.
const kubectlDir = process.env.WHEELHOUSE_KUBECTL_DIR ?? '/usr/lib/google-cloud-sdk/bin';
const kubectlPath = (version: string) => join(kubectlDir, `kubectl.${version}`);

interface Profile {
  name: string;
  version: string;
  env: Record<string, string>;
  /** exec and portForward name the transport kubectl must end up using, with no fallback. */
  exec: 'spdy' | 'websocket';
  portForward: 'spdy' | 'websocket';
}

const profiles: Profile[] = [
  { name: 'kubectl 1.27', version: '1.27', env: {}, exec: 'spdy', portForward: 'spdy' },
  { name: 'kubectl 1.29', version: '1.29', env: {}, exec: 'spdy', portForward: 'spdy' },
  {
    name: 'kubectl 1.29 with WebSocket exec',
    version: '1.29',
    env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'true' },
    exec: 'websocket',
    portForward: 'spdy',
  },
  { name: 'kubectl 1.33', version: '1.33', env: {}, exec: 'websocket', portForward: 'websocket' },
  {
    name: 'kubectl 1.33 with WebSockets off',
    version: '1.33',
    env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false', KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' },
    exec: 'spdy',
    portForward: 'spdy',
  },
];

function prerequisites(): boolean {
  const missing = [...new Set(profiles.map((p) => p.version))].filter((v) => !existsSync(kubectlPath(v)));
  const reasons: string[] = [];
  if (missing.length > 0) reasons.push(`kubectl ${missing.join(', ')} not found in ${kubectlDir} (see PLATFORM.md)`);
  if (spawnSync('script', ['--version']).status !== 0) reasons.push('`script` from util-linux is not installed');
  if (reasons.length === 0) return true;
  const reason = `kubectl streaming tests: ${reasons.join('; ')}`;
  if (process.env.CI) throw new Error(`${reason}. CI is set, so this is a failure, not a skip.`);
  console.warn(`SKIPPED ${reason}`);
  return false;
}

const ready = prerequisites();
const bigBody = Buffer.alloc(3 * 1024 * 1024);
for (let i = 0; i < bigBody.length; i++) bigBody[i] = (i * 7) & 0xff;

let api: MiniApiServer;
let pod: Server;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; input?: string | Buffer } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    // The API server runs in this process: a synchronous spawn would starve it.
    const child = spawn(command, args, {
      env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => (stderr += String(c)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

function kubectlArgs(cacheDir: string, args: string[]): string[] {
  return ['--kubeconfig', api.kubeconfig, '--cache-dir', cacheDir, ...args];
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

function httpCall(port: number, path: string, body?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!ready)('real kubectl against the streaming handlers', () => {
  beforeAll(async () => {
    pod = createServer((req, res) => {
      if (req.method === 'POST') {
        let size = 0;
        req.on('data', (c: Buffer) => (size += c.length));
        req.on('end', () => res.end(`received ${size} bytes`));
      } else if (req.url === '/big') {
        res.end(bigBody);
      } else {
        res.end('hello from the pod');
      }
    });
    await new Promise<void>((resolve) => pod.listen(0, '127.0.0.1', resolve));
    const podPort = (pod.address() as AddressInfo).port;
    api = await startMiniApiServer({
      exec: processExecBackend,
      attach: greetingAttachBackend,
      portForward: localPortBackend({ 80: podPort }),
    });
  });

  afterAll(async () => {
    await api?.close();
    pod?.closeAllConnections();
    await new Promise((resolve) => pod?.close(resolve));
  });

  describe.each(profiles)('$name', (profile) => {
    let cacheDir: string;
    const kubectl = (args: string[], input?: string | Buffer) =>
      run(kubectlPath(profile.version), kubectlArgs(cacheDir, args), { env: profile.env, input });
    // Which transports the server saw for the requests made inside fn.
    const transportsOf = async <T>(fn: () => Promise<T>): Promise<[T, (string | undefined)[]]> => {
      const before = api.upgrades.length;
      const result = await fn();
      return [result, api.upgrades.slice(before).map((u) => u.transport)];
    };

    beforeAll(() => {
      cacheDir = mkdtempSync(join(api.dir, `cache-${profile.version}-`));
    });

    it('exec prints what the command writes to stdout', async () => {
      const [result, transports] = await transportsOf(() => kubectl(['exec', 'p', '--', 'echo', 'hi']));
      expect(result).toMatchObject({ code: 0, stdout: 'hi\n' });
      expect(transports).toEqual([profile.exec]);
    });

    it('exec exits with the exit code of the command', async () => {
      const result = await kubectl(['exec', 'p', '--', 'sh', '-c', 'exit 3']);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('command terminated with exit code 3');
    });

    it('exec keeps stderr apart from stdout', async () => {
      const result = await kubectl(['exec', 'p', '--', 'sh', '-c', 'echo out; echo err >&2']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('out\n');
      expect(result.stderr).toBe('err\n');
    });

    it('exec -i feeds stdin to the command and ends it when input ends', async () => {
      const input = 'first line\n' + 'x'.repeat(300_000) + '\nlast line\n';
      const result = await kubectl(['exec', '-i', 'p', '--', 'cat'], input);
      expect(result.code).toBe(0);
      expect(result.stdout.length).toBe(input.length);
      expect(result.stdout).toBe(input);
    });

    it('exec -it runs the command in a terminal of the client terminal size', async () => {
      const line = [
        kubectlPath(profile.version),
        ...kubectlArgs(cacheDir, ['exec', '-it', 'p', '--', 'sh', '-c', 'stty size; tty']),
      ]
        .map(shellQuote)
        .join(' ');
      // `script` gives kubectl a terminal; stty sets that terminal's size first.
      const result = await run('script', ['-qfec', `stty rows 33 cols 101; ${line}`, '/dev/null'], {
        env: profile.env,
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('33 101');
      expect(result.stdout).toMatch(/\/dev\/pts\/\d+/);
    });

    it('attach shows what the container writes', async () => {
      const [result, transports] = await transportsOf(() => kubectl(['attach', 'p']));
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('attached to c');
      expect(transports).toEqual([profile.exec]);
    });

    it('port-forward carries HTTP requests to the pod port, large bodies both ways', async () => {
      const localPort = await freePort();
      const before = api.upgrades.length;
      const child = spawn(
        kubectlPath(profile.version),
        kubectlArgs(cacheDir, ['port-forward', 'pod/p', `${localPort}:80`]),
        {
          env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', ...profile.env },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (c) => (output += String(c)));
      child.stderr.on('data', (c) => (output += String(c)));
      const exited = new Promise((resolve) => child.on('exit', resolve));
      try {
        for (let i = 0; i < 300 && !output.includes(`Forwarding from 127.0.0.1:${localPort}`); i++) {
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(output).toContain(`Forwarding from 127.0.0.1:${localPort} -> 80`);
        expect((await httpCall(localPort, '/')).toString()).toBe('hello from the pod');
        expect((await httpCall(localPort, '/big')).equals(bigBody)).toBe(true);
        expect((await httpCall(localPort, '/upload', bigBody)).toString()).toBe(`received ${bigBody.length} bytes`);
        expect(api.upgrades.slice(before).map((u) => u.transport)).toEqual([profile.portForward]);
      } finally {
        child.kill();
        await exited;
      }
    });
  });
});
