// The dialogs behind workload actions: scale to a number of replicas, set a
// container's image, and confirm a restart or a rollback. Each sends one patch and
// shows the cluster's sentence when it refuses.
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KubeResource } from '../../api/kubeResources';
import { kubePatch } from '../../api/kubeWrite';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { Icon, type IconName } from '../../shell/icons';
import type { PodTemplate } from '../kubeTypes';
import { imagePatch, parseReplicas, scalePatch } from './workloadInfo';

/** WorkloadTarget names the object a dialog acts on. */
export interface WorkloadTarget {
  cluster: string;
  resource: KubeResource;
  namespace: string;
  name: string;
}

function useRun(onDone: () => void): { running: boolean; error: unknown; run(action: () => Promise<unknown>): Promise<void> } {
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>();
  return {
    running,
    error,
    run: async (action) => {
      setRunning(true);
      setError(undefined);
      try {
        await action();
        onDone();
      } catch (err) {
        setError(err);
        setRunning(false);
      }
    },
  };
}

/** ScaleDialog sets a workload's replicas through its scale subresource. */
export function ScaleDialog({ target, current, onClose }: { target: WorkloadTarget; current: number; onClose(): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(String(current));
  const { running, error, run } = useRun(onClose);
  const replicas = parseReplicas(text);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (replicas === undefined || running) return;
    void run(() => kubePatch(target.cluster, target.resource, target.namespace, target.name, scalePatch(replicas), { subresource: 'scale' }));
  };
  const step = (delta: number) => setText((s) => String(Math.max(0, (parseReplicas(s) ?? current) + delta)));
  return (
    <Dialog
      title={t('workloads.scale.title', { name: target.name })}
      onClose={onClose}
      closable={!running}
      testId="scale-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={running}>
            {t('common.cancel')}
          </button>
          <button type="submit" form="scale-form" className="button primary" disabled={replicas === undefined || running} data-testid="scale-submit">
            {running ? t('workloads.scale.scaling') : t('workloads.scale.submit')}
          </button>
        </>
      }
    >
      <form id="scale-form" className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="scale-replicas">{t('workloads.scale.replicas')}</label>
          <div className="stepper">
            <button type="button" className="button" onClick={() => step(-1)} aria-label={t('workloads.scale.fewer')} disabled={(replicas ?? 0) <= 0}>
              −
            </button>
            <input
              id="scale-replicas"
              className={replicas === undefined ? 'input narrow invalid' : 'input narrow'}
              value={text}
              onChange={(e) => setText(e.target.value)}
              inputMode="numeric"
              autoFocus
              aria-invalid={replicas === undefined ? true : undefined}
              aria-describedby="scale-help"
              data-testid="scale-replicas"
            />
            <button type="button" className="button" onClick={() => step(1)} aria-label={t('workloads.scale.more')}>
              +
            </button>
          </div>
          <p id="scale-help" className={replicas === undefined ? 'field-help invalid' : 'field-help'}>
            {replicas === undefined ? t('workloads.scale.invalid') : t('workloads.scale.help', { current })}
          </p>
        </div>
        {error !== undefined && <ErrorNote error={error} testId="scale-error" />}
      </form>
    </Dialog>
  );
}

/** ImageDialog sets the image of one container of a workload's pod template. */
export function ImageDialog({
  target,
  template,
  container: initialContainer,
  onClose,
}: {
  target: WorkloadTarget;
  template: PodTemplate | undefined;
  container?: string;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const containers = template?.spec?.containers ?? [];
  const [container, setContainer] = useState(initialContainer ?? containers[0]?.name ?? '');
  const currentImage = containers.find((c) => c.name === container)?.image ?? '';
  const [image, setImage] = useState(currentImage);
  const { running, error, run } = useRun(onClose);
  const trimmed = image.trim();
  const valid = trimmed !== '' && !/\s/.test(trimmed) && trimmed !== currentImage;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const patch = imagePatch(template, container, trimmed);
    if (!valid || !patch || running) return;
    void run(() => kubePatch(target.cluster, target.resource, target.namespace, target.name, patch, { type: 'json' }));
  };
  return (
    <Dialog
      title={t('workloads.image.title', { name: target.name })}
      onClose={onClose}
      closable={!running}
      testId="image-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={running}>
            {t('common.cancel')}
          </button>
          <button type="submit" form="image-form" className="button primary" disabled={!valid || running} data-testid="image-submit">
            {running ? t('workloads.image.saving') : t('workloads.image.submit')}
          </button>
        </>
      }
    >
      <form id="image-form" className="form" onSubmit={submit} noValidate>
        {containers.length > 1 && (
          <div className="field">
            <label htmlFor="image-container">{t('logs.container')}</label>
            <select
              id="image-container"
              className="input"
              value={container}
              onChange={(e) => {
                setContainer(e.target.value);
                setImage(containers.find((c) => c.name === e.target.value)?.image ?? '');
              }}
            >
              {containers.map((c) => (
                <option key={c.name}>{c.name}</option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="image-name">{t('workloads.image.image')}</label>
          <input
            id="image-name"
            className="input mono"
            value={image}
            onChange={(e) => setImage(e.target.value)}
            autoFocus
            spellCheck={false}
            autoComplete="off"
            data-testid="image-input"
          />
          <p className="field-help">{t('workloads.image.help', { container, image: currentImage })}</p>
        </div>
        {error !== undefined && <ErrorNote error={error} testId="image-error" />}
      </form>
    </Dialog>
  );
}

/** ConfirmDialog asks before an action (restart, rollback) and runs it. */
export function ConfirmDialog({
  title,
  body,
  confirm,
  busy,
  icon,
  testId,
  action,
  onClose,
}: {
  title: string;
  body: ReactNode;
  confirm: string;
  busy: string;
  icon: IconName;
  testId: string;
  action(): Promise<unknown>;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const { running, error, run } = useRun(onClose);
  return (
    <Dialog
      title={title}
      onClose={onClose}
      closable={!running}
      testId={testId}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={running}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button primary" onClick={() => void run(action)} disabled={running} data-testid={`${testId}-confirm`}>
            <Icon name={icon} />
            {running ? busy : confirm}
          </button>
        </>
      }
    >
      {typeof body === 'string' ? <p>{body}</p> : body}
      {error !== undefined && <ErrorNote error={error} />}
    </Dialog>
  );
}
