// Any Kubernetes object as YAML, read-only, with its managedFields hidden unless asked for.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { stringify } from 'yaml';
import type { KubeObject } from '../../shared/api/meta';

/** withoutManagedFields drops metadata.managedFields, which people rarely need to read. */
export function withoutManagedFields<T extends KubeObject>(object: T): T {
  const { managedFields: _managed, ...metadata } = object.metadata;
  return { ...object, metadata };
}

/** YamlView shows an object as YAML. */
export function YamlView({ object, testId }: { object: KubeObject; testId?: string }) {
  const { t } = useTranslation();
  const [managed, setManaged] = useState(false);
  const text = useMemo(() => stringify(managed ? object : withoutManagedFields(object), { lineWidth: 0 }), [object, managed]);
  return (
    <div className="yaml-view">
      <label className="checkbox small">
        <input type="checkbox" checked={managed} onChange={(e) => setManaged(e.target.checked)} />
        {t('podDetails.showManagedFields')}
      </label>
      <pre className="yaml" data-testid={testId} tabIndex={0}>
        {text}
      </pre>
    </div>
  );
}
