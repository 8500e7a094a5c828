// Creating any object the UI knows from YAML: typed or pasted, checked as people
// type, sent as it is, and refused (if the cluster refuses) in the API's sentence.
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KubeObject } from '../../shared/api/meta';
import type { KubeResource } from '../api/kubeResources';
import { kubeCreate } from '../api/kubeWrite';
import { parseObjectYaml } from '../api/objectYaml';
import { Dialog } from './Dialog';
import { ErrorNote } from './ErrorNote';
import { YamlField } from './YamlField';

/** CreateYamlDialog creates the object a YAML document describes. */
export function CreateYamlDialog({
  cluster,
  namespace,
  title,
  initial,
  onClose,
  onCreated,
}: {
  cluster: string;
  /** Where namespaced objects without a namespace go. */
  namespace: string;
  title: string;
  /** A starting document, e.g. an example deployment. */
  initial: string;
  onClose(): void;
  onCreated(object: KubeObject, resource: KubeResource): void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();
  const parsed = useMemo(() => parseObjectYaml(text, namespace), [text, namespace]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!('object' in parsed) || saving) return;
    setSaving(true);
    setError(undefined);
    try {
      const created = await kubeCreate(cluster, parsed.resource, parsed.object);
      onCreated(created, parsed.resource);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog
      title={title}
      onClose={onClose}
      closable={!saving}
      size="wide"
      testId="create-yaml-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={saving}>
            {t('common.cancel')}
          </button>
          <button type="submit" form="create-yaml-form" className="button primary" disabled={saving || !('object' in parsed)} data-testid="create-yaml-submit">
            {saving ? t('services.create.creating') : t('services.create.submit')}
          </button>
        </>
      }
    >
      <form id="create-yaml-form" className="form" onSubmit={(e) => void submit(e)} noValidate>
        <YamlField
          value={text}
          onChange={setText}
          problem={'problem' in parsed ? parsed.problem : undefined}
          label={t('yaml.label')}
          testId="create-yaml-text"
        />
        {error !== undefined && <ErrorNote error={error} testId="create-yaml-error" />}
      </form>
    </Dialog>
  );
}
