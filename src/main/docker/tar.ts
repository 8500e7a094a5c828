// A small streaming tar (ustar + pax) writer. Docker's import, build and copy APIs
// take tar streams; writing them directly lets the engine stream a node image's root
// file system from the host's own files without copying them to a temporary directory.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

/** TarEntry is one member of a tar stream: a directory, a file, or a symbolic link. */
export type TarEntry =
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'file'; path: string; mode?: number; content: string | Buffer }
  | { type: 'file'; path: string; mode?: number; source: string }
  | { type: 'symlink'; path: string; target: string };

const block = 512;
const zeroBlock = Buffer.alloc(block);

/** tarStream writes the entries, in order, as an uncompressed tar archive. */
export function tarStream(
  entries: Iterable<TarEntry> | AsyncIterable<TarEntry>,
  options: { onBytes?: (bytesSoFar: number) => void } = {},
): Readable {
  let written = 0;
  const count = (chunk: Buffer): Buffer => {
    written += chunk.length;
    options.onBytes?.(written);
    return chunk;
  };
  async function* generate(): AsyncGenerator<Buffer> {
    for await (const entry of entries) {
      for await (const chunk of entryChunks(entry)) yield count(chunk);
    }
    yield count(Buffer.concat([zeroBlock, zeroBlock]));
  }
  return Readable.from(generate(), { objectMode: false });
}

async function* entryChunks(entry: TarEntry): AsyncGenerator<Buffer> {
  const name = entry.path.replace(/^\/+/, '') + (entry.type === 'dir' && !entry.path.endsWith('/') ? '/' : '');
  if (entry.type === 'dir') {
    yield* headerChunks({ name, mode: entry.mode ?? 0o755, size: 0, typeflag: '5' });
    return;
  }
  if (entry.type === 'symlink') {
    yield* headerChunks({ name, mode: 0o777, size: 0, typeflag: '2', linkname: entry.target });
    return;
  }
  if ('content' in entry) {
    const data = typeof entry.content === 'string' ? Buffer.from(entry.content) : entry.content;
    yield* headerChunks({ name, mode: entry.mode ?? 0o644, size: data.length, typeflag: '0' });
    yield data;
    yield padding(data.length);
    return;
  }
  const info = await stat(entry.source);
  const size = info.size;
  yield* headerChunks({ name, mode: entry.mode ?? info.mode & 0o7777, size, typeflag: '0' });
  // The header already promised `size` bytes, so a file that changes while it is read
  // is cut or zero-filled to keep the archive well-formed.
  let sent = 0;
  for await (const chunk of createReadStream(entry.source)) {
    const buf = chunk as Buffer;
    const room = size - sent;
    if (room <= 0) break;
    const part = buf.length > room ? buf.subarray(0, room) : buf;
    sent += part.length;
    yield part;
  }
  if (sent < size) yield Buffer.alloc(size - sent);
  yield padding(size);
}

function padding(size: number): Buffer {
  const rest = size % block;
  return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(block - rest);
}

interface Header {
  name: string;
  mode: number;
  size: number;
  typeflag: '0' | '2' | '5' | 'x';
  linkname?: string;
}

function* headerChunks(header: Header): Generator<Buffer> {
  const split = splitName(header.name);
  const linkFits = header.linkname === undefined || Buffer.byteLength(header.linkname) <= 100;
  if (!split || !linkFits) {
    // Names that do not fit the ustar fields travel in a pax extended header.
    const records: string[] = [];
    if (!split) records.push(paxRecord('path', header.name));
    if (!linkFits) records.push(paxRecord('linkpath', header.linkname ?? ''));
    const body = Buffer.from(records.join(''));
    yield ustarHeader({ name: 'PaxHeader', mode: 0o644, size: body.length, typeflag: 'x' }, '');
    yield body;
    yield padding(body.length);
  }
  const short = split ?? { prefix: '', name: header.name.slice(-100) };
  yield ustarHeader(
    { ...header, name: short.name, linkname: linkFits ? header.linkname : header.linkname?.slice(0, 100) },
    short.prefix,
  );
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body);
  // The length field counts its own digits.
  while (String(length).length + Buffer.byteLength(body) !== length) {
    length = String(length).length + Buffer.byteLength(body);
  }
  return `${length}${body}`;
}

function splitName(name: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name };
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest.length > 0) {
      return { prefix, name: rest };
    }
  }
  return undefined;
}

function ustarHeader(header: Header, prefix: string): Buffer {
  const buf = Buffer.alloc(block);
  buf.write(header.name, 0, 100, 'utf8');
  writeOctal(buf, header.mode, 100, 8);
  writeOctal(buf, 0, 108, 8);
  writeOctal(buf, 0, 116, 8);
  writeOctal(buf, header.size, 124, 12);
  writeOctal(buf, 0, 136, 12);
  buf.fill(' ', 148, 156);
  buf.write(header.typeflag, 156, 1, 'ascii');
  if (header.linkname) buf.write(header.linkname, 157, 100, 'utf8');
  buf.write('ustar\0', 257, 6, 'ascii');
  buf.write('00', 263, 2, 'ascii');
  buf.write('root', 265, 32, 'ascii');
  buf.write('root', 297, 32, 'ascii');
  if (prefix) buf.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of buf) sum += byte;
  buf.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return buf;
}

function writeOctal(buf: Buffer, value: number, offset: number, length: number): void {
  buf.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'ascii');
}
