// Which container a streaming request means, and the logs query options.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { dockerLogOptions, LimitedWriter } from './logs';
import { resolveContainerName } from './streamTarget';

describe('resolveContainerName', () => {
  const pod = { metadata: { name: 'web' }, spec: { containers: [{ name: 'a' }, { name: 'b' }], initContainers: [{ name: 'init' }] } };
  it('picks the only container, the default-container annotation, or the named one', () => {
    expect(resolveContainerName({ metadata: { name: 'x' }, spec: { containers: [{ name: 'only' }] } }, undefined)).toEqual({ name: 'only', kind: 'app' });
    expect(resolveContainerName({ ...pod, metadata: { name: 'web', annotations: { 'kubectl.kubernetes.io/default-container': 'b' } } }, undefined).name).toBe('b');
    expect(resolveContainerName(pod, 'init')).toEqual({ name: 'init', kind: 'init' });
  });
  it('explains what to pass', () => {
    expect(() => resolveContainerName(pod, undefined)).toThrow('a container name must be specified for pod web, choose one of: [a b] or one of the init containers: [init]');
    expect(() => resolveContainerName(pod, 'zzz')).toThrow('container zzz is not valid for pod web');
  });
});

describe('log options', () => {
  it('maps tail, timestamps and since to the Docker query', () => {
    expect(dockerLogOptions({ tailLines: 5, timestamps: true, follow: true })).toEqual({ stdout: true, stderr: true, follow: true, timestamps: true, tail: 5 });
    expect(dockerLogOptions({ sinceSeconds: 10 }, 100_000).since).toBe('90.000000000');
    expect(dockerLogOptions({ sinceTime: '1970-01-01T00:01:00Z' }).since).toBe('60.000000000');
    expect(() => dockerLogOptions({ sinceTime: 'yesterday' })).toThrow(/sinceTime/);
  });
  it('cuts output at limitBytes', () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const writer = new LimitedWriter(out, 5);
    writer.write(Buffer.from('abc'));
    writer.write(Buffer.from('defgh'));
    expect(writer.full).toBe(true);
    writer.write(Buffer.from('more'));
    expect(Buffer.concat(chunks).toString()).toBe('abcde');
  });
});
