// A private image registry for tests: a small HTTPS server speaking the read side of
// the Docker Registry HTTP API v2 with basic authentication, serving one image taken
// from the host's Docker (`docker save`). It lets tests pull with imagePullSecrets
// without any network access. Only the calls a pull makes are answered.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type Docker from 'dockerode';

/** TestRegistryOptions say what the registry serves and to whom. */
export interface TestRegistryOptions {
  /** An image in the host's Docker, served as repository:tag. */
  image: string;
  repository: string;
  tag: string;
  username: string;
  password: string;
  /** Address to listen on; the certificate must name it. */
  host: string;
  cert: string;
  key: string;
}

/** TestRegistry is a running test registry. */
export interface TestRegistry {
  /** address is host:port, the registry part of image references. */
  address: string;
  /** pulls counts the manifests handed out to authenticated clients. */
  pulls(): number;
  close(): Promise<void>;
}

interface Blob {
  digest: string;
  data: Buffer;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** untar reads the files of an uncompressed tar archive. */
function untar(archive: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let offset = 0;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    offset += 512;
    if (type === '0' || type === '') files.set(name, archive.subarray(offset, offset + size));
    offset += Math.ceil(size / 512) * 512;
  }
  return files;
}

async function imageBlobs(docker: Docker, image: string): Promise<{ manifest: Buffer; blobs: Map<string, Blob> }> {
  const saved = untar(await readAll((await docker.getImage(image).get()) as NodeJS.ReadableStream));
  const index = JSON.parse(saved.get('manifest.json')!.toString()) as { Config: string; Layers: string[] }[];
  const config = saved.get(index[0].Config)!;
  const blobs = new Map<string, Blob>();
  const add = (data: Buffer): Blob => {
    const blob = { digest: sha256(data), data };
    blobs.set(blob.digest, blob);
    return blob;
  };
  const configBlob = add(config);
  const layers = index[0].Layers.map((path) => add(gzipSync(saved.get(path)!)));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: configBlob.data.length, digest: configBlob.digest },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: l.data.length, digest: l.digest })),
    }),
  );
  return { manifest, blobs };
}

/** startTestRegistry serves one image of the host's Docker behind basic authentication. */
export async function startTestRegistry(docker: Docker, options: TestRegistryOptions): Promise<TestRegistry> {
  const { manifest, blobs } = await imageBlobs(docker, options.image);
  const manifestDigest = sha256(manifest);
  const expected = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  let pulls = 0;
  const server: Server = createServer({ cert: options.cert, key: options.key }, (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="wheelhouse-test-registry"', 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    if (path === '/v2/' || path === '/v2') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      return;
    }
    const base = `/v2/${options.repository}/`;
    if (path === `${base}manifests/${options.tag}` || path === `${base}manifests/${manifestDigest}`) {
      if (req.method === 'GET') pulls++;
      res.writeHead(200, {
        'Content-Type': 'application/vnd.docker.distribution.manifest.v2+json',
        'Docker-Content-Digest': manifestDigest,
        'Content-Length': manifest.length,
      });
      res.end(req.method === 'HEAD' ? undefined : manifest);
      return;
    }
    const blob = path.startsWith(`${base}blobs/`) ? blobs.get(path.slice(`${base}blobs/`.length)) : undefined;
    if (blob) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Docker-Content-Digest': blob.digest, 'Content-Length': blob.data.length });
      res.end(req.method === 'HEAD' ? undefined : blob.data);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    address: `${options.host}:${port}`,
    pulls: () => pulls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
