import { describe, expect, it } from 'vitest';
import {
  SelectorError,
  fieldSelectorToString,
  formatLabels,
  isValidLabelKey,
  isValidLabelValue,
  labelSelectorToString,
  matchesFields,
  matchesLabelSelector,
  matchesSelector,
  parseFieldSelector,
  parseSelector,
  selectorFromLabelSelector,
  selectorFromMatchLabels,
  selectorToString,
  validateDNS1035Label,
  validateDNS1123Label,
  validateDNS1123Subdomain,
  validateLabelValue,
  validateQualifiedName,
} from './labels';

const labels = { app: 'web', tier: 'frontend', release: '3', env: 'prod' };

describe('parseSelector', () => {
  it('parses every operator into sorted requirements', () => {
    const sel = parseSelector(
      'tier in (frontend, backend),env!=dev,app=web,release>2,canary,!legacy,zone notin (a),x==y,size<10',
    );
    expect(sel.map((r) => [r.key, r.operator, r.values])).toEqual([
      ['app', 'Equals', ['web']],
      ['canary', 'Exists', []],
      ['env', 'NotEquals', ['dev']],
      ['legacy', 'DoesNotExist', []],
      ['release', 'GreaterThan', ['2']],
      ['size', 'LessThan', ['10']],
      ['tier', 'In', ['backend', 'frontend']],
      ['x', 'DoubleEquals', ['y']],
      ['zone', 'NotIn', ['a']],
    ]);
  });

  it('renders back to the canonical form', () => {
    expect(selectorToString(parseSelector(' tier in (b,a) , app = web,!x'))).toBe('app=web,tier in (a,b),!x');
    expect(selectorToString(parseSelector(''))).toBe('');
  });

  it('accepts empty values and keys with a DNS prefix', () => {
    expect(parseSelector('a=')[0].values).toEqual(['']);
    expect(parseSelector('a in ()')[0].values).toEqual(['']);
    expect(parseSelector('a in (,b)')[0].values).toEqual(['', 'b']);
    expect(parseSelector('example.com/role=db')[0].key).toBe('example.com/role');
  });

  it('treats in and notin as plain words where a key or value is expected', () => {
    expect(parseSelector('in=notin')[0]).toEqual({ key: 'in', operator: 'Equals', values: ['notin'] });
  });

  it.each([
    ['app=', undefined],
    ['app in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['app in a', "unable to parse requirement: found 'a', expected: '('"],
    ['app=web,', "found '', expected: identifier after ','"],
    ['app=web app=db', "found 'app', expected: ',' or 'end of string'"],
    [',app', "found ',', expected: !, identifier, or 'end of string'"],
    ['app ~ web', "unable to parse requirement: found '~', expected: in, notin, =, ==, !=, gt, lt, exists, !"],
    ['Bad Key=1', "unable to parse requirement: found 'Key', expected: in, notin, =, ==, !=, gt, lt, exists, !"],
    [
      '-bad=1',
      'unable to parse requirement: invalid label key "-bad": name part must consist of alphanumeric characters',
    ],
    [
      'a=-b',
      'unable to parse requirement: invalid label value: "-b": at key: "a": a valid label must be an empty string',
    ],
    ['a>b', "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer"],
  ])('reports problems in %j the way kubectl words them', (text, message) => {
    if (message === undefined) {
      expect(() => parseSelector(text)).not.toThrow();
      return;
    }
    let error: unknown;
    try {
      parseSelector(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SelectorError);
    expect((error as Error).message).toContain(message);
  });
});

describe('matchesSelector', () => {
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['tier in (frontend,backend)', true],
    ['tier in (backend)', false],
    ['missing in (a)', false],
    ['tier notin (backend)', true],
    ['missing notin (a)', true],
    ['env', true],
    ['missing', false],
    ['!missing', true],
    ['!env', false],
    ['release>2', true],
    ['release>3', false],
    ['release<4', true],
    ['app>1', false],
    ['missing<5', false],
    ['app=web,env=prod,!canary', true],
    ['app=web,env=dev', false],
    ['', true],
  ])('%j matches %s', (sel, expected) => {
    expect(matchesSelector(sel, labels)).toBe(expected);
  });

  it('treats a null selector as matching nothing and absent labels as empty', () => {
    expect(matchesSelector(null, labels)).toBe(false);
    expect(matchesSelector('!app', undefined)).toBe(true);
  });
});

describe('LabelSelector conversion', () => {
  it('converts matchLabels and matchExpressions', () => {
    const ls = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['b', 'a'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'env', operator: 'Exists' },
        { key: 'zone', operator: 'NotIn', values: ['x'] },
      ],
    };
    expect(labelSelectorToString(ls)).toBe('app=web,!canary,env,tier in (a,b),zone notin (x)');
    expect(matchesLabelSelector(ls, { app: 'web', tier: 'a', env: '1' })).toBe(true);
    expect(matchesLabelSelector(ls, { app: 'web', tier: 'a' })).toBe(false);
  });

  it('selects everything for {} and nothing for an absent selector', () => {
    expect(selectorFromLabelSelector({})).toEqual([]);
    expect(selectorFromLabelSelector(undefined)).toBeNull();
    expect(matchesLabelSelector({}, { a: 'b' })).toBe(true);
    expect(matchesLabelSelector(undefined, { a: 'b' })).toBe(false);
    expect(labelSelectorToString(undefined)).toBe('');
  });

  it('rejects unknown operators and empty In lists', () => {
    expect(() =>
      selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }),
    ).toThrow('"Gt" is not a valid label selector operator');
    expect(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toThrow(
      "values set can't be empty",
    );
  });

  it('builds equality selectors from plain maps', () => {
    expect(selectorToString(selectorFromMatchLabels({ b: '2', a: '1' }))).toBe('a=1,b=2');
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(formatLabels({})).toBe('<none>');
  });
});

describe('name and label syntax', () => {
  it('accepts and rejects label keys and values', () => {
    expect(isValidLabelKey('app.kubernetes.io/name')).toBe(true);
    expect(isValidLabelKey('MyKey_1.x')).toBe(true);
    expect(isValidLabelKey('a/b/c')).toBe(false);
    expect(isValidLabelKey('/name')).toBe(false);
    expect(isValidLabelKey('Example.com/name')).toBe(false);
    expect(isValidLabelKey('x'.repeat(64))).toBe(false);
    expect(isValidLabelValue('')).toBe(true);
    expect(isValidLabelValue('v1.2_3-b')).toBe(true);
    expect(isValidLabelValue('-x')).toBe(false);
    expect(isValidLabelValue('x'.repeat(64))).toBe(false);
  });

  it('words problems like the API server', () => {
    expect(validateQualifiedName('a/b/c')[0]).toMatch(
      /^a qualified name must consist of alphanumeric characters.*with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/,
    );
    expect(validateQualifiedName('/x')).toEqual(['prefix part must be non-empty']);
    expect(validateQualifiedName('x'.repeat(64))).toEqual(['name part must be no more than 63 characters']);
    expect(validateLabelValue('-a')[0]).toBe(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
    expect(validateDNS1123Subdomain('My_App')).toEqual([
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    expect(validateDNS1123Label('a.b')[0]).toContain(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'",
    );
    expect(validateDNS1035Label('1abc')[0]).toContain(
      'a DNS-1035 label must consist of lower case alphanumeric characters or',
    );
    expect(validateDNS1123Subdomain('a'.repeat(254))[0]).toBe('must be no more than 253 characters');
    expect(validateDNS1123Subdomain('web.example.com')).toEqual([]);
  });
});

describe('field selectors', () => {
  it('parses =, == and != with escapes', () => {
    expect(parseFieldSelector('status.phase=Running,spec.nodeName!=node-1,metadata.name==a\\,b')).toEqual([
      { field: 'status.phase', operator: '=', value: 'Running' },
      { field: 'spec.nodeName', operator: '!=', value: 'node-1' },
      { field: 'metadata.name', operator: '=', value: 'a,b' },
    ]);
    expect(parseFieldSelector('')).toEqual([]);
    expect(parseFieldSelector('spec.nodeName=')).toEqual([{ field: 'spec.nodeName', operator: '=', value: '' }]);
  });

  it('rejects clauses without an operator', () => {
    expect(() => parseFieldSelector('status.phase')).toThrow(
      "invalid selector: 'status.phase'; can't understand 'status.phase'",
    );
    expect(() => parseFieldSelector('=x')).toThrow(SelectorError);
  });

  it('matches fields, treating absent ones as empty', () => {
    const reqs = parseFieldSelector('status.phase!=Failed,spec.nodeName=');
    expect(matchesFields(reqs, { 'status.phase': 'Running' })).toBe(true);
    expect(matchesFields(reqs, { 'status.phase': 'Running', 'spec.nodeName': 'n1' })).toBe(false);
    expect(fieldSelectorToString(parseFieldSelector('a=x\\,y'))).toBe('a=x\\,y');
  });
});
