import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import { testPods } from '../testing/testKinds';
import { buildPredicate } from './selection';

const pods = testPods();
const pod = (name: string, labels: Record<string, string>, phase = 'Running', nodeName = 'n1'): KubeObject => ({
  metadata: { name, namespace: 'default', labels },
  spec: { nodeName },
  status: { phase },
});
const all = [
  pod('a', { app: 'web', tier: 'front', size: '3' }),
  pod('b', { app: 'web', tier: 'back', size: '10' }, 'Pending', 'n2'),
  pod('c', { app: 'db' }),
  pod('d', {}),
];
const names = (labelSelector?: string, fieldSelector?: string) =>
  all.filter(buildPredicate(pods, labelSelector, fieldSelector)).map((p) => p.metadata.name);

describe('buildPredicate', () => {
  it('supports every label selector operator', () => {
    expect(names('app=web')).toEqual(['a', 'b']);
    expect(names('app==web')).toEqual(['a', 'b']);
    expect(names('app!=web')).toEqual(['c', 'd']);
    expect(names('tier in (front,middle)')).toEqual(['a']);
    expect(names('tier notin (front)')).toEqual(['b', 'c', 'd']);
    expect(names('tier')).toEqual(['a', 'b']);
    expect(names('!tier')).toEqual(['c', 'd']);
    expect(names('size>5')).toEqual(['b']);
    expect(names('size<5')).toEqual(['a']);
    expect(names('app=web,tier notin (back)')).toEqual(['a']);
    expect(names('')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('supports metadata and kind field selectors with = == and !=', () => {
    expect(names(undefined, 'metadata.name=c')).toEqual(['c']);
    expect(names(undefined, 'metadata.name!=c,metadata.namespace==default')).toEqual(['a', 'b', 'd']);
    expect(names(undefined, 'status.phase=Pending')).toEqual(['b']);
    expect(names('app=web', 'spec.nodeName=n1')).toEqual(['a']);
  });

  it('rejects unknown fields and malformed selectors with a 400', () => {
    const error = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err as ApiError;
      }
      throw new Error('expected an error');
    };
    const unknown = error(() => buildPredicate(pods, undefined, 'spec.foo=x'));
    expect(unknown.code).toBe(400);
    expect(unknown.message).toBe('field label not supported: spec.foo');
    expect(error(() => buildPredicate(pods, 'app in (', undefined)).code).toBe(400);
    expect(error(() => buildPredicate(pods, undefined, 'nonsense')).code).toBe(400);
  });
});
