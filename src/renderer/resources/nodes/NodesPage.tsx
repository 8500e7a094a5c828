// The Nodes area: every node with its readiness, roles, version, address and the
// number of pods on it, live.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useKubeList } from '../../api/kubeList';
import { Dialog } from '../../components/Dialog';
import { ListProblem, PageHeader } from '../../components/Page';
import { type Column, ResourceTable } from '../../components/ResourceTable';
import { StateBadge } from '../../components/StateBadge';
import { Terminal } from '../../components/Terminal';
import { Icon } from '../../shell/icons';
import { ageOf } from '../../format';
import { useNow } from '../../shell/useNow';
import type { Node, Pod } from '../kubeTypes';
import { nodeAddress, nodeReady, nodeRoles, nodeStatusText, podsPerNode } from './nodeInfo';

/** NodesPage lists the nodes of a cluster, live. */
export function NodesPage({ cluster, workers }: { cluster: string; workers: number }) {
  const { t } = useTranslation();
  const now = useNow(10_000);
  const nodes = useKubeList<Node>(cluster, 'nodes');
  const pods = useKubeList<Pod>(cluster, 'pods');
  const counts = useMemo(() => podsPerNode(pods.items ?? []), [pods.items]);
  const [shellNode, setShellNode] = useState<string>();

  const columns = useMemo<Column<Node>[]>(
    () => [
      {
        id: 'name',
        header: t('nodes.columns.name'),
        width: 'minmax(150px, 2fr)',
        sortValue: (n) => n.metadata.name,
        cell: (n) => <span className="strong">{n.metadata.name}</span>,
      },
      {
        id: 'status',
        header: t('nodes.columns.status'),
        width: 'minmax(100px, 1fr)',
        sortValue: nodeStatusText,
        cell: (n) => {
          const ready = nodeReady(n);
          return <StateBadge tone={ready === 'True' ? (n.spec?.unschedulable ? 'warn' : 'ok') : 'bad'} text={nodeStatusText(n)} testId="node-status" />;
        },
      },
      {
        id: 'roles',
        header: t('nodes.columns.roles'),
        width: 'minmax(100px, 1fr)',
        sortValue: (n) => nodeRoles(n).join(','),
        cell: (n) => nodeRoles(n).join(', ') || <span className="muted">&lt;none&gt;</span>,
      },
      {
        id: 'age',
        header: t('nodes.columns.age'),
        width: '60px',
        align: 'end',
        firstDirection: 'desc',
        sortValue: (n) => (n.metadata.creationTimestamp ? Date.parse(n.metadata.creationTimestamp) : undefined),
        cell: (n) => ageOf(n.metadata.creationTimestamp, now),
      },
      {
        id: 'version',
        header: t('nodes.columns.version'),
        width: 'minmax(120px, 1.2fr)',
        className: 'mono',
        sortValue: (n) => n.status?.nodeInfo?.kubeletVersion,
        cell: (n) => n.status?.nodeInfo?.kubeletVersion ?? '—',
      },
      {
        id: 'ip',
        header: t('nodes.columns.internalIp'),
        width: '110px',
        className: 'mono',
        sortValue: (n) => nodeAddress(n),
        cell: (n) => nodeAddress(n) ?? '—',
      },
      {
        id: 'pods',
        header: t('nodes.columns.pods'),
        width: '72px',
        align: 'end',
        sortValue: (n) => counts.get(n.metadata.name ?? '') ?? 0,
        cell: (n) => {
          const count = counts.get(n.metadata.name ?? '') ?? 0;
          const capacity = n.status?.allocatable?.pods;
          return capacity && capacity !== '0' ? `${count} / ${capacity}` : String(count);
        },
      },
      {
        id: 'actions',
        header: '',
        width: '84px',
        align: 'end',
        cell: (n) => {
          const name = n.metadata.name ?? '';
          // The control plane runs in the app itself: it has no node container to open.
          if (nodeRoles(n).includes('control-plane')) return null;
          return (
            <button type="button" className="button small quiet-button" onClick={() => setShellNode(name)} title={t('nodes.shellHint', { node: name })} data-testid="node-shell">
              <Icon name="terminal" />
              {t('nodes.shell')}
            </button>
          );
        },
      },
    ],
    [t, now, counts],
  );

  const registered = nodes.items?.filter((n) => !nodeRoles(n).includes('control-plane')).length ?? 0;
  return (
    <div className="page-fill">
      <PageHeader
        title={t('nav.nodes')}
        count={nodes.items ? t('nodes.count', { count: nodes.items.length }) : undefined}
        watch={nodes.items ? nodes.watch : undefined}
        subtitle={nodes.items && registered < workers ? t('nodes.waitingForWorkers', { registered, workers }) : undefined}
      />
      <ListProblem isLoading={nodes.isLoading} error={nodes.error} hasData={nodes.items !== undefined} what={t('area.noun.nodes')} />
      {nodes.items && (
        <ResourceTable
          rows={nodes.items}
          columns={columns}
          rowKey={(n) => n.metadata.name ?? ''}
          label={t('nodes.tableLabel')}
          testId="nodes-table"
          initialSort={{ column: 'name', direction: 'asc' }}
          rowTone={(n) => (nodeReady(n) === 'True' ? undefined : 'bad')}
          rowTestId={(n) => `node-row-${n.metadata.name ?? ''}`}
          empty={<p className="muted">{t('nodes.none')}</p>}
        />
      )}
      {shellNode && (
        <Dialog title={t('nodes.shellTitle', { node: shellNode })} onClose={() => setShellNode(undefined)} size="wide" testId="node-shell-dialog">
          <div className="node-shell-dialog">
            <Terminal target={{ kind: 'node', cluster, node: shellNode }} />
          </div>
        </Dialog>
      )}
    </div>
  );
}
