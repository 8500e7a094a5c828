// Node naming, pod CIDRs, and the pod-network script run by a real shell against
// stand-in ip and iptables commands that record what they were asked to do.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { podNetworkFor, podNetworkScript, validateName } from './nodeContainer';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('podNetworkFor', () => {
  it('gives node N the pod CIDR 10.244.N.0/24 with the bridge on .1', () => {
    expect(podNetworkFor(3)).toEqual({ cidr: '10.244.3.0/24', gateway: '10.244.3.1', bridge: '10.244.3.1/24' });
    expect(() => podNetworkFor(0)).toThrow(/out of range/);
    expect(() => podNetworkFor(255)).toThrow(/out of range/);
  });
});

describe('validateName', () => {
  it('accepts DNS labels and explains what is wrong with anything else', () => {
    expect(() => validateName('cluster', 'demo-1')).not.toThrow();
    expect(() => validateName('node', 'Worker_1')).toThrow('The node name "Worker_1" is not valid');
    expect(() => validateName('cluster', '-x')).toThrow(/starting and ending with a letter or digit/);
  });
});

describe('podNetworkScript', () => {
  function runScript(routes: string, peers: Array<{ cidr: string; via: string }>, existingRules: boolean): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'wh-podnet-'));
    dirs.push(dir);
    const log = join(dir, 'log');
    writeFileSync(log, '');
    writeFileSync(
      join(dir, 'ip'),
      `#!/bin/sh\nif [ "$*" = "-4 route show" ]; then cat <<'EOF'\n${routes}\nEOF\nexit 0; fi\necho "ip $*" >> ${log}\n`,
    );
    // iptables -C answers "present" or "absent"; other calls are recorded.
    writeFileSync(
      join(dir, 'iptables'),
      `#!/bin/sh\nfor a in "$@"; do [ "$a" = -C ] && exit ${existingRules ? 0 : 1}; done\necho "iptables $*" >> ${log}\n`,
    );
    chmodSync(join(dir, 'ip'), 0o755);
    chmodSync(join(dir, 'iptables'), 0o755);
    execFileSync('sh', ['-c', podNetworkScript(peers)], { env: { PATH: `${dir}:${process.env.PATH}` } });
    return readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
  }

  const routes = [
    'default via 172.18.0.1 dev eth0',
    '10.244.1.0/24 dev docker0 proto kernel scope link src 10.244.1.1',
    '10.244.2.0/24 via 172.18.0.3 dev eth0',
    '10.244.7.0/24 via 172.18.0.9 dev eth0',
    '172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.2',
  ].join('\n');

  it('adds routes to the other nodes and removes routes to nodes that are gone', () => {
    const calls = runScript(
      routes,
      [
        { cidr: '10.244.2.0/24', via: '172.18.0.3' },
        { cidr: '10.244.3.0/24', via: '172.18.0.4' },
      ],
      true,
    );
    expect(calls).toEqual([
      'ip route replace 10.244.2.0/24 via 172.18.0.3',
      'ip route replace 10.244.3.0/24 via 172.18.0.4',
      'ip route del 10.244.7.0/24',
    ]);
  });

  it('inserts the forwarding and no-masquerade rules only when they are missing', () => {
    const calls = runScript('', [], false);
    expect(calls).toEqual([
      'iptables -I DOCKER-USER -d 10.244.0.0/16 -j ACCEPT',
      'iptables -t nat -I POSTROUTING -s 10.244.0.0/16 -d 10.244.0.0/16 -j RETURN',
    ]);
    expect(runScript('', [], true)).toEqual([]);
  });
});
