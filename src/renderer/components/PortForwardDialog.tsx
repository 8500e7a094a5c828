// Starting a port-forward from a pod or a service: which of its ports, and which
// port on this computer (empty picks a free one). Once it runs, the dialog shows the
// http://127.0.0.1:PORT link; the top bar lists every forward with a Stop button.
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PortForward, PortForwardTargetKind } from '../../shared/gateway';
import { localPortProblem, usePortForwardActions } from '../api/portForwards';
import { Dialog } from './Dialog';
import { ErrorNote } from './ErrorNote';
import { ExternalLink } from './ExternalLink';

/** ForwardablePort is one port people can choose: its value for the API and how it reads. */
export interface ForwardablePort {
  value: string;
  label: string;
}

/** PortForwardDialog starts a forward to a port of a pod or service. */
export function PortForwardDialog({
  cluster,
  namespace,
  kind,
  name,
  ports,
  onClose,
}: {
  cluster: string;
  namespace: string;
  kind: PortForwardTargetKind;
  name: string;
  ports: ForwardablePort[];
  onClose(): void;
}) {
  const { t } = useTranslation();
  const actions = usePortForwardActions();
  const [port, setPort] = useState(ports[0]?.value ?? '');
  const [local, setLocal] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [started, setStarted] = useState<PortForward>();
  const problem = localPortProblem(local);
  const ready = port.trim() !== '' && !problem;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const remote = /^\d+$/.test(port.trim()) ? Number(port.trim()) : port.trim();
      setStarted(await actions.start({ cluster, namespace, kind, name, port: remote, localPort: local.trim() ? Number(local.trim()) : undefined }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('portForward.title', { name })}
      onClose={onClose}
      closable={!busy}
      testId="port-forward-dialog"
      footer={
        started ? (
          <button type="button" className="button primary" onClick={onClose} data-testid="port-forward-done">
            {t('common.done')}
          </button>
        ) : (
          <>
            <button type="button" className="button" onClick={onClose} disabled={busy}>
              {t('common.cancel')}
            </button>
            <button type="submit" form="port-forward-form" className="button primary" disabled={!ready || busy} data-testid="port-forward-submit">
              {busy ? t('portForward.starting') : t('portForward.start')}
            </button>
          </>
        )
      }
    >
      {started ? (
        <div className="port-forward-started" data-testid="port-forward-started">
          <p>{t('portForward.running', { target: `${started.pod}:${started.podPort}` })}</p>
          <p className="port-forward-link">
            <ExternalLink url={started.url} testId="port-forward-link" />
          </p>
          <p className="muted small">{t('portForward.stopHint')}</p>
        </div>
      ) : (
        <form id="port-forward-form" className="form" onSubmit={(e) => void submit(e)} noValidate>
          <div className="field">
            <label htmlFor="port-forward-remote">{kind === 'pod' ? t('portForward.podPort') : t('portForward.servicePort')}</label>
            {ports.length > 0 ? (
              <select id="port-forward-remote" className="input" value={port} onChange={(e) => setPort(e.target.value)} data-testid="port-forward-remote">
                {ports.map((p) => (
                  <option key={p.value} value={p.value}>
                    {p.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id="port-forward-remote"
                className="input"
                value={port}
                onChange={(e) => setPort(e.target.value)}
                inputMode="numeric"
                placeholder="8080"
                data-testid="port-forward-remote"
              />
            )}
          </div>
          <div className="field">
            <label htmlFor="port-forward-local">{t('portForward.localPort')}</label>
            <input
              id="port-forward-local"
              className={problem ? 'input invalid' : 'input'}
              value={local}
              onChange={(e) => setLocal(e.target.value)}
              inputMode="numeric"
              placeholder={t('portForward.anyPort')}
              aria-invalid={problem ? true : undefined}
              aria-describedby="port-forward-local-help"
              data-testid="port-forward-local"
            />
            <p id="port-forward-local-help" className={problem ? 'field-help invalid' : 'field-help'}>
              {problem ? t('portForward.localPortProblem') : t('portForward.localPortHelp')}
            </p>
          </div>
          {error !== undefined && <ErrorNote error={error} testId="port-forward-error" />}
        </form>
      )}
    </Dialog>
  );
}
