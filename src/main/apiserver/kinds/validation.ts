// Validation shared by all kinds: object names, metadata (labels, annotations, owner
// references, finalizers), label selectors, numbers, ports, quantities and the
// "field is immutable" rule for updates.
import type { ObjectMeta } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import type { LabelSelector } from '../../../shared/labels';
import {
  maxLengthMessage,
  regexMessage,
  validateDNS1035Label,
  validateDNS1123Label,
  validateDNS1123Subdomain,
  validateLabelValue,
  validateQualifiedName,
} from '../../../shared/labels';
import { isQuantity, parseQuantity, quantityPattern } from '../../../shared/quantity';
import type { At } from './fieldErrors';
import { Path, duplicate, forbidden, invalid, invalidEach, notSupported, required, tooLong } from './fieldErrors';

/** NameRule is how a kind's metadata.name is checked. */
export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'pathSegment';

/** validatePathSegmentName returns problems with a name that becomes one URL path segment. */
export function validatePathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  if (name.includes('/')) errs.push("may not contain '/'");
  if (name.includes('%')) errs.push("may not contain '%'");
  return errs;
}

/** nameProblems checks a name (or a generateName prefix) against a rule. */
export function nameProblems(rule: NameRule, name: string, prefix = false): string[] {
  // A generateName prefix may end in '-', since random characters follow it.
  const value = prefix && name.endsWith('-') && rule !== 'pathSegment' ? `${name.slice(0, -1)}a` : name;
  switch (rule) {
    case 'subdomain':
      return validateDNS1123Subdomain(value);
    case 'label':
      return validateDNS1123Label(value);
    case 'dns1035':
      return validateDNS1035Label(value);
    case 'pathSegment':
      return validatePathSegmentName(value);
  }
}

/** isObject tells whether a value is a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** deepEqual compares JSON values structurally; absent and undefined members are the same. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** semanticEqual is deepEqual where empty arrays and objects equal absent ones, as Go zero values do. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return deepEqual(normalizeEmpty(a), normalizeEmpty(b));
}

function normalizeEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(normalizeEmpty);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const n = normalizeEmpty(x);
      if (n !== undefined && n !== null) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v;
}

/** clone deep-copies a JSON value. */
export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** totalAnnotationSizeLimit is the most bytes all annotation keys and values may take together. */
export const totalAnnotationSizeLimit = 256 * 1024;

/** validateLabels checks label keys and values; errors point at the map itself, as Kubernetes does. */
export function validateLabels(labels: unknown, path: At): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (!isObject(labels)) return [invalid(path, labels, 'must be a map of strings')];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...invalidEach(path, k, validateQualifiedName(k)));
    if (typeof v !== 'string') errs.push(invalid(path, v, 'label values must be strings'));
    else errs.push(...invalidEach(path, v, validateLabelValue(v)));
  }
  return errs;
}

/** validateAnnotations checks annotation keys (qualified names, any case) and the total size. */
export function validateAnnotations(annotations: unknown, path: At): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (!isObject(annotations)) return [invalid(path, annotations, 'must be a map of strings')];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    errs.push(...invalidEach(path, k, validateQualifiedName(k.toLowerCase())));
    if (typeof v !== 'string') errs.push(invalid(path, v, 'annotation values must be strings'));
    size += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : '');
  }
  if (size > totalAnnotationSizeLimit) errs.push(tooLong(path, totalAnnotationSizeLimit));
  return errs;
}

/** MetaOptions says how a kind's metadata is validated. */
export interface MetaOptions {
  namespaced: boolean;
  nameRule: NameRule;
}

/** validateObjectMeta checks metadata the way the API server does for every kind. */
export function validateObjectMeta(
  meta: ObjectMeta | undefined,
  opts: MetaOptions,
  path: Path = new Path('metadata'),
): FieldError[] {
  const errs: FieldError[] = [];
  const m = meta ?? {};
  if (m.generateName) {
    errs.push(
      ...invalidEach(path.child('generateName'), m.generateName, nameProblems(opts.nameRule, m.generateName, true)),
    );
  }
  if (!m.name) errs.push(required(path.child('name'), 'name or generateName is required'));
  else errs.push(...invalidEach(path.child('name'), m.name, nameProblems(opts.nameRule, m.name)));
  if (opts.namespaced) {
    if (!m.namespace) errs.push(required(path.child('namespace')));
    else errs.push(...invalidEach(path.child('namespace'), m.namespace, validateDNS1123Label(m.namespace)));
  } else if (m.namespace) {
    errs.push(forbidden(path.child('namespace'), 'not allowed on this type'));
  }
  if (typeof m.generation === 'number' && m.generation < 0) {
    errs.push(invalid(path.child('generation'), m.generation, 'must be greater than or equal to 0'));
  }
  errs.push(...validateLabels(m.labels, path.child('labels')));
  errs.push(...validateAnnotations(m.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, path.child('finalizers')));
  return errs;
}

/** validateObjectMetaUpdate adds the rules for updates: name and namespace cannot change. */
export function validateObjectMetaUpdate(
  meta: ObjectMeta | undefined,
  old: ObjectMeta | undefined,
  path: Path = new Path('metadata'),
): FieldError[] {
  const errs: FieldError[] = [];
  if (old?.name && meta?.name && meta.name !== old.name)
    errs.push(invalid(path.child('name'), meta.name, 'field is immutable'));
  if ((old?.namespace ?? '') !== (meta?.namespace ?? '') && meta?.namespace !== undefined) {
    errs.push(invalid(path.child('namespace'), meta.namespace, 'field is immutable'));
  }
  return errs;
}

function validateOwnerReferences(refs: ObjectMeta['ownerReferences'], path: Path): FieldError[] {
  if (!refs) return [];
  const errs: FieldError[] = [];
  let controllers = 0;
  refs.forEach((r, i) => {
    const p = path.index(i);
    if (!r.apiVersion) errs.push(invalid(p.child('apiVersion'), r.apiVersion ?? '', 'version must not be empty'));
    if (!r.kind) errs.push(invalid(p.child('kind'), r.kind ?? '', 'kind must not be empty'));
    if (!r.name) errs.push(invalid(p.child('name'), r.name ?? '', 'name must not be empty'));
    if (!r.uid) errs.push(invalid(p.child('uid'), r.uid ?? '', 'uid must not be empty'));
    if (r.controller) controllers++;
  });
  if (controllers > 1) {
    errs.push(invalid(path, refs, 'Only one reference can have Controller set to true'));
  }
  return errs;
}

function validateFinalizers(finalizers: string[] | undefined, path: Path): FieldError[] {
  if (!finalizers) return [];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  finalizers.forEach((f, i) => {
    errs.push(...invalidEach(path.index(i), f, validateQualifiedName(f)));
    if (seen.has(f)) errs.push(duplicate(path.index(i), f));
    seen.add(f);
  });
  return errs;
}

const selectorOperators = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** validateLabelSelector checks a metav1.LabelSelector's labels and expressions. */
export function validateLabelSelector(sel: LabelSelector | undefined, path: Path): FieldError[] {
  if (!sel) return [];
  const errs = validateLabels(sel.matchLabels, path.child('matchLabels'));
  (sel.matchExpressions ?? []).forEach((expr, i) => {
    const p = path.child('matchExpressions').index(i);
    const values = expr.values ?? [];
    if (expr.operator === 'In' || expr.operator === 'NotIn') {
      if (values.length === 0)
        errs.push(required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (expr.operator === 'Exists' || expr.operator === 'DoesNotExist') {
      if (values.length > 0)
        errs.push(forbidden(p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(notSupported(p.child('operator'), expr.operator, selectorOperators));
    }
    errs.push(...invalidEach(p.child('key'), expr.key, validateQualifiedName(expr.key ?? '')));
    values.forEach((v, j) => errs.push(...invalidEach(p.child('values').index(j), v, validateLabelValue(v))));
  });
  return errs;
}

/** isEmptySelector tells whether a label selector has no requirements at all. */
export function isEmptySelector(sel: LabelSelector | undefined): boolean {
  return !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
}

/** nonNegative reports a negative number. */
export function nonNegative(value: unknown, path: At): FieldError[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'number' || value < 0) return [invalid(path, value, 'must be greater than or equal to 0')];
  return [];
}

/** positive reports a number that is not greater than zero. */
export function positive(value: unknown, path: At): FieldError[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'number' || value <= 0) return [invalid(path, value, 'must be greater than 0')];
  return [];
}

/** oneOf reports a value outside the allowed set; absent values pass unless required. */
export function oneOf(value: unknown, allowed: readonly string[], path: At, isRequired = false): FieldError[] {
  if (value === undefined || value === null || value === '') {
    return isRequired ? [notSupported(path, value ?? '', allowed)] : [];
  }
  if (typeof value !== 'string' || !allowed.includes(value)) return [notSupported(path, value, allowed)];
  return [];
}

/** portRangeMessage is the detail for port numbers out of range. */
export const portRangeMessage = 'must be between 1 and 65535, inclusive';

/** validatePortNumber checks 1-65535. */
export function validatePortNumber(value: unknown, path: At): FieldError[] {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    return [invalid(path, value, portRangeMessage)];
  }
  return [];
}

/** portNameProblems returns problems with an IANA service name used as a port name. */
export function portNameProblems(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push(maxLengthMessage(15));
  if (!/^[-a-z0-9]+$/.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.length > 0 && (name.startsWith('-') || name.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** validatePortNameOrNumber checks an int-or-string port: a number in range or an IANA name. */
export function validatePortNameOrNumber(value: unknown, path: At): FieldError[] {
  if (typeof value === 'number') return validatePortNumber(value, path);
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return validatePortNumber(Number(value), path);
    return invalidEach(path, value, portNameProblems(value));
  }
  return [required(path)];
}

/** validateQuantity checks that a value is a quantity and, optionally, not negative. */
export function validateQuantity(value: unknown, path: At, nonNegativeOnly = true): FieldError[] {
  if (!isQuantity(value)) {
    return [invalid(path, value, `quantities must match the regular expression '${quantityPattern}'`)];
  }
  if (nonNegativeOnly && parseQuantity(value as string | number) < 0) {
    return [invalid(path, value, 'must be greater than or equal to 0')];
  }
  return [];
}

/** standardResourcePrefixes are resource names that need no domain prefix. */
const standardResources = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage', 'pods']);

/** validateResourceName checks a compute resource name (cpu, memory, hugepages-2Mi, example.com/gpu). */
export function validateResourceName(name: string, path: At): FieldError[] {
  if (
    standardResources.has(name) ||
    name.startsWith('hugepages-') ||
    name.startsWith('requests.') ||
    name.startsWith('limits.')
  ) {
    return [];
  }
  const problems = validateQualifiedName(name);
  if (problems.length > 0) return invalidEach(path, name, problems);
  if (!name.includes('/')) {
    return [invalid(path, name, 'must be a standard resource type or fully qualified')];
  }
  return [];
}

/** validateResourceList checks resource names and quantities of a requests/limits map. */
export function validateResourceList(list: unknown, path: Path): FieldError[] {
  if (list === undefined || list === null) return [];
  if (!isObject(list)) return [invalid(path, list, 'must be a map of resource names to quantities')];
  const errs: FieldError[] = [];
  for (const [name, q] of Object.entries(list)) {
    const p = path.key(name);
    errs.push(...validateResourceName(name, p));
    errs.push(...validateQuantity(q, p));
  }
  return errs;
}

/** immutable reports a field whose value changed on update. */
export function immutable(value: unknown, old: unknown, path: At): FieldError[] {
  return semanticEqual(value, old) ? [] : [invalid(path, value ?? null, 'field is immutable')];
}

/** uniqueBy reports duplicate values of a key among list items. */
export function uniqueBy<T>(
  items: T[] | undefined,
  key: (item: T) => string | undefined,
  path: (i: number) => At,
): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (items ?? []).forEach((item, i) => {
    const k = key(item);
    if (k === undefined || k === '') return;
    if (seen.has(k)) errs.push(duplicate(path(i), k));
    seen.add(k);
  });
  return errs;
}

/** configKeyProblems returns problems with a ConfigMap or Secret key. */
export function configKeyProblems(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push(maxLengthMessage(253));
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
    errs.push(
      regexMessage(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        '[-._a-zA-Z0-9]+',
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** envVarNameProblems returns problems with an environment variable name (printable ASCII, no '='). */
export function envVarNameProblems(name: string): string[] {
  if (name.length === 0) return [];
  if (!/^[\x20-\x7e]+$/.test(name) || name.includes('=')) {
    return ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
  }
  return [];
}

/** isIP tells whether a string is an IPv4 or IPv6 address. */
export function isIP(value: string): boolean {
  return isIPv4(value) || isIPv6(value);
}

/** isIPv4 tells whether a string is a dotted-quad IPv4 address. */
export function isIPv4(value: string): boolean {
  const parts = value.split('.');
  return (
    parts.length === 4 &&
    parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255 && (p === '0' || !p.startsWith('0')))
  );
}

/** isIPv6 tells whether a string is an IPv6 address. */
export function isIPv6(value: string): boolean {
  if (!value.includes(':') || !/^[0-9a-fA-F:.]+$/.test(value)) return false;
  const doubles = value.split('::').length - 1;
  if (doubles > 1) return false;
  let groups = value.split(':').filter((g) => g !== '');
  const last = groups[groups.length - 1];
  let extra = 0;
  if (last && last.includes('.')) {
    if (!isIPv4(last)) return false;
    groups = groups.slice(0, -1);
    extra = 2;
  }
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = groups.length + extra;
  return doubles === 1 ? count < 8 : count === 8;
}

/** isCIDR tells whether a string is an IPv4 or IPv6 CIDR such as 10.244.1.0/24. */
export function isCIDR(value: string): boolean {
  const [ip, bits, ...rest] = value.split('/');
  if (rest.length > 0 || bits === undefined || !/^\d+$/.test(bits)) return false;
  if (isIPv4(ip)) return Number(bits) <= 32;
  if (isIPv6(ip)) return Number(bits) <= 128;
  return false;
}
