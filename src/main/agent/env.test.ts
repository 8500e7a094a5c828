// Container environment: $(VAR) expansion, downward API fields, ConfigMap/Secret references, service links.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../apiserver/kinds/types';
import { expandCommand, expandVars, podFieldValue, resolveEnv, serviceEnv } from './env';

const pod: Pod = {
  metadata: { name: 'web', namespace: 'shop', uid: 'u-1', labels: { app: 'web', tier: 'front' }, annotations: { note: 'x' } },
  spec: { nodeName: 'a', serviceAccountName: 'default', containers: [{ name: 'c', resources: { limits: { cpu: '500m', memory: '64Mi' } } }] },
};

describe('expandVars', () => {
  const lookup = (name: string) => ({ A: 'one', B: 'two' })[name];
  it('expands known variables and keeps unknown ones as written', () => {
    expect(expandVars('$(A)-$(B)-$(C)', lookup)).toBe('one-two-$(C)');
  });
  it('treats $$ as an escaped dollar and keeps other dollars', () => {
    expect(expandVars('$$(A) $A $ end$', lookup)).toBe('$(A) $A $ end$');
  });
  it('keeps an unterminated reference', () => {
    expect(expandVars('x$(A', lookup)).toBe('x$(A');
  });
});

describe('resolveEnv', () => {
  it('resolves values, field references and expansion in order', () => {
    const result = resolveEnv(
      pod,
      {
        name: 'c',
        env: [
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: 'GREETING', value: 'hello $(POD) in $(NS) at $(IP), $(LATER)' },
          { name: 'LATER', value: 'later' },
        ],
      },
      { podIP: '10.244.1.5', hostIP: '192.168.1.2' },
    );
    expect(result).toEqual({
      ok: true,
      env: [
        ['POD', 'web'],
        ['NS', 'shop'],
        ['IP', '10.244.1.5'],
        ['APP', 'web'],
        ['GREETING', 'hello web in shop at 10.244.1.5, $(LATER)'],
        ['LATER', 'later'],
      ],
    });
  });

  it('reads ConfigMaps and Secrets, with envFrom prefixes, and lets env override envFrom', () => {
    const result = resolveEnv(
      pod,
      {
        name: 'c',
        envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }, { secretRef: { name: 'sec' } }],
        env: [
          { name: 'CFG_mode', value: 'override' },
          { name: 'KEY', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } },
        ],
      },
      {
        configMaps: new Map([['cfg', { mode: 'fast', 'bad key': 'skipped' }]]),
        secrets: new Map([['sec', { PASSWORD: 'pw' }]]),
      },
    );
    expect(result.ok && Object.fromEntries(result.env)).toEqual({ CFG_mode: 'override', PASSWORD: 'pw', KEY: 'fast' });
  });

  it('fails like kubelet when a referenced ConfigMap or key is missing', () => {
    const missing = resolveEnv(pod, { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }, { configMaps: new Map([['nope', undefined]]) });
    expect(missing).toEqual({ ok: false, message: 'configmap "nope" not found' });
    const noKey = resolveEnv(pod, { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }, { secrets: new Map([['s', {}]]) });
    expect(noKey).toEqual({ ok: false, message: "couldn't find key k in Secret shop/s" });
    const optional = resolveEnv(pod, { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: true } } }] }, { secrets: new Map([['s', undefined]]) });
    expect(optional).toEqual({ ok: true, env: [] });
  });

  it('reads resource limits in units of the divisor', () => {
    const result = resolveEnv(pod, {
      ...pod.spec!.containers![0],
      env: [
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
        { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      ],
    }, {});
    expect(result.ok && Object.fromEntries(result.env)).toEqual({ CPU: '500', MEM: '64' });
  });
});

describe('podFieldValue and expandCommand', () => {
  it('renders all labels the downward API way', () => {
    expect(podFieldValue(pod, 'metadata.labels', {})).toBe('app="web"\ntier="front"');
    expect(podFieldValue(pod, 'spec.nodeName', {})).toBe('a');
    expect(podFieldValue(pod, 'metadata.nope', {})).toBeUndefined();
  });
  it('expands command and args with the environment', () => {
    expect(expandCommand({ command: ['echo', '$(A)'], args: ['$(B)', '$$(A)'] }, [['A', '1'], ['B', '2']])).toEqual({
      command: ['echo', '1'],
      args: ['2', '$(A)'],
    });
  });
});

describe('serviceEnv', () => {
  const services = [
    { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } },
    { metadata: { name: 'my-db', namespace: 'shop' }, spec: { clusterIP: '10.96.0.7', ports: [{ name: 'pg', port: 5432 }] } },
    { metadata: { name: 'headless', namespace: 'shop' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } },
    { metadata: { name: 'elsewhere', namespace: 'other' }, spec: { clusterIP: '10.96.0.8', ports: [{ port: 80 }] } },
  ];
  it('announces the services of the namespace and the API server, Docker-links style', () => {
    const env = Object.fromEntries(serviceEnv(pod, services));
    expect(env).toMatchObject({
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
      MY_DB_SERVICE_HOST: '10.96.0.7',
      MY_DB_PORT_5432_TCP: 'tcp://10.96.0.7:5432',
    });
    expect(Object.keys(env).some((k) => k.startsWith('HEADLESS') || k.startsWith('ELSEWHERE'))).toBe(false);
  });
  it('announces only the API server without service links, and lets env refer to the links', () => {
    const noLinks = { ...pod, spec: { ...pod.spec, enableServiceLinks: false } };
    expect(serviceEnv(noLinks, services).every(([k]) => k.startsWith('KUBERNETES_'))).toBe(true);
    const result = resolveEnv(pod, { env: [{ name: 'DB', value: '$(MY_DB_SERVICE_HOST):5432' }] }, { base: serviceEnv(pod, services) });
    expect(result.ok && Object.fromEntries(result.env).DB).toBe('10.96.0.7:5432');
  });
});
