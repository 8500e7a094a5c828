// core/v1 ServiceAccount: an identity for processes that run in pods.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import { defineKind } from './defineKind';
import { Path, required } from './fieldErrors';
import { bool, coreV1, localRefList, mergeList } from './schema';
import { age, ageColumn, column, nameColumn } from './table';

/** ServiceAccount is a core/v1 ServiceAccount. */
export interface ServiceAccount extends KubeObject {
  secrets?: { name?: string }[];
  imagePullSecrets?: { name?: string }[];
  automountServiceAccountToken?: boolean;
}

function validateServiceAccount(sa: ServiceAccount): FieldError[] {
  const errs: FieldError[] = [];
  (sa.imagePullSecrets ?? []).forEach((s, i) => {
    if (!s.name) errs.push(required(new Path('imagePullSecrets').index(i).child('name')));
  });
  return errs;
}

/** serviceAccountKind is the ResourceDefinition of core/v1 serviceaccounts. */
export const serviceAccountKind = defineKind<ServiceAccount>({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  resource: 'serviceaccounts',
  namespaced: true,
  shortNames: ['sa'],
  // TokenRequest (kubectl create token); served when the cluster has a token issuer.
  subresources: { other: ['token'] },
  description: 'An identity for the processes of a pod, used to authenticate to the API server.',
  properties: {
    secrets: mergeList(
      'Secrets pods of this account may use (legacy token secrets).',
      coreV1 + 'ObjectReference',
      'name',
    ),
    imagePullSecrets: localRefList('Registry credentials added to every pod that uses this account.'),
    automountServiceAccountToken: bool('Whether pods of this account get an API token mounted by default.'),
  },
  validate: validateServiceAccount,
  table: {
    columns: [nameColumn, column('Secrets', 'Number of secrets listed on the account.', 'integer'), ageColumn],
    row(sa, now) {
      return [sa.metadata.name ?? '', (sa.secrets ?? []).length, age(sa, now)];
    },
  },
});
