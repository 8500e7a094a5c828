// Kubernetes resource quantities ("100m", "1.5", "128Mi", "1e3"): parsing and
// comparison. Shared so the API server validates and the UI displays with the same
// rules.

/** QuantityError is thrown for a string that is not a Kubernetes quantity. */
export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

/** quantityPattern is the syntax the API server documents in its error message. */
export const quantityPattern = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

const binarySuffixes: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const decimalSuffixes: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const shape = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/**
 * parseQuantity returns the value of a quantity in base units (cores, bytes, ...).
 * Numbers are accepted as they are, as the API accepts JSON numbers. Throws
 * QuantityError with the API server's wording.
 */
export function parseQuantity(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new QuantityError('quantities must be finite numbers');
    return input;
  }
  const m = shape.exec(input);
  if (!m) throw new QuantityError(`quantities must match the regular expression '${quantityPattern}'`);
  const [, numberPart, suffix] = m;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(numberPart)) {
    throw new QuantityError(`quantities must match the regular expression '${quantityPattern}'`);
  }
  const base = Number(numberPart);
  let multiplier: number;
  if (suffix in binarySuffixes) multiplier = binarySuffixes[suffix];
  else if (suffix in decimalSuffixes) multiplier = decimalSuffixes[suffix];
  else if (/^[eE][-+]?\d+$/.test(suffix)) multiplier = 10 ** Number(suffix.slice(1));
  else throw new QuantityError("unable to parse quantity's suffix");
  return base * multiplier;
}

/** isQuantity tells whether a value parses as a quantity. */
export function isQuantity(input: unknown): boolean {
  if (typeof input !== 'string' && typeof input !== 'number') return false;
  try {
    parseQuantity(input);
    return true;
  } catch {
    return false;
  }
}

/** quantityMilliValue returns the value in thousandths, rounded up as Kubernetes does (e.g. cpu "0.1" -> 100). */
export function quantityMilliValue(input: string | number): number {
  const v = parseQuantity(input) * 1000;
  const rounded = Math.round(v);
  // Floating point noise (0.1 * 1000 = 100.00000000000001) must not round up.
  return Math.abs(v - rounded) < 1e-6 ? rounded : Math.ceil(v);
}

/** compareQuantities returns <0, 0 or >0 as a is less than, equal to or greater than b. */
export function compareQuantities(a: string | number, b: string | number): number {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  const scale = Math.max(Math.abs(x), Math.abs(y), 1);
  if (Math.abs(x - y) <= scale * 1e-12) return 0;
  return x < y ? -1 : 1;
}

/** formatBytes renders a byte count with a binary suffix for people (e.g. 1536 -> "1.5Ki"). */
export function formatBytes(bytes: number): string {
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
  return `${shown}${units[unit]}`;
}
