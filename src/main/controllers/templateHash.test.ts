import { describe, expect, it } from 'vitest';
import { canonicalJSON, computeHash, equalIgnoringHash, podTemplateHash, podTemplateHashLabel, semanticForm } from './templateHash';
import { template } from './testing/fixtures';

describe('pod template hash', () => {
  it('is the same for the same template whatever the key order, and stable across releases', () => {
    const a = { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } };
    const b = { spec: { containers: [{ image: 'nginx:1.25', name: 'app' }] }, metadata: { labels: { tier: 'front', app: 'web' } } };
    expect(computeHash(a)).toBe(computeHash(b));
    // A fixed value: changing the hash would rename every ReplicaSet of every existing Deployment.
    expect(computeHash(a)).toBe(computeHash(JSON.parse(canonicalJSON(a))));
    expect(podTemplateHash(template('web'))).toBe('69549b4c44');
  });

  it('changes with the template and with the collision count, and is a valid vowel-free label value', () => {
    const base = template('web');
    const hash = computeHash(base);
    expect(computeHash(template('web', 'nginx:1.26'))).not.toBe(hash);
    expect(computeHash(base, 1)).not.toBe(hash);
    expect(computeHash(base, 1)).not.toBe(computeHash(base, 2));
    for (const h of [hash, computeHash(base, 1), computeHash(template('x'))]) expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });

  it('treats null members and empty objects the way Go clients write them as absent', () => {
    const fromGo = { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25', resources: {} }] } };
    expect(equalIgnoringHash(fromGo as never, template('web'))).toBe(true);
    expect(podTemplateHash(fromGo as never)).toBe(podTemplateHash(template('web')));
    expect(semanticForm({ a: null, b: {}, c: [], d: [{}], e: 0, f: false, g: '' })).toEqual({ d: [null], e: 0, f: false, g: '' });
  });

  it('compares templates without the pod-template-hash label', () => {
    const withHash = template('web');
    withHash.metadata!.labels![podTemplateHashLabel] = 'abc';
    expect(equalIgnoringHash(withHash, template('web'))).toBe(true);
    expect(equalIgnoringHash(withHash, template('web', 'nginx:2'))).toBe(false);
    expect(equalIgnoringHash({ metadata: { labels: { [podTemplateHashLabel]: 'x' } }, spec: {} }, { spec: {} })).toBe(true);
  });

  it('renders canonical JSON with sorted keys and without undefined members', () => {
    expect(canonicalJSON({ b: 1, a: [3, { d: undefined, c: null }] })).toBe('{"a":[3,{"c":null}],"b":1}');
  });
});
