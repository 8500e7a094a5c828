// The import form ticks what people most likely want and catches name clashes before the engine does.
import { describe, expect, it } from 'vitest';
import type { KubeconfigContextInfo } from '../../shared/gateway';
import { importRequest, initialChoices, nameIssues } from './remoteImport';

const context = (name: string, extra: Partial<KubeconfigContextInfo> = {}): KubeconfigContextInfo => ({
  name,
  cluster: name,
  user: name,
  current: false,
  suggestedName: name.toLowerCase(),
  ...extra,
});

describe('initialChoices', () => {
  it('ticks the current context, or the only importable one', () => {
    expect(initialChoices([context('a'), context('B', { current: true })]).map((c) => c.chosen)).toEqual([false, true]);
    expect(initialChoices([context('a', { problem: 'exec plugin' }), context('b')]).map((c) => c.chosen)).toEqual([false, true]);
    expect(initialChoices([context('a', { current: true, problem: 'exec plugin' }), context('b'), context('c')]).map((c) => c.chosen)).toEqual([false, false, false]);
    expect(initialChoices([context('Prod')])[0].name).toBe('prod');
  });
});

describe('nameIssues and importRequest', () => {
  it('flags names that break the rule or clash with a cluster or another ticked context', () => {
    const choices = [
      { context: 'a', chosen: true, name: 'dev' },
      { context: 'b', chosen: true, name: 'Bad Name' },
      { context: 'c', chosen: true, name: 'shop' },
      { context: 'd', chosen: true, name: 'shop' },
      { context: 'e', chosen: false, name: 'dev' },
    ];
    expect(Object.fromEntries(nameIssues(choices, ['dev']))).toEqual({ a: 'taken', b: 'invalid', d: 'taken' });
  });

  it('sends only the ticked contexts with their names', () => {
    const choices = [
      { context: 'a', chosen: true, name: 'one' },
      { context: 'b', chosen: false, name: 'two' },
    ];
    expect(importRequest({ path: '/home/me/.kube/config' }, choices)).toEqual({ path: '/home/me/.kube/config', contexts: [{ context: 'a', name: 'one' }] });
  });
});
