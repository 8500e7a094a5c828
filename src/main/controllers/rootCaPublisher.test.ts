// The root CA publisher on the real API stack: every namespace gets kube-root-ca.crt
// with the cluster CA, and a deleted or edited copy is put back.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../../shared/api/meta';
import { namespacesResource, type ResourceType } from './framework/apiClient';
import { rootCaConfigMap } from './rootCaPublisher';
import { startTestCluster, type TestCluster } from './testing/testCluster';

const configMaps: ResourceType = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true };
const caPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

function eventually(assertion: () => Promise<void> | void, timeout = 10_000): Promise<void> {
  return vi.waitFor(assertion, { timeout, interval: 20 });
}

const caData = async (namespace: string) =>
  (await cluster!.client.get<KubeObject & { data?: Record<string, string> }>(configMaps, namespace, rootCaConfigMap)).data;

describe('root CA publisher', () => {
  it('publishes the cluster CA in every namespace and repairs it', async () => {
    cluster = await startTestCluster({ noNodes: true, controllers: { rootCaPem: caPem } });
    const { client } = cluster;
    await eventually(async () => expect(await caData('default')).toEqual({ 'ca.crt': caPem }));

    await client.create(namespacesResource, undefined, { metadata: { name: 'team' } });
    await eventually(async () => expect(await caData('team')).toEqual({ 'ca.crt': caPem }));

    await client.delete(configMaps, 'team', rootCaConfigMap);
    await eventually(async () => expect(await caData('team')).toEqual({ 'ca.crt': caPem }));

    const current = await client.get<KubeObject & { data?: Record<string, string> }>(configMaps, 'team', rootCaConfigMap);
    await client.update(configMaps, { ...current, data: { 'ca.crt': 'not a CA', extra: 'x' } });
    await eventually(async () => expect(await caData('team')).toEqual({ 'ca.crt': caPem }));
  });
});
