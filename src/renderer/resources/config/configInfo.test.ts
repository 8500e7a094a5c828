// Secret values decoded and encoded, merge patches of one key, and storage words.
import { describe, expect, it } from 'vitest';
import type { PersistentVolume, StorageClass } from '../kubeTypes';
import {
  accessModesText,
  dataKeyProblem,
  dataPatch,
  decodeSecretValue,
  encodeSecretValue,
  isDefaultStorageClass,
  volumeClaim,
} from './configInfo';

describe('secret values', () => {
  it('decodes base64 as UTF-8 text and encodes it back', () => {
    expect(decodeSecretValue('czNjcjN0IQ==')).toEqual({ text: 's3cr3t!' });
    expect(encodeSecretValue('root ü')).toBe('cm9vdCDDvA==');
    expect(decodeSecretValue(encodeSecretValue('한국어\nline'))).toEqual({ text: '한국어\nline' });
    expect(decodeSecretValue('')).toEqual({ text: '' });
  });

  it('recognises binary data and broken base64', () => {
    expect(decodeSecretValue(btoa(String.fromCharCode(0xff, 0xfe, 0x00)))).toEqual({ binary: 3 });
    expect(decodeSecretValue('not base64!')).toEqual({ binary: 0 });
  });

  it('patches one key and leaves the others alone', () => {
    expect(dataPatch('secret', 'user', 'admin')).toEqual({ data: { user: 'YWRtaW4=' } });
    expect(dataPatch('configmap', 'mode', 'prod')).toEqual({ data: { mode: 'prod' } });
    expect(dataPatch('secret', 'old', null)).toEqual({ data: { old: null } });
  });

  it('checks a new key', () => {
    expect(dataKeyProblem('', [])).toBe('empty');
    expect(dataKeyProblem('config.yaml', [])).toBeUndefined();
    expect(dataKeyProblem('a b', [])).toBe('invalid');
    expect(dataKeyProblem('..', [])).toBe('invalid');
    expect(dataKeyProblem('user', ['user'])).toBe('taken');
  });
});

describe('storage words', () => {
  it('shortens access modes like kubectl', () => {
    expect(accessModesText(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'])).toBe('RWO,ROX,RWX,RWOP');
    expect(accessModesText(undefined)).toBe('');
  });

  it('finds the default storage class and a volume claim', () => {
    const sc = (annotations: Record<string, string>): StorageClass => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 's', annotations } });
    expect(isDefaultStorageClass(sc({ 'storageclass.kubernetes.io/is-default-class': 'true' }))).toBe(true);
    expect(isDefaultStorageClass(sc({ 'storageclass.beta.kubernetes.io/is-default-class': 'true' }))).toBe(true);
    expect(isDefaultStorageClass(sc({}))).toBe(false);
    const pv: PersistentVolume = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { claimRef: { namespace: 'db', name: 'data' } } };
    expect(volumeClaim(pv)).toBe('db/data');
    expect(volumeClaim({ ...pv, spec: {} })).toBeUndefined();
  });
});
