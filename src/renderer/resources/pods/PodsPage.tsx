// The Pods area: every pod of the chosen namespace (or all), live, in a sortable
// virtualized table with kubectl's STATUS words; narrowed by text and by a label
// selector checked as people type; rows can be ticked and deleted together, and a
// click opens the pod's details beside the list.
import { PageFilter } from '../../components/PageFilter';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { deepLinkParams, readPodTab } from '../../../shared/deepLinks';
import { restartsCell } from '../../../shared/podStatus';
import { useKubeList } from '../../api/kubeList';
import { kubeDelete } from '../../api/kubeWrite';
import { kubeResources } from '../../api/kubeResources';
import { hashFor, type Route } from '../../areas/areas';
import { Dialog } from '../../components/Dialog';
import { ErrorNote, errorText } from '../../components/ErrorNote';
import { LabelChipsView } from '../../components/LabelChips';
import { ListProblem, PageHeader } from '../../components/Page';
import { type Column, ResourceTable } from '../../components/ResourceTable';
import { useStableCallback } from '../../components/useStableCallback';
import { StateBadge } from '../../components/StateBadge';
import { podStatusTone } from '../../components/tones';
import { ageOf } from '../../format';
import { Icon } from '../../shell/icons';
import { navigate } from '../../shell/useArea';
import { useNow } from '../../shell/useNow';
import type { Pod } from '../kubeTypes';
import { PodDetails } from './PodDetails';
import { addLabelToSelector, filterPodRows, type PodRow, podRows, readSelector } from './podRows';

function usePodColumns(showNamespace: boolean, now: number, onPickLabel: (key: string, value: string) => void): Column<PodRow>[] {
  const { t } = useTranslation();
  return useMemo(() => {
    const pickTitle = (label: string) => t('labels.filterBy', { label });
    const columns: Column<PodRow>[] = [
      {
        id: 'name',
        header: t('pods.columns.name'),
        width: 'minmax(160px, 2fr)',
        sortValue: (r) => r.name,
        cell: (r) => (
          <a className="row-link" href={hashFor('pods', [r.namespace, r.name])} title={r.name}>
            {r.name}
          </a>
        ),
      },
    ];
    if (showNamespace) {
      columns.push({
        id: 'namespace',
        header: t('pods.columns.namespace'),
        width: 'minmax(90px, 1fr)',
        sortValue: (r) => r.namespace,
        cell: (r) => <span className="muted-text">{r.namespace}</span>,
      });
    }
    columns.push(
      {
        id: 'ready',
        header: t('pods.columns.ready'),
        width: '66px',
        align: 'end',
        sortValue: (r) => (r.totalCount ? r.readyCount / r.totalCount : 0),
        cell: (r) => <span className={r.readyCount < r.totalCount ? 'text-warn' : undefined}>{r.ready}</span>,
      },
      {
        id: 'status',
        header: t('pods.columns.status'),
        width: 'minmax(110px, 1fr)',
        sortValue: (r) => r.status,
        cell: (r) => <StateBadge tone={podStatusTone(r.status)} text={r.status} testId="pod-status" />,
      },
      {
        id: 'restarts',
        header: t('pods.columns.restarts'),
        width: '86px',
        align: 'end',
        sortValue: (r) => r.restarts,
        cell: (r) => <span className={r.restarts > 0 ? 'text-warn' : undefined}>{restartsCell(r, new Date(now))}</span>,
      },
      {
        id: 'age',
        header: t('pods.columns.age'),
        width: '84px',
        align: 'end',
        firstDirection: 'desc',
        sortValue: (r) => (r.created ? Date.parse(r.created) : undefined),
        cell: (r) => ageOf(r.created, now),
      },
      {
        id: 'node',
        header: t('pods.columns.node'),
        width: 'minmax(90px, 1fr)',
        sortValue: (r) => r.node,
        cell: (r) =>
          r.node ?? (
            <span className="muted" title={t('pods.unscheduled')}>
              &lt;none&gt;
            </span>
          ),
      },
      {
        id: 'ip',
        header: t('pods.columns.ip'),
        width: '100px',
        className: 'mono',
        sortValue: (r) => r.ip,
        cell: (r) => r.ip ?? <span className="muted">—</span>,
      },
      {
        id: 'labels',
        header: t('pods.columns.labels'),
        width: 'minmax(140px, 2fr)',
        cell: (r) => <LabelChipsView labels={r.labels} onPick={onPickLabel} max={3} pickTitle={pickTitle} />,
      },
    );
    return columns;
  }, [t, showNamespace, now, onPickLabel]);
}

function DeletePodsDialog({
  cluster,
  rows,
  onClose,
  onDeleted,
}: {
  cluster: string;
  rows: PodRow[];
  onClose(): void;
  onDeleted(): void;
}) {
  const { t } = useTranslation();
  const [running, setRunning] = useState(false);
  const [failures, setFailures] = useState<{ name: string; error: string }[]>([]);
  const run = async () => {
    setRunning(true);
    const results = await Promise.allSettled(rows.map((r) => kubeDelete(cluster, kubeResources.pods, r.namespace, r.name)));
    const failed = results.flatMap((result, i) =>
      result.status === 'rejected' ? [{ name: rows[i].key, error: errorText(result.reason) }] : [],
    );
    setRunning(false);
    if (failed.length === 0) {
      onDeleted();
      onClose();
    } else {
      setFailures(failed);
    }
  };
  return (
    <Dialog
      title={t('pods.delete.title', { count: rows.length })}
      onClose={onClose}
      closable={!running}
      testId="delete-pods-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={running}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button danger" onClick={() => void run()} disabled={running} data-testid="delete-pods-confirm">
            <Icon name="trash" />
            {running ? t('pods.delete.deleting') : t('pods.delete.submit', { count: rows.length })}
          </button>
        </>
      }
    >
      <p>{t('pods.delete.body')}</p>
      <ul className="name-list">
        {rows.slice(0, 12).map((r) => (
          <li key={r.key} className="mono">
            {r.namespace}/{r.name}
          </li>
        ))}
        {rows.length > 12 && <li className="muted">{t('pods.delete.andMore', { count: rows.length - 12 })}</li>}
      </ul>
      {failures.length > 0 && (
        <ErrorNote error={new Error(failures.map((f) => `${f.name}: ${f.error}`).join(' '))} />
      )}
    </Dialog>
  );
}

const rowKeyOf = (row: PodRow) => row.key;
const rowTestIdOf = (row: PodRow) => `pod-row-${row.name}`;

/** PodsPage lists the pods of a cluster's chosen namespace, live. */
export function PodsPage({ cluster, namespace, route }: { cluster: string; namespace: string; route: Route }) {
  const { t } = useTranslation();
  const now = useNow(5_000);
  const list = useKubeList<Pod>(cluster, 'pods', { namespace: namespace || undefined });
  const [text, setText] = useState('');
  const [selectorText, setSelectorText] = useState(route.params.selector ?? '');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirmDelete, setConfirmDelete] = useState(false);
  const ownerUid = route.params.owner;
  const ownerName = route.params.ownerName;

  const selector = useMemo(() => readSelector(selectorText), [selectorText]);
  const rows = useMemo(() => podRows(list.items ?? []), [list.items]);
  const shown = useMemo(
    () => filterPodRows(rows, { text, selector: selector.ok ? selector.selector : undefined, ownerUid }),
    [rows, text, selector, ownerUid],
  );
  const onPickLabel = useStableCallback((key: string, value: string) => setSelectorText((s) => addLabelToSelector(s, key, value)));
  const columns = usePodColumns(namespace === '', now, onPickLabel);
  const selectedRows = useMemo(() => (selected.size === 0 ? [] : rows.filter((r) => selected.has(r.key))), [rows, selected]);
  const active = route.path.length >= 2 ? `${route.path[0]}/${route.path[1]}` : undefined;
  const filtered = text.trim() !== '' || selectorText.trim() !== '' || ownerUid !== undefined;

  const scope = namespace ? t('list.inNamespace', { namespace }) : t('list.inAllNamespaces');
  const count =
    list.items === undefined
      ? undefined
      : filtered
        ? t('pods.countFiltered', { shown: shown.length, count: rows.length })
        : t('pods.count', { count: rows.length });

  return (
    <div className="page-fill">
      <PageHeader title={t('nav.pods')} count={count} subtitle={scope} watch={list.items ? list.watch : undefined} />
      <div className="toolbar">
        <PageFilter value={text} onChange={setText} placeholder={t('pods.filterTextPlaceholder')} testId="pod-filter-text" />
        <div className="selector-field">
          <label className={`search${selector.ok ? '' : ' invalid'}`}>
            <Icon name="tag" />
            <span className="visually-hidden">{t('pods.selector')}</span>
            <input
              className="input mono"
              value={selectorText}
              onChange={(e) => setSelectorText(e.target.value)}
              placeholder={t('pods.selectorPlaceholder')}
              spellCheck={false}
              aria-invalid={selector.ok ? undefined : true}
              aria-describedby="selector-problem"
              data-testid="pod-filter-selector"
            />
            {selectorText !== '' && (
              <button type="button" className="icon-button quiet tiny" onClick={() => setSelectorText('')} aria-label={t('pods.clearSelector')}>
                <Icon name="close" size={12} />
              </button>
            )}
          </label>
          {!selector.ok && (
            <p id="selector-problem" className="field-help invalid floating" role="alert" data-testid="selector-problem">
              {t('pods.selectorInvalid', { problem: selector.error })}
            </p>
          )}
        </div>
        {ownerUid && (
          <span className="filter-chip" data-testid="owner-filter">
            {t('pods.ownedBy', { owner: ownerName ?? ownerUid })}
            <button type="button" className="icon-button quiet tiny" onClick={() => navigate(hashFor('pods'))} aria-label={t('pods.clearOwner')}>
              <Icon name="close" size={12} />
            </button>
          </span>
        )}
        <div className="toolbar-spacer" />
        {selected.size > 0 && (
          <>
            <span className="muted small" data-testid="selection-count">
              {t('pods.selected', { count: selectedRows.length })}
            </span>
            <button type="button" className="button danger small" onClick={() => setConfirmDelete(true)} data-testid="delete-selected">
              <Icon name="trash" />
              {t('pods.deleteSelected', { count: selectedRows.length })}
            </button>
          </>
        )}
      </div>
      <ListProblem isLoading={list.isLoading} error={list.error} hasData={list.items !== undefined} what={t('area.noun.pods')} />
      {list.items !== undefined && (
        <ResourceTable
          rows={shown}
          columns={columns}
          rowKey={rowKeyOf}
          label={t('pods.tableLabel')}
          testId="pods-table"
          initialSort={{ column: 'name', direction: 'asc' }}
          selection={{ selected, onChange: setSelected, label: (key) => t('pods.selectRow', { name: key }) }}
          onRowClick={(r) => navigate(hashFor('pods', [r.namespace, r.name], route.params))}
          activeKey={active}
          rowTestId={rowTestIdOf}
          empty={
            <p className="muted" data-testid="pods-empty">
              {filtered ? t('pods.noneMatch') : namespace ? t('pods.noneInNamespace', { namespace }) : t('pods.none')}
            </p>
          }
        />
      )}
      {route.path.length >= 2 && (
        <PodDetails
          cluster={cluster}
          namespace={route.path[0]}
          name={route.path[1]}
          onClose={() => navigate(hashFor('pods', [], route.params))}
          onPickLabel={onPickLabel}
          openTab={readPodTab(route.params[deepLinkParams.tab])}
        />
      )}
      {confirmDelete && selectedRows.length > 0 && (
        <DeletePodsDialog
          cluster={cluster}
          rows={selectedRows}
          onClose={() => setConfirmDelete(false)}
          onDeleted={() => setSelected(new Set())}
        />
      )}
    </div>
  );
}
