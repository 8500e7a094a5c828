// Creating a service: a form (name, namespace, type, selector, ports), checked as
// people type and showing how many pods the selector matches, or the same service as
// YAML to edit freely. The API server's refusal is shown in its own sentence.
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { matchesSelector, selectorFromMatchLabels } from '../../../shared/labels';
import type { KubeObject } from '../../../shared/api/meta';
import { useKubeList } from '../../api/kubeList';
import { kubeResources } from '../../api/kubeResources';
import { kubeCreate } from '../../api/kubeWrite';
import { objectYaml, parseObjectYaml } from '../../api/objectYaml';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { YamlField } from '../../components/YamlField';
import { Icon } from '../../shell/icons';
import type { Namespace, Pod } from '../kubeTypes';
import { checkServiceForm, emptyPortRow, type PortRow, parseSelectorMap, type ServiceForm, serviceTypes } from './serviceInfo';

type Mode = 'form' | 'yaml';

function PortsEditor({
  rows,
  problems,
  withNodePort,
  onChange,
}: {
  rows: PortRow[];
  problems: ReturnType<typeof checkServiceForm>['ports'];
  withNodePort: boolean;
  onChange(rows: PortRow[]): void;
}) {
  const { t } = useTranslation();
  const update = (index: number, change: Partial<PortRow>) => onChange(rows.map((r, i) => (i === index ? { ...r, ...change } : r)));
  return (
    <div className="ports-editor" data-testid="service-ports">
      <div className={withNodePort ? 'port-row head with-node' : 'port-row head'} aria-hidden="true">
        <span>{t('services.form.portName')}</span>
        <span>{t('services.form.port')}</span>
        <span>{t('services.form.targetPort')}</span>
        <span>{t('services.form.protocol')}</span>
        {withNodePort && <span>{t('services.form.nodePort')}</span>}
        <span />
      </div>
      {rows.map((row, i) => {
        const p = problems[i] ?? {};
        const problem = p.name ?? p.port ?? p.targetPort ?? p.nodePort;
        const n = i + 1;
        return (
          <div key={i} className={withNodePort ? 'port-row with-node' : 'port-row'} data-testid={`service-port-${n}`}>
            <input
              className={p.name ? 'input mono invalid' : 'input mono'}
              value={row.name}
              onChange={(e) => update(i, { name: e.target.value })}
              placeholder={rows.length > 1 ? t('services.form.portNameNeeded') : t('services.form.optional')}
              aria-label={t('services.form.portNameOf', { n })}
              spellCheck={false}
            />
            <input
              className={p.port ? 'input mono invalid' : 'input mono'}
              value={row.port}
              onChange={(e) => update(i, { port: e.target.value })}
              inputMode="numeric"
              aria-label={t('services.form.portOf', { n })}
            />
            <input
              className={p.targetPort ? 'input mono invalid' : 'input mono'}
              value={row.targetPort}
              onChange={(e) => update(i, { targetPort: e.target.value })}
              placeholder={row.port || t('services.form.samePort')}
              aria-label={t('services.form.targetPortOf', { n })}
              spellCheck={false}
            />
            <select
              className="input"
              value={row.protocol}
              onChange={(e) => update(i, { protocol: e.target.value as PortRow['protocol'] })}
              aria-label={t('services.form.protocolOf', { n })}
            >
              <option>TCP</option>
              <option>UDP</option>
              <option>SCTP</option>
            </select>
            {withNodePort && (
              <input
                className={p.nodePort ? 'input mono invalid' : 'input mono'}
                value={row.nodePort}
                onChange={(e) => update(i, { nodePort: e.target.value })}
                placeholder={t('services.form.automatic')}
                inputMode="numeric"
                aria-label={t('services.form.nodePortOf', { n })}
              />
            )}
            <button
              type="button"
              className="icon-button quiet"
              onClick={() => onChange(rows.filter((_, j) => j !== i))}
              title={t('services.form.removePort')}
              aria-label={t('services.form.removePort')}
              disabled={rows.length === 1}
            >
              <Icon name="close" size={14} />
            </button>
            {problem && <p className="field-help invalid port-problem">{t(`services.form.problem.${problem}`)}</p>}
          </div>
        );
      })}
      <button type="button" className="button small" onClick={() => onChange([...rows, { ...emptyPortRow(), port: '' }])} data-testid="service-add-port">
        <Icon name="plus" />
        {t('services.form.addPort')}
      </button>
    </div>
  );
}

/** CreateServiceDialog creates a service from a form or from YAML. */
export function CreateServiceDialog({
  cluster,
  namespace,
  onClose,
  onCreated,
}: {
  cluster: string;
  /** The namespace the window shows ('' for all): the form starts in it. */
  namespace: string;
  onClose(): void;
  onCreated(namespace: string, name: string): void;
}) {
  const { t } = useTranslation();
  const namespaces = useKubeList<Namespace>(cluster, 'namespaces');
  const [mode, setMode] = useState<Mode>('form');
  const [form, setForm] = useState<ServiceForm>({
    name: '',
    namespace: namespace || 'default',
    type: 'ClusterIP',
    selector: '',
    ports: [emptyPortRow()],
  });
  const [yaml, setYaml] = useState('');
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();
  const pods = useKubeList<Pod>(cluster, 'pods', { namespace: form.namespace });

  const check = useMemo(() => checkServiceForm(form), [form]);
  const parsed = useMemo(() => (mode === 'yaml' ? parseObjectYaml(yaml, form.namespace, 'Service') : undefined), [mode, yaml, form.namespace]);
  const matching = useMemo(() => {
    const selector = parseSelectorMap(form.selector);
    if (!selector || Object.keys(selector).length === 0 || !pods.items) return undefined;
    const requirements = selectorFromMatchLabels(selector);
    return pods.items.filter((p) => matchesSelector(requirements, p.metadata.labels ?? {})).length;
  }, [form.selector, pods.items]);
  const set = (change: Partial<ServiceForm>) => setForm((f) => ({ ...f, ...change }));
  const namespaceNames = (namespaces.items ?? []).map((n) => n.metadata.name ?? '').filter(Boolean).sort();
  if (!namespaceNames.includes(form.namespace)) namespaceNames.unshift(form.namespace);

  const switchTo = (next: Mode) => {
    if (next === mode) return;
    // The YAML starts as the form's service, so the form can be a first draft.
    if (next === 'yaml') setYaml(objectYaml(check.service));
    setError(undefined);
    setMode(next);
  };

  const canSubmit = !saving && (mode === 'form' ? check.valid : parsed !== undefined && 'object' in parsed);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!canSubmit) return;
    setSaving(true);
    setError(undefined);
    try {
      let created: KubeObject;
      if (mode === 'form') created = await kubeCreate(cluster, kubeResources.services, check.service);
      else if (parsed && 'object' in parsed) created = await kubeCreate(cluster, parsed.resource, parsed.object);
      else return;
      onCreated(created.metadata.namespace ?? form.namespace, created.metadata.name ?? '');
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  const showName = touched || form.name !== '';
  const nameMessage = showName && check.name ? t(`services.form.problem.${check.name}`) : undefined;
  const withNodePort = form.type !== 'ClusterIP';

  return (
    <Dialog
      title={t('services.create.title')}
      onClose={onClose}
      closable={!saving}
      size="wide"
      testId="create-service-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={saving}>
            {t('common.cancel')}
          </button>
          <button type="submit" form="create-service-form" className="button primary" disabled={!canSubmit} data-testid="create-service-submit">
            {saving ? t('services.create.creating') : t('services.create.submit')}
          </button>
        </>
      }
    >
      <div className="tabs dialog-tabs" role="tablist">
        {(['form', 'yaml'] as const).map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={mode === id}
            className={mode === id ? 'tab active' : 'tab'}
            onClick={() => switchTo(id)}
            data-testid={`create-service-mode-${id}`}
          >
            {t(`services.create.mode.${id}`)}
          </button>
        ))}
      </div>
      <form id="create-service-form" className="form" onSubmit={(e) => void submit(e)} noValidate>
        {mode === 'yaml' ? (
          <YamlField
            value={yaml}
            onChange={setYaml}
            problem={parsed && 'problem' in parsed ? parsed.problem : undefined}
            label={t('services.create.yamlLabel')}
            testId="create-service-yaml"
          />
        ) : (
          <>
            <div className="field-row">
              <div className="field grow">
                <label htmlFor="service-name">{t('services.form.name')}</label>
                <input
                  id="service-name"
                  className={nameMessage ? 'input mono invalid' : 'input mono'}
                  value={form.name}
                  onChange={(e) => set({ name: e.target.value })}
                  onBlur={() => setTouched(true)}
                  autoFocus
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="web"
                  aria-invalid={nameMessage ? true : undefined}
                  aria-describedby="service-name-help"
                  data-testid="service-name-input"
                />
                <p id="service-name-help" className={nameMessage ? 'field-help invalid' : 'field-help'} data-testid="service-name-help">
                  {nameMessage ?? t('services.form.nameHelp')}
                </p>
              </div>
              <div className="field">
                <label htmlFor="service-namespace">{t('services.form.namespace')}</label>
                <select
                  id="service-namespace"
                  className="input"
                  value={form.namespace}
                  onChange={(e) => set({ namespace: e.target.value })}
                  data-testid="service-namespace"
                >
                  {namespaceNames.map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <fieldset className="field choice-group">
              <legend>{t('services.form.type')}</legend>
              {serviceTypes.map((type) => (
                <label key={type} className={form.type === type ? 'choice selected' : 'choice'}>
                  <input
                    type="radio"
                    name="service-type"
                    value={type}
                    checked={form.type === type}
                    onChange={() => set({ type })}
                    data-testid={`service-type-${type}`}
                  />
                  <span className="choice-text">
                    <span className="strong">{type}</span>
                    <span className="muted small">{t(`services.form.typeHelp.${type}`)}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <div className="field">
              <label htmlFor="service-selector">{t('services.form.selector')}</label>
              <input
                id="service-selector"
                className={check.selector ? 'input mono invalid' : 'input mono'}
                value={form.selector}
                onChange={(e) => set({ selector: e.target.value })}
                placeholder="app=web"
                spellCheck={false}
                autoComplete="off"
                aria-invalid={check.selector ? true : undefined}
                aria-describedby="service-selector-help"
                data-testid="service-selector-input"
              />
              <p id="service-selector-help" className={check.selector ? 'field-help invalid' : 'field-help'} data-testid="service-selector-help">
                {check.selector
                  ? t('services.form.problem.selectorInvalid')
                  : matching !== undefined
                    ? t('services.form.selectorMatches', { count: matching, namespace: form.namespace })
                    : t('services.form.selectorHelp')}
              </p>
            </div>
            <div className="field">
              <span className="field-label">{t('services.form.ports')}</span>
              <PortsEditor rows={form.ports} problems={check.ports} withNodePort={withNodePort} onChange={(ports) => set({ ports })} />
            </div>
          </>
        )}
        {error !== undefined && <ErrorNote error={error} testId="create-service-error" />}
      </form>
    </Dialog>
  );
}
