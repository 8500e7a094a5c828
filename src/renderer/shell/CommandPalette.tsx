// The command palette: Ctrl+K (Cmd+K on a Mac) opens a search over the app's pages
// and the chosen cluster's resources (pods, workloads, services, namespaces, nodes,
// in every namespace); arrow keys choose, Enter opens, Escape closes.
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useKubeList } from '../api/kubeList';
import { areaIds, hashFor, hashForArea } from '../areas/areas';
import type { Namespace, Node, Pod, Service } from '../resources/kubeTypes';
import { workloadHash } from '../resources/workloads/workloadColumns';
import { Icon } from './icons';
import { type PaletteItem, rankItems } from './paletteMatch';
import { navigate } from './useArea';
import type { KubeObject } from '../../shared/api/meta';
import './commandPalette.css';

function itemsOf(kind: string, objects: readonly KubeObject[] | undefined, hash: (namespace: string, name: string) => string): PaletteItem[] {
  return (objects ?? []).map((o) => {
    const name = o.metadata.name ?? '';
    const namespace = o.metadata.namespace ?? '';
    return { id: `${kind}/${namespace}/${name}`, kind, label: name, detail: namespace || undefined, hash: hash(namespace, name) };
  });
}

function Results({ cluster, query, onPick }: { cluster: string | undefined; query: string; onPick(item: PaletteItem): void }) {
  const { t } = useTranslation();
  const pods = useKubeList<Pod>(cluster, 'pods');
  const deployments = useKubeList(cluster, 'deployments');
  const statefulsets = useKubeList(cluster, 'statefulsets');
  const daemonsets = useKubeList(cluster, 'daemonsets');
  const services = useKubeList<Service>(cluster, 'services');
  const namespaces = useKubeList<Namespace>(cluster, 'namespaces');
  const nodes = useKubeList<Node>(cluster, 'nodes');
  const [index, setIndex] = useState(0);
  const list = useRef<HTMLUListElement>(null);

  const items = useMemo<PaletteItem[]>(
    () => [
      ...areaIds.map((area) => ({ id: `area/${area}`, kind: 'area', label: t(`nav.${area}`), hash: hashForArea(area) })),
      ...itemsOf('pod', pods.items, (ns, name) => hashFor('pods', [ns, name])),
      ...itemsOf('deployment', deployments.items, (ns, name) => workloadHash('deployments', [ns, name])),
      ...itemsOf('statefulset', statefulsets.items, (ns, name) => workloadHash('statefulsets', [ns, name])),
      ...itemsOf('daemonset', daemonsets.items, (ns, name) => workloadHash('daemonsets', [ns, name])),
      ...itemsOf('service', services.items, (ns, name) => hashFor('services', [ns, name])),
      ...itemsOf('namespace', namespaces.items, () => hashForArea('namespaces')),
      ...itemsOf('node', nodes.items, () => hashForArea('nodes')),
    ],
    [t, pods.items, deployments.items, statefulsets.items, daemonsets.items, services.items, namespaces.items, nodes.items],
  );
  const matches = useMemo(() => rankItems(items, query, 60), [items, query]);
  const chosen = Math.min(index, Math.max(0, matches.length - 1));

  useEffect(() => setIndex(0), [query]);
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [chosen]);

  // The input owns the keys; this listens on the dialog for the arrows and Enter.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setIndex((i) => (matches.length === 0 ? 0 : (Math.min(i, matches.length - 1) + step + matches.length) % matches.length));
      } else if (event.key === 'Enter' && matches[chosen]) {
        event.preventDefault();
        onPick(matches[chosen].item);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [matches, chosen, onPick]);

  const loading = cluster !== undefined && pods.isLoading;
  if (matches.length === 0) {
    return (
      <p className="muted palette-empty" data-testid="palette-empty">
        {loading ? t('palette.loading') : t('palette.empty', { query })}
      </p>
    );
  }
  return (
    <ul className="palette-results" role="listbox" ref={list} aria-label={t('palette.title')} data-testid="palette-results">
      {matches.map((m, i) => (
        <li
          key={m.item.id}
          role="option"
          aria-selected={i === chosen}
          className={i === chosen ? 'palette-item active' : 'palette-item'}
          onMouseMove={() => setIndex(i)}
          onClick={() => onPick(m.item)}
          data-testid="palette-item"
          data-id={m.item.id}
        >
          <span className="palette-kind">{t(`palette.kind.${m.item.kind}` as 'palette.kind.pod')}</span>
          <span className="palette-label">
            {[...m.item.label].map((ch, k) => (m.positions.includes(k) ? <b key={k}>{ch}</b> : ch))}
          </span>
          {m.item.detail && <span className="palette-detail muted">{m.item.detail}</span>}
        </li>
      ))}
    </ul>
  );
}

/** CommandPalette listens for Ctrl/Cmd+K anywhere and jumps to the page or resource people pick. */
export function CommandPalette({ cluster }: { cluster: string | undefined }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        event.stopPropagation();
        setOpen((was) => !was);
      }
    };
    // Capture: a terminal would otherwise take Ctrl+K for itself.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      setQuery('');
      element.showModal();
    } else if (!open && element.open) element.close();
  }, [open]);

  const pick = (item: PaletteItem) => {
    setOpen(false);
    navigate(item.hash);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      setOpen(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      className="palette"
      aria-label={t('palette.title')}
      onKeyDown={onKeyDown}
      onClose={() => setOpen(false)}
      onClick={(event) => event.target === dialog.current && setOpen(false)}
      data-testid="command-palette"
    >
      {open && (
        <div className="palette-body">
          <label className="palette-search">
            <Icon name="search" />
            <span className="visually-hidden">{t('palette.title')}</span>
            <input
              autoFocus
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              placeholder={t('palette.placeholder')}
              spellCheck={false}
              autoComplete="off"
              data-testid="palette-input"
            />
          </label>
          <Results cluster={cluster} query={query} onPick={pick} />
          <p className="palette-hint muted small">{t('palette.hint')}</p>
        </div>
      )}
    </dialog>
  );
}
