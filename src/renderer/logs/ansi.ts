// ANSI escape sequences in log lines: the SGR codes programs use for colour and
// weight are read into styled segments; every other escape (cursor moves, titles) is
// dropped, since a log line is drawn once and never redrawn in place.

/** AnsiStyle is the look of a run of text. A number colour is one of the 16 palette colours (themed in CSS); a string is an exact CSS colour. */
export interface AnsiStyle {
  fg?: number | string;
  bg?: number | string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

/** AnsiSegment is a run of text in one style. */
export interface AnsiSegment {
  text: string;
  style: AnsiStyle;
}

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST) and two-byte escapes.
// eslint-disable-next-line no-control-regex -- escape sequences are what this module reads.
const escapePattern = /\x1b\[([0-?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?/g;

/** hasAnsi says whether a line carries any escape sequence (most lines do not, and skip the parser). */
export function hasAnsi(text: string): boolean {
  return text.includes('\x1b');
}

/** stripAnsi returns the text people read: the line without its escape sequences. */
export function stripAnsi(text: string): string {
  return hasAnsi(text) ? text.replace(escapePattern, '') : text;
}

const cube = [0, 95, 135, 175, 215, 255];

/** xterm256 is the CSS colour of one of the 256 xterm colours above the 16 of the palette. */
export function xterm256(n: number): string {
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v}, ${v}, ${v})`;
  }
  const i = n - 16;
  return `rgb(${cube[Math.floor(i / 36) % 6]}, ${cube[Math.floor(i / 6) % 6]}, ${cube[i % 6]})`;
}

// Reads 38/48 extended colours (5;N or 2;R;G;B) starting at codes[i]; returns the colour and the codes used.
function extendedColour(codes: number[], i: number): { colour?: number | string; used: number } {
  const mode = codes[i + 1];
  if (mode === 5 && codes[i + 2] !== undefined) {
    const n = codes[i + 2];
    return { colour: n < 16 ? n : xterm256(Math.min(n, 255)), used: 2 };
  }
  if (mode === 2 && codes[i + 4] !== undefined) {
    const [r, g, b] = codes.slice(i + 2, i + 5).map((v) => Math.min(255, Math.max(0, v)));
    return { colour: `rgb(${r}, ${g}, ${b})`, used: 4 };
  }
  return { used: codes.length - i - 1 };
}

/** applySgr returns the style after one SGR sequence's parameters (e.g. "1;31"). */
export function applySgr(style: AnsiStyle, params: string): AnsiStyle {
  const next: AnsiStyle = { ...style };
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code === 0) for (const key of Object.keys(next) as (keyof AnsiStyle)[]) delete next[key];
    else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 3) next.italic = true;
    else if (code === 4) next.underline = true;
    else if (code === 7) next.inverse = true;
    else if (code === 22) {
      delete next.bold;
      delete next.dim;
    } else if (code === 23) delete next.italic;
    else if (code === 24) delete next.underline;
    else if (code === 27) delete next.inverse;
    else if (code >= 30 && code <= 37) next.fg = code - 30;
    else if (code >= 90 && code <= 97) next.fg = code - 90 + 8;
    else if (code >= 40 && code <= 47) next.bg = code - 40;
    else if (code >= 100 && code <= 107) next.bg = code - 100 + 8;
    else if (code === 39) delete next.fg;
    else if (code === 49) delete next.bg;
    else if (code === 38 || code === 48) {
      const { colour, used } = extendedColour(codes, i);
      if (colour !== undefined) next[code === 38 ? 'fg' : 'bg'] = colour;
      i += used;
    }
  }
  return next;
}

/**
 * parseAnsi splits a line into styled segments. The segments' texts joined are
 * exactly stripAnsi(text), so offsets found in the plain text (search matches) map
 * onto the segments.
 */
export function parseAnsi(text: string): AnsiSegment[] {
  if (!hasAnsi(text)) return text === '' ? [] : [{ text, style: {} }];
  const segments: AnsiSegment[] = [];
  let style: AnsiStyle = {};
  let last = 0;
  const push = (part: string) => {
    if (part === '') return;
    const previous = segments[segments.length - 1];
    if (previous && previous.style === style) previous.text += part;
    else segments.push({ text: part, style });
  };
  escapePattern.lastIndex = 0;
  for (let match = escapePattern.exec(text); match; match = escapePattern.exec(text)) {
    push(text.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[2] === 'm') style = applySgr(style, match[1] ?? '');
  }
  push(text.slice(last));
  return segments;
}
