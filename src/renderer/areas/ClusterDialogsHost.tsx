// Which cluster dialog is open, if any, and the one place that renders it.
import type { ClusterSummary } from '../../shared/gateway';
import { navigate } from '../shell/useArea';
import { chooseCluster } from '../state/selection';
import { hashForArea } from './areas';
import { DeleteClusterDialog, RestoreDialog, SnapshotDialog } from './ClusterDialogs';
import { CreateClusterDialog } from './CreateClusterDialog';
import { ForgetRemoteDialog, ImportKubeconfigDialog } from './RemoteDialogs';

/** ClusterDialog names the open dialog and the cluster it is about. */
export type ClusterDialog =
  | { kind: 'create' }
  | { kind: 'delete'; name: string }
  | { kind: 'snapshot'; name: string }
  | { kind: 'restore'; name: string }
  | { kind: 'import' }
  | { kind: 'forget'; name: string };

/** ClusterDialogs renders the open cluster dialog. */
export function ClusterDialogs({
  dialog,
  clusters,
  dataDir,
  onClose,
}: {
  dialog: ClusterDialog | undefined;
  clusters: ClusterSummary[];
  dataDir: string;
  onClose(): void;
}) {
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'create':
      return (
        <CreateClusterDialog
          existing={clusters.map((c) => c.name)}
          onClose={onClose}
          onOpen={(name) => {
            chooseCluster(name);
            onClose();
            navigate(hashForArea('overview'));
          }}
        />
      );
    case 'delete':
      return <DeleteClusterDialog name={dialog.name} onClose={onClose} />;
    case 'snapshot':
      return <SnapshotDialog name={dialog.name} dataDir={dataDir} onClose={onClose} />;
    case 'restore':
      return <RestoreDialog name={dialog.name} onClose={onClose} />;
    case 'import':
      return <ImportKubeconfigDialog existing={clusters.map((c) => c.name)} onClose={onClose} />;
    case 'forget':
      return <ForgetRemoteDialog name={dialog.name} onClose={onClose} />;
  }
}
