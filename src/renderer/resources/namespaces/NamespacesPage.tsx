// The Namespaces area: every namespace with its phase (Terminating while its
// content goes), live; create one by name, checked as people type; delete one
// after a confirmation. The system namespaces cannot be deleted.
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { validateDNS1123Label } from '../../../shared/labels';
import { useKubeList } from '../../api/kubeList';
import { kubeResources } from '../../api/kubeResources';
import { kubeCreate, kubeDelete } from '../../api/kubeWrite';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { LabelChips } from '../../components/LabelChips';
import { ListProblem, PageHeader } from '../../components/Page';
import { type Column, ResourceTable } from '../../components/ResourceTable';
import { StateBadge } from '../../components/StateBadge';
import { ageOf } from '../../format';
import { Icon } from '../../shell/icons';
import { useNow } from '../../shell/useNow';
import { allNamespaces, chooseNamespace, useChosenNamespace } from '../../state/selection';
import type { Namespace } from '../kubeTypes';
import { quotaTone, quotaUsage, type QuotaUse, type ResourceQuota } from './quotaUsage';
import './quota.css';

/** protectedNamespaces are the namespaces the API server refuses to delete. */
export const protectedNamespaces = new Set(['default', 'kube-system', 'kube-public']);

function QuotaCell({ uses }: { uses: QuotaUse[] | undefined }) {
  const { t } = useTranslation();
  if (!uses || uses.length === 0) return <span className="muted">{t('namespaces.quotaNone')}</span>;
  const [top] = uses;
  const all = uses.map((u) => t('namespaces.quotaUse', { resource: u.resource, used: u.used, hard: u.hard })).join('\n');
  return (
    <span className="quota-cell" title={all} data-testid="namespace-quota">
      <span className={`quota-bar quota-${quotaTone(top)}`} aria-hidden="true">
        <span style={{ width: `${Math.min(100, Math.round(top.fraction * 100))}%` }} />
      </span>
      <span>{t('namespaces.quotaUse', { resource: top.resource, used: top.used, hard: top.hard })}</span>
      {uses.length > 1 && <span className="muted">{t('namespaces.quotaMore', { n: uses.length - 1 })}</span>}
    </span>
  );
}

function phaseOf(ns: Namespace): string {
  if (ns.metadata.deletionTimestamp) return 'Terminating';
  return ns.status?.phase ?? 'Active';
}

function CreateNamespace({ cluster, existing }: { cluster: string; existing: ReadonlySet<string> }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();
  const problem =
    name === '' ? undefined : existing.has(name) ? t('namespaces.exists', { name }) : validateDNS1123Label(name).length > 0 ? t('namespaces.invalidName') : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (name === '' || problem || saving) return;
    setSaving(true);
    setError(undefined);
    try {
      await kubeCreate(cluster, kubeResources.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      setName('');
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} data-testid="create-namespace-form">
      <div className="inline-field">
        <label htmlFor="new-namespace" className="visually-hidden">
          {t('namespaces.newName')}
        </label>
        <input
          id="new-namespace"
          className={problem ? 'input mono invalid' : 'input mono'}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder={t('namespaces.newName')}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={problem ? true : undefined}
          aria-describedby="new-namespace-problem"
          data-testid="namespace-name-input"
        />
        {problem && (
          <p id="new-namespace-problem" className="field-help invalid floating" role="alert" data-testid="namespace-name-problem">
            {problem}
          </p>
        )}
      </div>
      <button type="submit" className="button primary" disabled={name === '' || problem !== undefined || saving} data-testid="create-namespace">
        <Icon name="plus" />
        {saving ? t('namespaces.creating') : t('namespaces.create')}
      </button>
      {error !== undefined && <ErrorNote error={error} testId="create-namespace-error" />}
    </form>
  );
}

function DeleteNamespaceDialog({ cluster, name, onClose }: { cluster: string; name: string; onClose(): void }) {
  const { t } = useTranslation();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async () => {
    setRunning(true);
    setError(undefined);
    try {
      await kubeDelete(cluster, kubeResources.namespaces, undefined, name);
      onClose();
    } catch (err) {
      setError(err);
      setRunning(false);
    }
  };
  return (
    <Dialog
      title={t('namespaces.delete.title', { name })}
      onClose={onClose}
      closable={!running}
      testId="delete-namespace-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={running}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button danger" onClick={() => void run()} disabled={running} data-testid="delete-namespace-confirm">
            <Icon name="trash" />
            {running ? t('namespaces.delete.deleting') : t('namespaces.delete.submit')}
          </button>
        </>
      }
    >
      <p>{t('namespaces.delete.body', { name })}</p>
      {error !== undefined && <ErrorNote error={error} />}
    </Dialog>
  );
}

/** NamespacesPage lists the namespaces of a cluster, live, with create and delete. */
export function NamespacesPage({ cluster }: { cluster: string }) {
  const { t } = useTranslation();
  const now = useNow(10_000);
  const list = useKubeList<Namespace>(cluster, 'namespaces');
  const quotas = useKubeList<ResourceQuota>(cluster, 'resourcequotas');
  const usage = useMemo(() => quotaUsage(quotas.items ?? []), [quotas.items]);
  const chosen = useChosenNamespace(cluster);
  const [deleting, setDeleting] = useState<string>();
  const names = useMemo(() => new Set((list.items ?? []).map((n) => n.metadata.name ?? '')), [list.items]);

  const columns = useMemo<Column<Namespace>[]>(
    () => [
      {
        id: 'name',
        header: t('namespaces.columns.name'),
        width: 'minmax(160px, 2fr)',
        sortValue: (n) => n.metadata.name,
        cell: (n) => <span className="strong">{n.metadata.name}</span>,
      },
      {
        id: 'status',
        header: t('namespaces.columns.status'),
        width: '120px',
        sortValue: phaseOf,
        cell: (n) => {
          const phase = phaseOf(n);
          return <StateBadge tone={phase === 'Active' ? 'ok' : 'muted'} text={phase} testId="namespace-status" />;
        },
      },
      {
        id: 'labels',
        header: t('namespaces.columns.labels'),
        width: 'minmax(160px, 3fr)',
        cell: (n) => <LabelChips labels={n.metadata.labels} max={3} />,
      },
      {
        id: 'quota',
        header: t('namespaces.columns.quota'),
        width: 'minmax(150px, 2fr)',
        sortValue: (n) => usage.get(n.metadata.name ?? '')?.[0]?.fraction ?? -1,
        cell: (n) => <QuotaCell uses={usage.get(n.metadata.name ?? '')} />,
      },
      {
        id: 'age',
        header: t('namespaces.columns.age'),
        width: '64px',
        align: 'end',
        firstDirection: 'desc',
        sortValue: (n) => (n.metadata.creationTimestamp ? Date.parse(n.metadata.creationTimestamp) : undefined),
        cell: (n) => ageOf(n.metadata.creationTimestamp, now),
      },
      {
        id: 'actions',
        header: '',
        width: '160px',
        align: 'end',
        cell: (n) => {
          const name = n.metadata.name ?? '';
          const isProtected = protectedNamespaces.has(name);
          const terminating = phaseOf(n) === 'Terminating';
          return (
            <span className="row-actions">
              <button
                type="button"
                className="button small quiet-button"
                onClick={() => chooseNamespace(cluster, chosen === name ? allNamespaces : name)}
                aria-pressed={chosen === name}
                data-testid="namespace-choose"
              >
                {chosen === name ? t('namespaces.shown') : t('namespaces.show')}
              </button>
              <button
                type="button"
                className="icon-button quiet"
                onClick={() => setDeleting(name)}
                disabled={isProtected || terminating}
                title={isProtected ? t('namespaces.protected', { name }) : t('namespaces.deleteHint', { name })}
                aria-label={t('namespaces.deleteHint', { name })}
                data-testid="namespace-delete"
              >
                <Icon name="trash" />
              </button>
            </span>
          );
        },
      },
    ],
    [t, now, cluster, chosen, usage],
  );

  return (
    <div className="page-fill">
      <PageHeader
        title={t('nav.namespaces')}
        count={list.items ? t('namespaces.count', { count: list.items.length }) : undefined}
        watch={list.items ? list.watch : undefined}
        actions={<CreateNamespace cluster={cluster} existing={names} />}
      />
      <ListProblem isLoading={list.isLoading} error={list.error} hasData={list.items !== undefined} what={t('area.noun.namespaces')} />
      {list.items && (
        <ResourceTable
          rows={list.items}
          columns={columns}
          rowKey={(n) => n.metadata.name ?? ''}
          label={t('namespaces.tableLabel')}
          testId="namespaces-table"
          initialSort={{ column: 'name', direction: 'asc' }}
          rowTone={(n) => (phaseOf(n) === 'Terminating' ? 'muted' : undefined)}
          rowTestId={(n) => `namespace-row-${n.metadata.name ?? ''}`}
          empty={<p className="muted">{t('namespaces.none')}</p>}
        />
      )}
      {deleting && <DeleteNamespaceDialog cluster={cluster} name={deleting} onClose={() => setDeleting(undefined)} />}
    </div>
  );
}
