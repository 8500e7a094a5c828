// Any Kubernetes object as YAML, read-only, with its managedFields hidden unless asked
// for; given its cluster and resource, an Edit button opens it in the YAML editor.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { stringify } from 'yaml';
import type { KubeObject } from '../../shared/api/meta';
import { apiVersionOf, type KubeResource } from '../api/kubeResources';
import { Icon } from '../shell/icons';
import { ManifestDialog } from './ManifestDialog';

/** withoutManagedFields drops metadata.managedFields, which people rarely need to read. */
export function withoutManagedFields<T extends KubeObject>(object: T): T {
  const { managedFields: _managed, ...metadata } = object.metadata;
  return { ...object, metadata };
}

/** YamlEditTarget says where an edited object is saved. */
export interface YamlEditTarget {
  cluster: string;
  resource: KubeResource;
}

/** YamlView shows an object as YAML, and lets people edit it when `edit` says where it lives. */
export function YamlView({ object, testId, edit }: { object: KubeObject; testId?: string; edit?: YamlEditTarget }) {
  const { t } = useTranslation();
  const [managed, setManaged] = useState(false);
  const [editing, setEditing] = useState<string>();
  const text = useMemo(() => stringify(managed ? object : withoutManagedFields(object), { lineWidth: 0 }), [object, managed]);
  const startEdit = (target: YamlEditTarget) => {
    // Objects read from a list may lack their kind; the editor needs it to save.
    const typed = { apiVersion: apiVersionOf(target.resource), kind: target.resource.kind, ...withoutManagedFields(object) };
    setEditing(stringify(typed, { lineWidth: 0 }));
  };
  return (
    <div className="yaml-view">
      <div className="yaml-view-toolbar">
        <label className="checkbox small">
          <input type="checkbox" checked={managed} onChange={(e) => setManaged(e.target.checked)} />
          {t('podDetails.showManagedFields')}
        </label>
        {edit && (
          <button type="button" className="button small" onClick={() => startEdit(edit)} data-testid="yaml-edit">
            <Icon name="edit" />
            {t('yaml.edit')}
          </button>
        )}
      </div>
      <pre className="yaml" data-testid={testId} tabIndex={0}>
        {text}
      </pre>
      {edit && editing !== undefined && (
        <ManifestDialog
          cluster={edit.cluster}
          namespace={object.metadata.namespace ?? 'default'}
          title={t('yaml.editTitle', { name: object.metadata.name ?? '' })}
          initial={editing}
          mode="replace"
          testId="edit-yaml-dialog"
          textTestId="edit-yaml-text"
          onClose={() => setEditing(undefined)}
          onDone={() => setEditing(undefined)}
        />
      )}
    </div>
  );
}
