// Which volumes follow their sources, when their content counts as changed, and how
// stale files are cleared without emptying the folder first.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../apiserver/kinds/types';
import { filesDigest, pruneScript, refreshablePlans } from './volumeRefresh';

const file = (path: string, content: string, mode = 0o644) => ({ path, content: Buffer.from(content), mode });

describe('volume refresh', () => {
  it('follows ConfigMap, Secret and downward API volumes but leaves token volumes to their own renewal', () => {
    const pod: Pod = {
      metadata: { name: 'p', uid: 'u', labels: { app: 'web' } },
      spec: {
        containers: [],
        volumes: [
          { name: 'cfg', configMap: { name: 'c' } },
          { name: 'kube-api-access-x1y2z', projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'c' } }] } },
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
          { name: 'cache', emptyDir: {} },
        ],
      },
    };
    const sources = { configMaps: new Map([['c', { data: { a: '1' }, binary: {} }]]), secrets: new Map() };
    // No token is at hand here, and none is needed.
    const plans = refreshablePlans(pod, sources);
    expect(plans.map((p) => p.name)).toEqual(['cfg', 'info']);
    expect(plans[1].files.map((f) => f.content.toString())).toEqual(['app="web"']);
  });

  it('sees a changed value, mode or key, whatever the order of the files', () => {
    const base = filesDigest([file('a', '1'), file('b', '2')]);
    expect(filesDigest([file('b', '2'), file('a', '1')])).toBe(base);
    expect(filesDigest([file('a', '1'), file('b', '3')])).not.toBe(base);
    expect(filesDigest([file('a', '1'), file('b', '2', 0o400)])).not.toBe(base);
    expect(filesDigest([file('a', '1')])).not.toBe(base);
  });

  it('removes only the entries the new content lacks', () => {
    const script = pruneScript("/v/it's", ['password', 'conf']);
    expect(script).toContain(`cd '/v/it'\\''s' || exit 1`);
    expect(script).toContain(`for k in 'password' 'conf'; do`);
    expect(script).toContain('rm -rf -- "$f"');
  });
});
