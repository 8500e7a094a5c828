import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors';
import { testConfigMaps, testPods } from '../testing/testKinds';
import { toTable } from '../table/tableConvertor';
import { negotiate, parseAccept } from './negotiation';

const kubectlGet = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

describe('negotiate', () => {
  it('gives kubectl get a v1 Table and plain clients JSON', () => {
    expect(negotiate(kubectlGet, true, true)).toEqual({ kind: 'table', version: 'v1' });
    expect(negotiate('application/json', true, true)).toEqual({ kind: 'json' });
    expect(negotiate(undefined, true, false)).toEqual({ kind: 'json' });
    expect(negotiate('*/*', true, false)).toEqual({ kind: 'json' });
    expect(negotiate('application/yaml', true, false)).toEqual({ kind: 'yaml' });
  });

  it('falls back to JSON where a Table is not offered (writes) and honours q-values', () => {
    expect(negotiate(kubectlGet, false, false)).toEqual({ kind: 'json' });
    expect(negotiate('application/json;q=0.5,application/yaml', true, false)).toEqual({ kind: 'yaml' });
    expect(parseAccept('a/b;q=0, c/d').map((r) => r.type)).toEqual(['c']);
  });

  it('answers PartialObjectMetadata for metadata-only clients', () => {
    expect(negotiate('application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1', true, true)).toEqual({
      kind: 'partial',
      version: 'v1',
      list: true,
    });
  });

  it('refuses a protobuf-only Accept with 406', () => {
    let error: unknown;
    try {
      negotiate('application/vnd.kubernetes.protobuf', true, false);
    } catch (err) {
      error = err;
    }
    expect((error as ApiError).code).toBe(406);
    expect(negotiate('application/vnd.kubernetes.protobuf,application/json', true, false)).toEqual({ kind: 'json' });
  });
});

describe('toTable', () => {
  const now = new Date('2025-01-01T00:10:00Z');
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels: { app: 'web' }, creationTimestamp: '2025-01-01T00:00:00Z', resourceVersion: '7' },
    spec: { nodeName: 'n1' },
    status: { phase: 'Running' },
  };

  it('uses the kind columns and PartialObjectMetadata rows', () => {
    const table = toTable(testPods(), [pod], { include: 'Metadata', version: 'v1', resourceVersion: '9', now });
    expect(table.kind).toBe('Table');
    expect(table.apiVersion).toBe('meta.k8s.io/v1');
    expect(table.metadata.resourceVersion).toBe('9');
    expect(table.columnDefinitions.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Status', 0],
      ['Age', 0],
      ['Node', 1],
    ]);
    expect(table.rows[0].cells).toEqual(['p', 'Running', '10m', 'n1']);
    expect(table.rows[0].object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata });
  });

  it('prints NAME and AGE for kinds without columns, and the full object on request', () => {
    const table = toTable(testConfigMaps(), [{ ...pod, kind: 'ConfigMap' }], { include: 'Object', version: 'v1', now });
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(table.columnDefinitions[0].format).toBe('name');
    expect(table.rows[0].cells).toEqual(['p', '10m']);
    expect((table.rows[0].object as { kind: string }).kind).toBe('ConfigMap');
  });
});
