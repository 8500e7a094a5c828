// Finding the line a field path names in the YAML a person wrote.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parseDocument } from 'yaml';
import { lineOf, locateField, parseFieldPath } from './yamlPaths';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: nginx
        - name: side
          image: ""
          ports:
            - containerPort: 80
`;

function lineOfField(text: string, field: string) {
  const where = locateField(text, parseDocument(text), field);
  return { line: lineOf(text, where.from), exact: where.exact, marked: text.slice(where.from, where.to) };
}

describe('parseFieldPath', () => {
  it('splits keys, list indexes and bracketed keys', () => {
    expect(parseFieldPath('spec.containers[0].image')).toEqual(['spec', 'containers', 0, 'image']);
    expect(parseFieldPath('.spec.replicas')).toEqual(['spec', 'replicas']);
    expect(parseFieldPath('metadata.labels[app.kubernetes.io/name]')).toEqual(['metadata', 'labels', 'app.kubernetes.io/name']);
    expect(parseFieldPath('spec.template.spec.containers[1].ports[0].containerPort')).toEqual([
      'spec', 'template', 'spec', 'containers', 1, 'ports', 0, 'containerPort',
    ]);
  });
});

describe('locateField', () => {
  it('finds the line of a field inside lists', () => {
    expect(lineOfField(deployment, 'spec.template.spec.containers[1].image')).toEqual({ line: 15, exact: true, marked: 'image: ""' });
    expect(lineOfField(deployment, 'spec.template.spec.containers[1].ports[0].containerPort').line).toBe(17);
    expect(lineOfField(deployment, 'spec.replicas').line).toBe(8);
  });

  it('marks a list item at its dash', () => {
    expect(lineOfField(deployment, 'spec.template.spec.containers[1]')).toEqual({ line: 14, exact: true, marked: '- name: side' });
  });

  it('finds keys that contain dots when the path brackets them', () => {
    expect(lineOfField(deployment, 'metadata.labels[app.kubernetes.io/name]').line).toBe(6);
  });

  it('points a missing field at the deepest part that is written', () => {
    expect(lineOfField(deployment, 'spec.selector')).toMatchObject({ line: 7, exact: false });
    expect(lineOfField(deployment, 'spec.template.spec.containers[0].resources.limits')).toMatchObject({ line: 12, exact: false });
    expect(lineOfField(deployment, 'spec.template.spec.containers[5].image')).toMatchObject({ line: 11, exact: false });
  });

  it('finds fields of flow-style YAML too', () => {
    const text = 'kind: Pod\nspec: {containers: [{name: a, image: x}]}\n';
    expect(lineOfField(text, 'spec.containers[0].image')).toMatchObject({ line: 2, exact: true });
  });

  it('works on the later documents of a multi-document text', () => {
    const text = `kind: ConfigMap\nmetadata:\n  name: a\n---\nkind: Service\nmetadata:\n  name: b\nspec:\n  ports:\n    - port: 0\n`;
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs)) throw new Error('expected documents');
    const where = locateField(text, docs[1], 'spec.ports[0].port');
    expect(lineOf(text, where.from)).toBe(10);
    expect(text.slice(where.from, where.to)).toBe('port: 0');
  });
});
