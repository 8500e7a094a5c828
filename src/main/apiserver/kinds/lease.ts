// coordination.k8s.io/v1 Lease: a lock with a holder and an expiry; nodes renew one
// each as a heartbeat, and controllers use them for leader election.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import { defineKind } from './defineKind';
import { Path } from './fieldErrors';
import { int32, microTime, obj, ref, str } from './schema';
import { age, ageColumn, column, nameColumn } from './table';
import { nonNegative, positive } from './validation';

const L = 'io.k8s.api.coordination.v1.';

/** Lease is a coordination.k8s.io/v1 Lease. */
export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
    strategy?: string;
    preferredHolder?: string;
  };
}

function validateLease(lease: Lease): FieldError[] {
  const path = new Path('spec');
  return [
    ...positive(lease.spec?.leaseDurationSeconds, path.child('leaseDurationSeconds')),
    ...nonNegative(lease.spec?.leaseTransitions, path.child('leaseTransitions')),
  ];
}

/** leaseKind is the ResourceDefinition of coordination.k8s.io/v1 leases. */
export const leaseKind = defineKind<Lease>({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  resource: 'leases',
  namespaced: true,
  description: 'A lease held by one party at a time and renewed to keep it, e.g. a node heartbeat.',
  properties: {
    spec: ref(L + 'LeaseSpec', 'Holder and timing of the lease.'),
  },
  definitions: {
    [L + 'LeaseSpec']: obj('Holder and timing of a lease.', {
      holderIdentity: str('Who holds the lease now.'),
      leaseDurationSeconds: int32('Seconds the holder keeps the lease after its last renewal.'),
      acquireTime: microTime('When the current holder acquired the lease.'),
      renewTime: microTime('When the holder last renewed the lease.'),
      leaseTransitions: int32('Times the lease changed hands.'),
      strategy: str('How the next holder is chosen, for coordinated leader election.'),
      preferredHolder: str('Holder that should take over next.'),
    }),
  },
  validate: validateLease,
  table: {
    columns: [nameColumn, column('Holder', 'Who holds the lease.'), ageColumn],
    row(lease, now) {
      return [lease.metadata.name ?? '', lease.spec?.holderIdentity ?? '', age(lease, now)];
    },
  },
});
