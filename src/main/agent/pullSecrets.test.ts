// Which credentials a pull uses: the registry of the image, matched against each
// pull Secret of the pod in order.
import { describe, expect, it } from 'vitest';
import { dockerConfigEntries, normalizeRegistryKey, registryAuthFor, registryHost } from './pullSecrets';

const dockerConfigJson = (auths: Record<string, unknown>) => ({ '.dockerconfigjson': JSON.stringify({ auths }) });
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('registryHost', () => {
  it('finds the registry an image names, or docker.io', () => {
    expect(registryHost('busybox')).toBe('docker.io');
    expect(registryHost('library/busybox:1.36')).toBe('docker.io');
    expect(registryHost('Registry.Example.com:5000/team/app:v1')).toBe('registry.example.com:5000');
    expect(registryHost('localhost/app')).toBe('localhost');
    expect(registryHost('10.0.0.5:5000/app@sha256:abc')).toBe('10.0.0.5:5000');
  });

  it('knows docker.io by its other names', () => {
    expect(normalizeRegistryKey('https://index.docker.io/v1/')).toBe('docker.io');
    expect(normalizeRegistryKey('registry-1.docker.io')).toBe('docker.io');
    expect(normalizeRegistryKey('https://reg.example.com/v2/')).toBe('reg.example.com');
  });
});

describe('registryAuthFor', () => {
  const team = dockerConfigJson({ 'reg.example.com:5000': { username: 'ci', password: 's3cret' } });
  const hub = dockerConfigJson({ 'https://index.docker.io/v1/': { auth: b64('me:tok:en') } });

  it('uses the entry of the image registry, with username and password or an auth pair', () => {
    expect(registryAuthFor('reg.example.com:5000/app:1', [hub, team])).toEqual({ username: 'ci', password: 's3cret', serveraddress: 'reg.example.com:5000' });
    expect(registryAuthFor('nginx', [team, hub])).toEqual({ username: 'me', password: 'tok:en', serveraddress: 'https://index.docker.io/v1/' });
  });

  it('uses nothing for a registry no Secret names', () => {
    expect(registryAuthFor('quay.io/app', [team, hub])).toBeUndefined();
  });

  it('reads legacy dockercfg Secrets and ignores ones that do not parse', () => {
    expect(dockerConfigEntries({ '.dockercfg': JSON.stringify({ 'reg.example.com': { auth: b64('a:b') } }) }).get('reg.example.com')).toMatchObject({ username: 'a' });
    expect(dockerConfigEntries({ '.dockerconfigjson': '{not json' }).size).toBe(0);
    expect(dockerConfigEntries({ password: 'x' }).size).toBe(0);
  });
});
