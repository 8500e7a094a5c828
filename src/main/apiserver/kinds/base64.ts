// Strict base64 checking for Secret data and ConfigMap binaryData, with the error
// wording of Go's decoder that Kubernetes clients are used to.

const alphabet = /[A-Za-z0-9+/]/;

/**
 * base64Problem returns why a string is not standard padded base64 (e.g. "illegal
 * base64 data at input byte 4"), or undefined when it decodes. Line breaks are
 * ignored, as the API server ignores them.
 */
export function base64Problem(value: string): string | undefined {
  const text = value.replace(/[\r\n]/g, '');
  let i = 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === '=') break;
    if (!alphabet.test(ch)) return `illegal base64 data at input byte ${i}`;
  }
  const dataLength = i;
  const padding = text.length - dataLength;
  if (padding > 2 || text.slice(dataLength).replace(/=/g, '') !== '') {
    return `illegal base64 data at input byte ${dataLength}`;
  }
  if (text.length % 4 !== 0) return `illegal base64 data at input byte ${Math.floor(text.length / 4) * 4}`;
  if (padding > 0 && dataLength % 4 < 2) return `illegal base64 data at input byte ${dataLength}`;
  return undefined;
}

/** decodedLength returns the number of bytes a valid base64 string decodes to. */
export function decodedLength(value: string): number {
  return Buffer.from(value.replace(/[\r\n]/g, ''), 'base64').length;
}
