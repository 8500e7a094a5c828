// Label and field selectors, and the syntax rules for label keys, label values and
// DNS-style names. Pure TypeScript: the API server filters lists with it and the
// renderer parses what people type into a filter box with the same code.

/** SelectorOperator is the operator of one label selector requirement. */
export type SelectorOperator =
  'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Equals' | 'DoubleEquals' | 'NotEquals' | 'GreaterThan' | 'LessThan';

/** Requirement is one clause of a label selector; a selector ANDs its requirements. */
export interface Requirement {
  key: string;
  operator: SelectorOperator;
  /** Sorted, de-duplicated values; empty for Exists and DoesNotExist. */
  values: string[];
}

/** Selector is a parsed label selector: every requirement must hold. Empty selects everything. */
export type Selector = readonly Requirement[];

/** LabelSelectorRequirement is one matchExpressions entry of a metav1.LabelSelector. */
export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** LabelSelector is the structured selector objects carry (metav1.LabelSelector). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** SelectorError is thrown for a selector that cannot be parsed; its message reads like kubectl's. */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

// ---------------------------------------------------------------------------
// Name and label syntax. The messages match the Kubernetes API server's, because
// users and tools compare them.

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelValueFmt = `(${qualifiedNameFmt})?`;

const dns1123LabelRe = new RegExp(`^${dns1123LabelFmt}$`);
const dns1123SubdomainRe = new RegExp(`^${dns1123SubdomainFmt}$`);
const dns1035LabelRe = new RegExp(`^${dns1035LabelFmt}$`);
const qualifiedNameRe = new RegExp(`^${qualifiedNameFmt}$`);
const labelValueRe = new RegExp(`^${labelValueFmt}$`);

/** regexMessage builds the "(e.g. ..., regex used for validation is ...)" sentence Kubernetes uses. */
export function regexMessage(message: string, format: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${format}')`;
  const shown = examples.map((e) => `'${e}', `).join(' or ');
  return `${message} (e.g. ${shown}regex used for validation is '${format}')`;
}

/** maxLengthMessage is the "must be no more than N characters" detail. */
export function maxLengthMessage(max: number): string {
  return `must be no more than ${max} characters`;
}

const qualifiedNameMessage =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** validateDNS1123Label returns the problems with a lowercase RFC 1123 label (max 63 chars); empty when valid. */
export function validateDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLengthMessage(63));
  if (!dns1123LabelRe.test(value)) {
    errs.push(
      regexMessage(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        dns1123LabelFmt,
        'my-name',
        '123-abc',
      ),
    );
  }
  return errs;
}

/** validateDNS1123Subdomain returns the problems with a lowercase RFC 1123 subdomain (max 253 chars). */
export function validateDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLengthMessage(253));
  if (!dns1123SubdomainRe.test(value)) {
    errs.push(
      regexMessage(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        dns1123SubdomainFmt,
        'example.com',
      ),
    );
  }
  return errs;
}

/** validateDNS1035Label returns the problems with a DNS-1035 label (starts with a letter; max 63 chars). */
export function validateDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLengthMessage(63));
  if (!dns1035LabelRe.test(value)) {
    errs.push(
      regexMessage(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        dns1035LabelFmt,
        'my-name',
        'abc-123',
      ),
    );
  }
  return errs;
}

/** validateQualifiedName returns the problems with a qualified name: `[prefix/]name`, prefix a DNS subdomain. */
export function validateQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...validateDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexMessage(qualifiedNameMessage, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLengthMessage(63)}`);
  if (!qualifiedNameRe.test(name)) {
    errs.push(`name part ${regexMessage(qualifiedNameMessage, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

/** validateLabelKey returns the problems with a label key (a qualified name). */
export function validateLabelKey(key: string): string[] {
  return validateQualifiedName(key);
}

/** validateLabelValue returns the problems with a label value: empty, or up to 63 name characters. */
export function validateLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLengthMessage(63));
  if (!labelValueRe.test(value)) {
    errs.push(
      regexMessage(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        labelValueFmt,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  }
  return errs;
}

/** isValidLabelKey tells whether a string can be a label key. */
export function isValidLabelKey(key: string): boolean {
  return validateLabelKey(key).length === 0;
}

/** isValidLabelValue tells whether a string can be a label value. */
export function isValidLabelValue(value: string): boolean {
  return validateLabelValue(value).length === 0;
}

// ---------------------------------------------------------------------------
// Label selector parsing.

type TokenType = 'ident' | '!' | '!=' | '=' | '==' | '>' | '<' | '(' | ')' | ',' | 'end';

interface Token {
  type: TokenType;
  text: string;
}

const symbolChars = new Set(['!', '=', '>', '<', '(', ')', ',']);

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (symbolChars.has(ch)) {
      const two = input.slice(i, i + 2);
      if (two === '!=' || two === '==') {
        tokens.push({ type: two, text: two });
        i += 2;
      } else {
        tokens.push({ type: ch as TokenType, text: ch });
        i++;
      }
      continue;
    }
    let j = i;
    while (j < input.length && !isSpace(input[j]) && !symbolChars.has(input[j])) j++;
    tokens.push({ type: 'ident', text: input.slice(i, j) });
    i = j;
  }
  tokens.push({ type: 'end', text: '' });
  return tokens;
}

const binaryOperators = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const allOperators = [...binaryOperators, 'exists', '!'];

class SelectorParser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const t = this.tokens[this.pos];
    if (t.type !== 'end') this.pos++;
    return t;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type === 'ident' || t.type === '!') {
        try {
          requirements.push(this.requirement());
        } catch (err) {
          throw new SelectorError(`unable to parse requirement: ${(err as Error).message}`);
        }
        const after = this.next();
        if (after.type === 'end') break;
        if (after.type === ',') {
          const la = this.peek();
          if (la.type !== 'ident' && la.type !== '!') {
            throw new SelectorError(`found '${la.text}', expected: identifier after ','`);
          }
          continue;
        }
        throw new SelectorError(`found '${after.text}', expected: ',' or 'end of string'`);
      }
      if (t.type === 'end') break;
      throw new SelectorError(`found '${t.text}', expected: !, identifier, or 'end of string'`);
    }
    return sortRequirements(requirements);
  }

  private requirement(): Requirement {
    let t = this.next();
    let negated = false;
    if (t.type === '!') {
      negated = true;
      t = this.next();
    }
    if (t.type !== 'ident') throw new Error(`found '${t.text}', expected: identifier`);
    const key = t.text;
    if (negated) return newRequirement(key, 'DoesNotExist', []);
    const la = this.peek();
    if (la.type === 'end' || la.type === ',') return newRequirement(key, 'Exists', []);
    const operator = this.operator();
    const values = operator === 'In' || operator === 'NotIn' ? this.valueSet() : this.exactValue();
    return newRequirement(key, operator, values);
  }

  private operator(): SelectorOperator {
    const t = this.next();
    switch (t.type) {
      case '=':
        return 'Equals';
      case '==':
        return 'DoubleEquals';
      case '!=':
        return 'NotEquals';
      case '>':
        return 'GreaterThan';
      case '<':
        return 'LessThan';
      case 'ident':
        if (t.text === 'in') return 'In';
        if (t.text === 'notin') return 'NotIn';
        break;
      default:
        break;
    }
    if (t.text === '') throw new Error(`found '', expected: ${binaryOperators.join(', ')}`);
    throw new Error(`found '${t.text}', expected: ${allOperators.join(', ')}`);
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.type !== '(') throw new Error(`found '${open.text}', expected: '('`);
    const la = this.peek();
    if (la.type === ')') {
      this.next();
      return [''];
    }
    if (la.type !== 'ident' && la.type !== ',') {
      throw new Error(`found '${la.text}', expected: ',', ')' or identifier`);
    }
    const values = new Set<string>();
    for (;;) {
      const t = this.next();
      if (t.type === 'ident') {
        values.add(t.text);
        const after = this.peek();
        if (after.type === ')') break;
        if (after.type === ',') continue;
        throw new Error(`found '${after.text}', expected: ',' or ')'`);
      } else if (t.type === ',') {
        // "(,a)", "(a,)" and "(a,,b)" all carry an empty value.
        if (values.size === 0) values.add('');
        const after = this.peek();
        if (after.type === ')') {
          values.add('');
          break;
        }
        if (after.type === ',') values.add('');
      } else {
        throw new Error(`found '${t.text}', expected: ',', or identifier`);
      }
    }
    const close = this.next();
    if (close.type !== ')') throw new Error(`found '${close.text}', expected: ')'`);
    return [...values];
  }

  private exactValue(): string[] {
    const la = this.peek();
    if (la.type === 'end' || la.type === ',') return [''];
    const t = this.next();
    if (t.type === 'ident') return [t.text];
    throw new Error(`found '${t.text}', expected: identifier`);
  }
}

function newRequirement(key: string, operator: SelectorOperator, values: string[]): Requirement {
  const keyErrors = validateLabelKey(key);
  if (keyErrors.length > 0) throw new Error(`invalid label key "${key}": ${keyErrors.join('; ')}`);
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) throw new Error("for 'in', 'notin' operators, values set can't be empty");
      break;
    case 'Equals':
    case 'DoubleEquals':
    case 'NotEquals':
      if (values.length !== 1) throw new Error('exact-match compatibility requires one single value');
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) throw new Error('values set must be empty for exists and does not exist');
      break;
    case 'GreaterThan':
    case 'LessThan':
      if (values.length !== 1) throw new Error("for 'Gt', 'Lt' operators, exactly one value is required");
      if (!/^[+-]?\d+$/.test(values[0])) throw new Error("for 'Gt', 'Lt' operators, the value must be an integer");
      break;
  }
  if (operator !== 'GreaterThan' && operator !== 'LessThan') {
    for (const v of values) {
      const errs = validateLabelValue(v);
      if (errs.length > 0) throw new Error(`invalid label value: "${v}": at key: "${key}": ${errs.join('; ')}`);
    }
  }
  return { key, operator, values: [...new Set(values)].sort() };
}

function sortRequirements(reqs: Requirement[]): Requirement[] {
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** parseSelector parses a label selector such as `app=web,tier in (a,b),!canary`; throws SelectorError. */
export function parseSelector(text: string): Selector {
  return new SelectorParser(lex(text)).parse();
}

/** requirementToString renders one requirement in the canonical selector syntax. */
export function requirementToString(r: Requirement): string {
  switch (r.operator) {
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    case 'Equals':
      return `${r.key}=${r.values[0]}`;
    case 'DoubleEquals':
      return `${r.key}==${r.values[0]}`;
    case 'NotEquals':
      return `${r.key}!=${r.values[0]}`;
    case 'GreaterThan':
      return `${r.key}>${r.values[0]}`;
    case 'LessThan':
      return `${r.key}<${r.values[0]}`;
    case 'In':
      return `${r.key} in (${r.values.join(',')})`;
    case 'NotIn':
      return `${r.key} notin (${r.values.join(',')})`;
  }
}

/** selectorToString renders a selector in canonical form (sorted by key); '' selects everything. */
export function selectorToString(selector: Selector): string {
  return selector.map(requirementToString).join(',');
}

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'In':
    case 'Equals':
    case 'DoubleEquals':
      return has && r.values.includes(value as string);
    case 'NotIn':
    case 'NotEquals':
      return !has || !r.values.includes(value as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'GreaterThan':
    case 'LessThan': {
      if (!has || !/^[+-]?\d+$/.test(value as string)) return false;
      const actual = BigInt(value as string);
      const wanted = BigInt(r.values[0]);
      return r.operator === 'GreaterThan' ? actual > wanted : actual < wanted;
    }
  }
}

/**
 * matchesSelector tells whether labels satisfy a selector. A string is parsed first
 * (throwing SelectorError); null is the selector that matches nothing.
 */
export function matchesSelector(
  selector: Selector | string | null,
  labels: Record<string, string> | undefined,
): boolean {
  if (selector === null) return false;
  const parsed = typeof selector === 'string' ? parseSelector(selector) : selector;
  const set = labels ?? {};
  return parsed.every((r) => requirementMatches(r, set));
}

/** selectorFromMatchLabels turns a plain label map into equality requirements (`k=v,...`). */
export function selectorFromMatchLabels(matchLabels: Record<string, string> | undefined): Selector {
  const reqs = Object.entries(matchLabels ?? {}).map(([k, v]) => newRequirementOrThrow(k, 'Equals', [v]));
  return sortRequirements(reqs);
}

function newRequirementOrThrow(key: string, operator: SelectorOperator, values: string[]): Requirement {
  try {
    return newRequirement(key, operator, values);
  } catch (err) {
    throw new SelectorError((err as Error).message);
  }
}

const expressionOperators: Record<string, SelectorOperator> = {
  In: 'In',
  NotIn: 'NotIn',
  Exists: 'Exists',
  DoesNotExist: 'DoesNotExist',
};

/**
 * selectorFromLabelSelector converts a metav1.LabelSelector. Absent (null/undefined)
 * selects nothing and returns null; `{}` selects everything. Throws SelectorError.
 */
export function selectorFromLabelSelector(ls: LabelSelector | null | undefined): Selector | null {
  if (ls === null || ls === undefined) return null;
  const reqs: Requirement[] = [...selectorFromMatchLabels(ls.matchLabels)];
  for (const expr of ls.matchExpressions ?? []) {
    const op = expressionOperators[expr.operator];
    if (!op) throw new SelectorError(`"${expr.operator}" is not a valid label selector operator`);
    reqs.push(newRequirementOrThrow(expr.key, op, expr.values ?? []));
  }
  return sortRequirements(reqs);
}

/**
 * labelSelectorToString renders a metav1.LabelSelector the way Scale.status.selector
 * and `kubectl get -o wide` show it (e.g. `app=web,tier in (a,b)`); '' when it
 * selects everything or nothing.
 */
export function labelSelectorToString(ls: LabelSelector | null | undefined): string {
  const sel = selectorFromLabelSelector(ls);
  return sel === null ? '' : selectorToString(sel);
}

/** matchesLabelSelector tells whether labels satisfy a metav1.LabelSelector (absent matches nothing). */
export function matchesLabelSelector(
  ls: LabelSelector | null | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  return matchesSelector(selectorFromLabelSelector(ls), labels);
}

/** formatLabels renders a label map as `a=b,c=d` sorted by key, or '<none>' when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${(labels as Record<string, string>)[k]}`).join(',');
}

// ---------------------------------------------------------------------------
// Field selectors.

/** FieldRequirement is one clause of a field selector such as `status.phase!=Running`. */
export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text[i + 1];
      i++;
    } else if (ch === sep) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function unescapeFieldValue(value: string, whole: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch !== '\\') {
      if (ch === ',' || ch === '=')
        throw new SelectorError(`invalid field selector: '${whole}'; unescaped '${ch}' in value`);
      out += ch;
      continue;
    }
    const nextCh = value[i + 1];
    if (nextCh === '\\' || nextCh === ',' || nextCh === '=') {
      out += nextCh;
      i++;
    } else {
      throw new SelectorError(`invalid field selector: '${whole}'; invalid escape sequence '\\${nextCh ?? ''}'`);
    }
  }
  return out;
}

function findOperator(part: string): { index: number; op: '=' | '==' | '!=' } | undefined {
  for (let i = 0; i < part.length; i++) {
    const ch = part[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '!' && part[i + 1] === '=') return { index: i, op: '!=' };
    if (ch === '=') return { index: i, op: part[i + 1] === '=' ? '==' : '=' };
  }
  return undefined;
}

/**
 * parseFieldSelector parses `a=b,c!=d,e==f` (values may escape `\,`, `\=`, `\\`);
 * '' yields no requirements. Throws SelectorError with a message like the API server's.
 */
export function parseFieldSelector(text: string): FieldRequirement[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const reqs: FieldRequirement[] = [];
  for (const part of splitUnescaped(trimmed, ',')) {
    const found = findOperator(part);
    if (!found || found.index === 0) {
      throw new SelectorError(`invalid selector: '${text}'; can't understand '${part}'`);
    }
    const field = part.slice(0, found.index).trim();
    const raw = part.slice(found.index + found.op.length).trim();
    reqs.push({ field, operator: found.op === '!=' ? '!=' : '=', value: unescapeFieldValue(raw, text) });
  }
  return reqs;
}

/** fieldSelectorToString renders field requirements back to their query form, escaping values. */
export function fieldSelectorToString(reqs: FieldRequirement[]): string {
  const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');
  return reqs.map((r) => `${r.field}${r.operator}${escape(r.value)}`).join(',');
}

/** matchesFields tells whether a field set satisfies the requirements; absent fields count as ''. */
export function matchesFields(reqs: FieldRequirement[], fields: Record<string, string | undefined>): boolean {
  return reqs.every((r) => {
    const actual = fields[r.field] ?? '';
    return r.operator === '=' ? actual === r.value : actual !== r.value;
  });
}
