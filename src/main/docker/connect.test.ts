// Endpoint discovery follows DOCKER_HOST, docker contexts and the usual socket paths.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  connectDocker,
  describeDockerEndpoint,
  dockerEndpointOf,
  dockerSocketCandidates,
  resolveDockerEndpoint,
  type DockerEnvironment,
} from './connect';

function fakeEnvironment(options: {
  env?: Record<string, string>;
  platform?: NodeJS.Platform;
  files?: Record<string, string>;
}): DockerEnvironment {
  const files = options.files ?? {};
  return {
    env: options.env ?? {},
    platform: options.platform ?? 'linux',
    home: '/home/ada',
    exists: (path) => path in files,
    readText: (path) => files[path],
  };
}

describe('resolveDockerEndpoint', () => {
  it('uses a unix DOCKER_HOST as given', () => {
    const endpoint = resolveDockerEndpoint(
      fakeEnvironment({ env: { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' } }),
    );
    expect(endpoint).toEqual({ kind: 'socket', path: '/run/user/1000/docker.sock' });
  });

  it('uses TLS for a tcp DOCKER_HOST when DOCKER_TLS_VERIFY is set', () => {
    const endpoint = resolveDockerEndpoint(
      fakeEnvironment({
        env: { DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' },
      }),
    );
    expect(endpoint).toEqual({ kind: 'tcp', host: '10.0.0.5', port: 2376, tls: { certPath: '/certs' } });
    expect(describeDockerEndpoint(endpoint)).toBe('tcp://10.0.0.5:2376');
  });

  it('uses plain tcp without DOCKER_TLS_VERIFY and defaults the port', () => {
    expect(resolveDockerEndpoint(fakeEnvironment({ env: { DOCKER_HOST: 'tcp://127.0.0.1' } }))).toEqual({
      kind: 'tcp',
      host: '127.0.0.1',
      port: 2375,
      tls: undefined,
    });
  });

  it('explains a DOCKER_HOST it cannot use in one sentence', () => {
    expect(() => resolveDockerEndpoint(fakeEnvironment({ env: { DOCKER_HOST: 'ftp://x' } }))).toThrow(
      /unsupported scheme/,
    );
  });

  it('prefers the system socket on Linux and falls back to rootless and Docker Desktop sockets', () => {
    expect(resolveDockerEndpoint(fakeEnvironment({ files: {} }))).toEqual({
      kind: 'socket',
      path: '/var/run/docker.sock',
    });
    const rootless = fakeEnvironment({
      env: { XDG_RUNTIME_DIR: '/run/user/1000' },
      files: { '/run/user/1000/docker.sock': '' },
    });
    expect(resolveDockerEndpoint(rootless)).toEqual({ kind: 'socket', path: '/run/user/1000/docker.sock' });
    const colima = fakeEnvironment({ files: { '/home/ada/.colima/default/docker.sock': '' } });
    expect(resolveDockerEndpoint(colima)).toEqual({ kind: 'socket', path: '/home/ada/.colima/default/docker.sock' });
  });

  it("prefers Docker Desktop's socket in the home folder on macOS", () => {
    const env = fakeEnvironment({
      platform: 'darwin',
      files: { '/home/ada/.docker/run/docker.sock': '', '/var/run/docker.sock': '' },
    });
    expect(resolveDockerEndpoint(env)).toEqual({ kind: 'socket', path: '/home/ada/.docker/run/docker.sock' });
    expect(dockerSocketCandidates(env)).toContain('/home/ada/.colima/default/docker.sock');
  });

  it('uses the named pipe on Windows', () => {
    expect(resolveDockerEndpoint(fakeEnvironment({ platform: 'win32' }))).toEqual({
      kind: 'npipe',
      path: '//./pipe/docker_engine',
    });
  });

  it('follows the current docker context', () => {
    const id = createHash('sha256').update('colima').digest('hex');
    const env = fakeEnvironment({
      files: {
        '/home/ada/.docker/config.json': JSON.stringify({ currentContext: 'colima' }),
        [`/home/ada/.docker/contexts/meta/${id}/meta.json`]: JSON.stringify({
          Name: 'colima',
          Endpoints: { docker: { Host: 'unix:///home/ada/.colima/default/docker.sock' } },
        }),
      },
    });
    expect(resolveDockerEndpoint(env)).toEqual({ kind: 'socket', path: '/home/ada/.colima/default/docker.sock' });
  });
});

describe('connectDocker', () => {
  it('remembers the endpoint of the client it makes', () => {
    const docker = connectDocker({ kind: 'socket', path: '/nowhere/docker.sock' });
    expect(dockerEndpointOf(docker)).toEqual({ kind: 'socket', path: '/nowhere/docker.sock' });
  });

  it('says which TLS file is missing instead of failing later', () => {
    expect(() => connectDocker({ kind: 'tcp', host: '127.0.0.1', port: 2376, tls: { certPath: '/nowhere' } })).toThrow(
      /ca\.pem cannot be read; set DOCKER_CERT_PATH/,
    );
  });
});
