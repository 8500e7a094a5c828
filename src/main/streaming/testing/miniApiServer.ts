// Test support: the smallest HTTPS "API server" real kubectl accepts for exec, attach
// and port-forward against one Running pod `p` (container `c`) in namespace default,
// plus backends that run local processes and connect to local ports.
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import forge from 'node-forge';
import { handleAttachUpgrade, handleExecUpgrade, type AttachBackend, type ExecBackend } from '../remoteCommand';
import { handlePortForwardUpgrade, type PortForwardBackend } from '../portForward';
import { respondUpgradeRequired, upgradeKind, writeStatusResponse } from '../httpUpgrade';
import { ApiError } from '../../errors';
import type { TerminalSize, TerminalSizeQueue } from '../terminalSize';

/** Upgrade records one streaming request the server received. */
export interface UpgradeRecord {
  method: string;
  path: string;
  transport: 'websocket' | 'spdy' | undefined;
  protocols: string;
}

/** MiniApiServer is a running test server and the kubeconfig that reaches it. */
export interface MiniApiServer {
  port: number;
  kubeconfig: string;
  /** dir is a temporary directory removed by close(); put kubectl caches under it. */
  dir: string;
  upgrades: UpgradeRecord[];
  close(): Promise<void>;
}

/** MiniApiBackends are the handlers behind the pod's streaming endpoints. */
export interface MiniApiBackends {
  exec: ExecBackend;
  attach: AttachBackend;
  portForward: PortForwardBackend;
}

function selfSignedCertificate(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const attrs = [{ name: 'commonName', value: 'mini-apiserver' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { key: keyPem, cert: forge.pki.certificateToPem(cert) };
}

const created = new Date().toISOString();

function pod(): unknown {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: 'p',
      namespace: 'default',
      uid: '6c1d2d4e-0000-4000-8000-000000000001',
      resourceVersion: '1',
      creationTimestamp: created,
    },
    spec: {
      containers: [
        { name: 'c', image: 'local', stdin: true, tty: true, ports: [{ containerPort: 80, protocol: 'TCP' }] },
      ],
    },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        {
          name: 'c',
          ready: true,
          started: true,
          restartCount: 0,
          image: 'local',
          imageID: '',
          state: { running: { startedAt: created } },
        },
      ],
    },
  };
}

function discovery(path: string, port: number): unknown {
  switch (path) {
    case '/api':
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }],
      };
    case '/apis':
      return { kind: 'APIGroupList', apiVersion: 'v1', groups: [] };
    case '/api/v1':
      return {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [
          {
            name: 'pods',
            singularName: 'pod',
            namespaced: true,
            kind: 'Pod',
            verbs: ['get', 'list'],
            shortNames: ['po'],
            categories: ['all'],
          },
          {
            name: 'pods/attach',
            singularName: '',
            namespaced: true,
            kind: 'PodAttachOptions',
            verbs: ['create', 'get'],
          },
          { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
          {
            name: 'pods/portforward',
            singularName: '',
            namespaced: true,
            kind: 'PodPortForwardOptions',
            verbs: ['create', 'get'],
          },
        ],
      };
    case '/version':
      return { major: '1', minor: '33', gitVersion: 'v1.33.0', platform: 'linux/amd64' };
    default:
      return undefined;
  }
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const streamingPath = /^\/api\/v1\/namespaces\/default\/pods\/p\/(exec|attach|portforward)$/;

/** startMiniApiServer starts the server on 127.0.0.1 with a random port and writes a kubeconfig. */
export async function startMiniApiServer(backends: MiniApiBackends): Promise<MiniApiServer> {
  const { key, cert } = selfSignedCertificate();
  const token = randomBytes(16).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'wh-streaming-'));
  const upgrades: UpgradeRecord[] = [];
  const authorized = (req: IncomingMessage) => req.headers.authorization === `Bearer ${token}`;
  const server: Server = createServer({ key, cert });
  let port = 0;

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'https://localhost').pathname;
    if (!authorized(req)) {
      sendJson(res, 401, new ApiError('Unauthorized', 'Unauthorized').toStatus());
      return;
    }
    const body = discovery(path, port);
    if (body) return sendJson(res, 200, body);
    if (path === '/api/v1/namespaces/default/pods/p' && req.method === 'GET') return sendJson(res, 200, pod());
    if (streamingPath.test(path)) return respondUpgradeRequired(res);
    sendJson(
      res,
      404,
      new ApiError('NotFound', `the server could not find the requested resource (${req.method} ${path})`).toStatus(),
    );
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'https://localhost').pathname;
    const match = streamingPath.exec(path);
    upgrades.push({
      method: req.method ?? '',
      path,
      transport: upgradeKind(req),
      protocols: String(
        req.headers['sec-websocket-protocol'] ?? req.headersDistinct['x-stream-protocol-version']?.join(',') ?? '',
      ),
    });
    if (!authorized(req)) return writeStatusResponse(socket, new ApiError('Unauthorized', 'Unauthorized'));
    if (!match) return writeStatusResponse(socket, new ApiError('NotFound', `no streaming endpoint at ${path}`));
    const options = { defaultContainer: 'c' };
    if (match[1] === 'exec') handleExecUpgrade(req, socket, head, { ...options, backend: backends.exec });
    else if (match[1] === 'attach') handleAttachUpgrade(req, socket, head, { ...options, backend: backends.attach });
    else handlePortForwardUpgrade(req, socket, head, { backend: backends.portForward, target: 'pod default/p' });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: mini',
      '  cluster:',
      `    server: https://127.0.0.1:${port}`,
      `    certificate-authority-data: ${Buffer.from(cert).toString('base64')}`,
      'users:',
      '- name: mini',
      '  user:',
      `    token: ${token}`,
      'contexts:',
      '- name: mini',
      '  context:',
      '    cluster: mini',
      '    user: mini',
      '    namespace: default',
      'current-context: mini',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return {
    port,
    kubeconfig,
    dir,
    upgrades,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

async function firstSize(queue: TerminalSizeQueue, timeoutMs: number): Promise<TerminalSize | undefined> {
  if (queue.latest) return queue.latest;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    queue.once('resize', (size: TerminalSize) => {
      clearTimeout(timer);
      resolve(size);
    });
  });
}

/**
 * processExecBackend runs the command as a local process. With a TTY it runs under
 * `script` for a real pseudo-terminal, sized to the client's first reported size
 * (later resizes are not applied: a pty's size can only be set from inside here).
 */
export const processExecBackend: ExecBackend = async ({ command, stdin, stdout, stderr, tty, resize, signal }) => {
  let argv = command;
  if (tty) {
    const size = resize ? await firstSize(resize, 5000) : undefined;
    const line = command.map(shellQuote).join(' ');
    argv = ['script', '-qfec', size ? `stty rows ${size.height} cols ${size.width}; ${line}` : line, '/dev/null'];
  }
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    child.on('error', (err) => resolve({ error: `could not start ${command[0]}: ${err.message}` }));
    child.stdin.on('error', () => undefined);
    if (stdin) stdin.pipe(child.stdin);
    else child.stdin.end();
    if (stdout) child.stdout.pipe(stdout);
    else child.stdout.resume();
    if (stderr) child.stderr.pipe(stderr);
    else child.stderr.resume();
    const kill = () => child.kill('SIGKILL');
    signal.addEventListener('abort', kill, { once: true });
    child.on('close', (code, sig) => {
      signal.removeEventListener('abort', kill);
      resolve({ exitCode: code ?? (sig ? 128 + 9 : 1) });
    });
  });
};

/** greetingAttachBackend stands in for a container's main process: it greets and exits 0. */
export const greetingAttachBackend: AttachBackend = async ({ stdout }) => {
  stdout?.write('attached to c\n');
  return { exitCode: 0 };
};

/** localPortBackend connects pod ports to the mapped ports on 127.0.0.1, where test servers listen. */
export function localPortBackend(ports: Record<number, number>): PortForwardBackend {
  return (port) =>
    new Promise((resolve, reject) => {
      const local = ports[port];
      if (!local) {
        reject(new Error(`nothing listens on port ${port}`));
        return;
      }
      const socket = connect(local, '127.0.0.1');
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    });
}
