// Config maps, secrets and storage as people read them: a secret value decoded from
// base64 (or recognised as binary), values encoded back for a merge patch, access
// modes in kubectl's short words, and which storage class is the default. Pure.
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../kubeTypes';

/** DecodedValue is a secret value as text, or the size of binary data that is not text. */
export type DecodedValue = { text: string } | { binary: number };

/** decodeSecretValue decodes a base64 secret value; bytes that are not UTF-8 text stay binary. */
export function decodeSecretValue(base64: string): DecodedValue {
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(base64.replace(/\s/g, '')), (c) => c.charCodeAt(0));
  } catch {
    return { binary: 0 };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { binary: bytes.length };
  }
}

/** encodeSecretValue encodes text (as UTF-8) to base64 for a secret's data. */
export function encodeSecretValue(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** DataKind says how a data map stores its values: plain (config maps) or base64 (secrets). */
export type DataKind = 'configmap' | 'secret';

/**
 * dataPatch is the merge patch that sets one key of a config map or secret (the
 * value encoded for secrets), or removes it when the value is null. Other keys are
 * left alone, so a concurrent change to another key survives.
 */
export function dataPatch(kind: DataKind, key: string, value: string | null): unknown {
  const stored = value === null ? null : kind === 'secret' ? encodeSecretValue(value) : value;
  return { data: { [key]: stored } };
}

// Keys of config maps and secrets: letters, digits, '-', '_' and '.', at most 253.
const dataKeyPattern = /^[-._a-zA-Z0-9]+$/;

/** DataKeyProblem is what is wrong with a new key: an i18n key under config.data.problem. */
export type DataKeyProblem = 'empty' | 'invalid' | 'taken';

/** dataKeyProblem checks a new key for a config map or secret. */
export function dataKeyProblem(key: string, existing: readonly string[]): DataKeyProblem | undefined {
  if (key === '') return 'empty';
  if (key.length > 253 || !dataKeyPattern.test(key) || key === '.' || key === '..') return 'invalid';
  if (existing.includes(key)) return 'taken';
  return undefined;
}

const accessModeWords: Record<string, string> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};

/** accessModesText writes access modes the way kubectl does: "RWO,ROX". */
export function accessModesText(modes: readonly string[] | undefined): string {
  return (modes ?? []).map((m) => accessModeWords[m] ?? m).join(',');
}

/** isDefaultStorageClass tells whether a storage class is the cluster's default. */
export function isDefaultStorageClass(sc: StorageClass): boolean {
  const annotations = sc.metadata.annotations ?? {};
  return (
    annotations['storageclass.kubernetes.io/is-default-class'] === 'true' ||
    annotations['storageclass.beta.kubernetes.io/is-default-class'] === 'true'
  );
}

/** claimCapacity is a claim's bound capacity, or what it requested while it is not bound. */
export function claimCapacity(pvc: PersistentVolumeClaim): string | undefined {
  return pvc.status?.capacity?.storage ?? pvc.spec?.resources?.requests?.storage;
}

/** volumeClaim names the claim bound to a volume, "namespace/name", or undefined. */
export function volumeClaim(pv: PersistentVolume): string | undefined {
  const ref = pv.spec?.claimRef;
  return ref?.name ? `${ref.namespace ?? ''}/${ref.name}` : undefined;
}

/** phaseTone colours a claim's or volume's phase. */
export function phaseTone(phase: string | undefined): 'ok' | 'warn' | 'bad' | 'muted' {
  switch (phase) {
    case 'Bound':
      return 'ok';
    case 'Available':
    case 'Pending':
      return 'warn';
    case 'Lost':
    case 'Failed':
      return 'bad';
    default:
      return 'muted';
  }
}
