// Labels and annotations of any object, each editable in place with a merge patch.
import { useTranslation } from 'react-i18next';
import type { KubeObject } from '../../shared/api/meta';
import { KeyValueEditor } from './KeyValueEditor';

/** MetadataSection shows an object's labels and annotations with their editors. */
export function MetadataSection({
  object,
  save,
  onPickLabel,
  testId,
}: {
  object: KubeObject;
  /** Sends a merge patch of the object. */
  save(patch: unknown): Promise<unknown>;
  onPickLabel?(key: string, value: string): void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <h3 className="section-title">{t('podDetails.labels')}</h3>
      <KeyValueEditor field="labels" values={object.metadata.labels} onSave={save} onPick={onPickLabel} testId={`${testId}-labels`} />
      <h3 className="section-title">{t('podDetails.annotations')}</h3>
      <KeyValueEditor field="annotations" values={object.metadata.annotations} onSave={save} testId={`${testId}-annotations`} />
    </>
  );
}
