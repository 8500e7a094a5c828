// The details of one pod beside the pods table: its containers, conditions and
// events, labels and annotations editable in place, its owner, the containers' logs,
// a shell in a container, and its YAML. It follows the pod live; when the pod goes
// away it says so.
import { ObjectEvents } from '../../components/ObjectEvents';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { podDisplayStatus, restartsCell } from '../../../shared/podStatus';
import { useKubeList } from '../../api/kubeList';
import { kubeResources } from '../../api/kubeResources';
import { kubeDelete, kubeMergePatch } from '../../api/kubeWrite';
import { hashFor } from '../../areas/areas';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { KeyValueEditor } from '../../components/KeyValueEditor';
import type { LogContainer } from '../../components/LogViewer';
import { Field } from '../../components/ObjectDrawer';
import { StateBadge } from '../../components/StateBadge';
import { type ShellContainer, Terminal } from '../../components/Terminal';
import { YamlView } from '../../components/YamlView';
import { PortForwardDialog } from '../../components/PortForwardDialog';
import { podForwardablePorts } from '../../components/forwardablePorts';
import { podStatusTone } from '../../components/tones';
import { ageOf } from '../../format';
import { Icon } from '../../shell/icons';
import { useNow } from '../../shell/useNow';
import type { Pod } from '../kubeTypes';
import { type ContainerView, envSource, podContainers, portText } from './containerInfo';
import { PodLogs } from './PodLogs';

function ContainerCard({ view, now }: { view: ContainerView; now: number }) {
  const { t } = useTranslation();
  const { container, state } = view;
  const age = state.at ? ageOf(state.at, now) : undefined;
  const since = age === '—' ? undefined : age;
  return (
    <section className="card container-card" data-testid={`container-${container.name}`}>
      <header className="card-header">
        <h4>
          {container.name}
          {view.init && <span className="tag">{t('podDetails.init')}</span>}
        </h4>
        {view.reported ? (
          <StateBadge
            tone={state.tone}
            text={[t(`podDetails.state.${state.word}`), state.reason].filter(Boolean).join(' · ')}
          />
        ) : (
          <span className="muted small">{t('podDetails.noStatusYet')}</span>
        )}
      </header>
      <dl className="kv-grid">
        <Field label={t('podDetails.image')}>
          <span className="mono">{container.image ?? '—'}</span>
        </Field>
        {view.reported && (
          <Field label={t('podDetails.readyRestarts')}>
            {t(view.ready ? 'podDetails.ready' : 'podDetails.notReady')} · {t('podDetails.restartCount', { count: view.restarts })}
          </Field>
        )}
        {since && (
          <Field label={state.word === 'Running' ? t('podDetails.runningFor') : t('podDetails.finished')}>
            {t('podDetails.ago', { age: since })}
            {state.exitCode !== undefined && ` · ${t('podDetails.exitCode', { code: state.exitCode })}`}
          </Field>
        )}
        {state.message && (
          <Field label={t('podDetails.message')}>
            <span className="prewrap">{state.message}</span>
          </Field>
        )}
        {view.lastState && (
          <Field label={t('podDetails.lastState')}>
            {[t(`podDetails.state.${view.lastState.word}`), view.lastState.reason, view.lastState.exitCode !== undefined ? t('podDetails.exitCode', { code: view.lastState.exitCode }) : undefined]
              .filter(Boolean)
              .join(' · ')}
          </Field>
        )}
        {container.command && (
          <Field label={t('podDetails.command')}>
            <span className="mono">{[...container.command, ...(container.args ?? [])].join(' ')}</span>
          </Field>
        )}
        <Field label={t('podDetails.ports')}>
          {container.ports?.length ? (
            <span className="chips wrap">
              {container.ports.map((p, i) => (
                <span key={i} className="chip mono">
                  {portText(p)}
                </span>
              ))}
            </span>
          ) : (
            <span className="muted">—</span>
          )}
        </Field>
        <Field label={t('podDetails.env')}>
          {container.env?.length || container.envFrom?.length ? (
            <table className="mini-table">
              <tbody>
                {(container.env ?? []).map((e) => (
                  <tr key={e.name}>
                    <th className="mono">{e.name}</th>
                    <td className="mono">{envSource(e) ? <span className="muted">{envSource(e)}</span> : (e.value ?? '')}</td>
                  </tr>
                ))}
                {(container.envFrom ?? []).map((e, i) => (
                  <tr key={`from-${i}`}>
                    <th className="mono">{e.prefix ? `${e.prefix}*` : '*'}</th>
                    <td className="muted">
                      {e.configMapRef ? `config map ${e.configMapRef.name ?? '?'}` : `secret ${e.secretRef?.name ?? '?'}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <span className="muted">—</span>
          )}
        </Field>
        <Field label={t('podDetails.mounts')}>
          {container.volumeMounts?.length ? (
            <table className="mini-table">
              <tbody>
                {container.volumeMounts.map((m) => (
                  <tr key={`${m.name}:${m.mountPath}`}>
                    <th className="mono">{m.mountPath}</th>
                    <td>
                      <span className="mono">{m.name}</span>
                      {m.subPath && <span className="muted"> ({m.subPath})</span>}
                      {m.readOnly && <span className="tag">{t('podDetails.readOnly')}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <span className="muted">—</span>
          )}
        </Field>
      </dl>
    </section>
  );
}

const podTabs = ['details', 'logs', 'terminal', 'yaml'] as const;

/** PodTab names a tab of the pod panel. */
export type PodTab = (typeof podTabs)[number];

// What the log viewer and the terminal need to know about each container.
function streamTargets(
  views: ContainerView[],
  t: (key: `podDetails.state.${ContainerView['state']['word']}`) => string,
): { logs: LogContainer[]; shells: ShellContainer[] } {
  const logs = views.map((v) => ({ name: v.container.name, init: v.init, instance: v.containerId ?? v.state.word }));
  const shells = views.map((v) => ({
    name: v.container.name,
    init: v.init,
    running: v.state.word === 'Running',
    instance: v.containerId ?? v.state.word,
    state: [t(`podDetails.state.${v.state.word}`), v.state.reason].filter(Boolean).join(' · '),
  }));
  return { logs, shells };
}

function DeletePodDialog({ cluster, pod, onClose, onDeleted }: { cluster: string; pod: Pod; onClose(): void; onDeleted(): void }) {
  const { t } = useTranslation();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>();
  const name = pod.metadata.name ?? '';
  const run = async () => {
    setRunning(true);
    setError(undefined);
    try {
      await kubeDelete(cluster, kubeResources.pods, pod.metadata.namespace, name);
      onDeleted();
    } catch (err) {
      setError(err);
      setRunning(false);
    }
  };
  return (
    <Dialog
      title={t('pods.delete.title', { count: 1 })}
      onClose={onClose}
      closable={!running}
      testId="delete-pod-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={running}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button danger" onClick={() => void run()} disabled={running} data-testid="delete-pod-confirm">
            <Icon name="trash" />
            {running ? t('pods.delete.deleting') : t('pods.delete.submit', { count: 1 })}
          </button>
        </>
      }
    >
      <p>{t('pods.delete.one', { name, namespace: pod.metadata.namespace ?? '' })}</p>
      {error !== undefined && <ErrorNote error={error} />}
    </Dialog>
  );
}

/** PodDetails shows one pod, live, in a panel beside the pods table. */
export function PodDetails({
  cluster,
  namespace,
  name,
  onClose,
  onPickLabel,
  openTab,
}: {
  cluster: string;
  namespace: string;
  name: string;
  onClose(): void;
  onPickLabel(key: string, value: string): void;
  /** The tab a link asked for (the tray's Logs and Terminal items). */
  openTab?: PodTab;
}) {
  const { t } = useTranslation();
  const now = useNow(5_000);
  const [tab, setTab] = useState<PodTab>(openTab ?? 'details');
  // A new link to the same panel (another pod's logs from the tray) switches the tab.
  useEffect(() => {
    if (openTab) setTab(openTab);
  }, [openTab, namespace, name]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [forwarding, setForwarding] = useState(false);
  const list = useKubeList<Pod>(cluster, 'pods', { namespace, fieldSelector: `metadata.name=${name}` });
  const pod = list.items?.[0];

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Escape belongs to a program running in the terminal, and to an open dialog.
      if ((event.target as Element | null)?.closest?.('.xterm')) return;
      if (event.key === 'Escape' && !document.querySelector('dialog[open]')) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const save = (patch: unknown) => kubeMergePatch<Pod>(cluster, kubeResources.pods, namespace, name, patch);
  const display = pod ? podDisplayStatus(pod) : undefined;
  const owner = pod?.metadata.ownerReferences?.find((o) => o.controller) ?? pod?.metadata.ownerReferences?.[0];
  const scheduled = pod?.status?.conditions?.find((c) => c.type === 'PodScheduled');
  const views = useMemo(() => (pod ? podContainers(pod) : []), [pod]);
  const streams = useMemo(() => streamTargets(views, t), [views, t]);
  const wide = tab === 'logs' || tab === 'terminal';

  return (
    <aside className={wide ? 'drawer wide' : 'drawer'} aria-label={t('podDetails.label', { name })} data-testid="pod-details">
      <header className="drawer-header">
        <div className="drawer-title">
          <h2 title={name}>{name}</h2>
          <div className="drawer-subtitle">
            <span className="muted">{t('podDetails.inNamespace', { namespace })}</span>
            {display && <StateBadge tone={podStatusTone(display.status)} text={display.status} testId="pod-details-status" />}
          </div>
        </div>
        <div className="drawer-actions">
          {pod && (
            <button type="button" className="button small" onClick={() => setForwarding(true)} data-testid="pod-forward">
              <Icon name="arrowRight" />
              {t('portForward.action')}
            </button>
          )}
          {pod && (
            <button type="button" className="button small danger-quiet" onClick={() => setConfirmDelete(true)} data-testid="pod-delete">
              <Icon name="trash" />
              {t('podDetails.delete')}
            </button>
          )}
          <button type="button" className="icon-button quiet" onClick={onClose} title={t('common.close')} aria-label={t('common.close')} data-testid="pod-details-close">
            <Icon name="close" />
          </button>
        </div>
      </header>
      {list.items !== undefined && !pod ? (
        <div className="drawer-body">
          <p className="muted" data-testid="pod-gone">
            {t('podDetails.gone', { name, namespace })}
          </p>
        </div>
      ) : !pod ? (
        <div className="drawer-body">
          {list.error ? <ErrorNote error={list.error} /> : <p className="muted">{t('list.loading', { what: name })}</p>}
        </div>
      ) : (
        <>
          <div className="tabs" role="tablist">
            {podTabs.map((id) => (
              <button
                key={id}
                type="button"
                role="tab"
                aria-selected={tab === id}
                className={tab === id ? 'tab active' : 'tab'}
                onClick={() => setTab(id)}
                data-testid={`pod-tab-${id}`}
              >
                {t(`podDetails.tab.${id}`)}
              </button>
            ))}
          </div>
          <div className={wide ? 'drawer-body fill' : 'drawer-body'} role="tabpanel">
            {tab === 'yaml' ? (
              <YamlView object={pod} testId="pod-yaml" edit={{ cluster, resource: kubeResources.pods }} />
            ) : tab === 'logs' ? (
              <PodLogs key={name} cluster={cluster} pod={pod} containers={streams.logs} />
            ) : tab === 'terminal' ? (
              <Terminal key={name} target={{ kind: 'pod', cluster, namespace, pod: name, containers: streams.shells }} />
            ) : (
              <>
                <dl className="kv-grid summary">
                  <Field label={t('podDetails.node')} testId="pod-node" wide={!pod.spec?.nodeName}>
                    {pod.spec?.nodeName ?? (
                      <span className="text-warn">
                        {t('podDetails.notScheduled')}
                        {scheduled?.message && <span className="muted block">{scheduled.message}</span>}
                      </span>
                    )}
                  </Field>
                  <Field label={t('podDetails.podIp')}>
                    <span className="mono">{pod.status?.podIP ?? '—'}</span>
                  </Field>
                  <Field label={t('podDetails.hostIp')}>
                    <span className="mono">{pod.status?.hostIP ?? '—'}</span>
                  </Field>
                  <Field label={t('podDetails.phase')}>{pod.status?.phase ?? '—'}</Field>
                  <Field label={t('podDetails.readyRestarts')}>
                    {display ? `${display.ready} · ${restartsCell(display, new Date(now))}` : '—'}
                  </Field>
                  <Field label={t('podDetails.qos')}>{pod.status?.qosClass ?? '—'}</Field>
                  <Field label={t('podDetails.created')}>
                    {pod.metadata.creationTimestamp ? (
                      <span title={pod.metadata.creationTimestamp}>
                        {t('podDetails.ago', { age: ageOf(pod.metadata.creationTimestamp, now) })}
                      </span>
                    ) : (
                      '—'
                    )}
                  </Field>
                  <Field label={t('podDetails.owner')} testId="pod-owner">
                    {owner ? (
                      <a
                        href={hashFor('pods', [], { owner: owner.uid, ownerName: `${owner.kind} ${owner.name}` })}
                        title={t('podDetails.ownerHint', { owner: `${owner.kind} ${owner.name}` })}
                      >
                        {owner.kind} {owner.name}
                      </a>
                    ) : (
                      <span className="muted">{t('podDetails.noOwner')}</span>
                    )}
                  </Field>
                  <Field label={t('podDetails.serviceAccount')}>{pod.spec?.serviceAccountName ?? '—'}</Field>
                  <Field label={t('podDetails.restartPolicy')}>{pod.spec?.restartPolicy ?? '—'}</Field>
                </dl>

                <h3 className="section-title">{t('podDetails.containers')}</h3>
                {views.map((view) => (
                  <ContainerCard key={`${view.init ? 'init-' : ''}${view.container.name}`} view={view} now={now} />
                ))}

                <h3 className="section-title">{t('podDetails.conditions')}</h3>
                {pod.status?.conditions?.length ? (
                  <table className="mini-table" data-testid="pod-conditions">
                    <thead>
                      <tr>
                        <th>{t('podDetails.conditionType')}</th>
                        <th>{t('podDetails.conditionStatus')}</th>
                        <th>{t('podDetails.conditionReason')}</th>
                        <th>{t('podDetails.conditionSince')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {pod.status.conditions.map((c) => (
                        <tr key={c.type} title={c.message}>
                          <td>{c.type}</td>
                          <td className={c.status === 'True' ? 'text-ok' : 'text-warn'}>{c.status}</td>
                          <td>
                            {c.reason ?? ''}
                            {c.message && <span className="muted block prewrap">{c.message}</span>}
                          </td>
                          <td className="nowrap">{ageOf(c.lastTransitionTime, now)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : (
                  <p className="muted">{t('podDetails.noConditions')}</p>
                )}

                <h3 className="section-title">{t('podDetails.events')}</h3>
                <ObjectEvents cluster={cluster} object={pod} now={now} testId="pod-events" emptyText={t('podDetails.noEvents')} />

                <h3 className="section-title">{t('podDetails.labels')}</h3>
                <KeyValueEditor field="labels" values={pod.metadata.labels} onSave={save} onPick={onPickLabel} testId="pod-labels" />

                <h3 className="section-title">{t('podDetails.annotations')}</h3>
                <KeyValueEditor field="annotations" values={pod.metadata.annotations} onSave={save} testId="pod-annotations" />
              </>
            )}
          </div>
        </>
      )}
      {forwarding && pod && (
        <PortForwardDialog
          cluster={cluster}
          namespace={namespace}
          kind="pod"
          name={name}
          ports={podForwardablePorts(pod)}
          onClose={() => setForwarding(false)}
        />
      )}
      {confirmDelete && pod && (
        <DeletePodDialog
          cluster={cluster}
          pod={pod}
          onClose={() => setConfirmDelete(false)}
          onDeleted={() => {
            setConfirmDelete(false);
            onClose();
          }}
        />
      )}
    </aside>
  );
}
