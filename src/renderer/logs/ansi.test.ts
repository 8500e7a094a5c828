import { describe, expect, it } from 'vitest';
import { applySgr, parseAnsi, stripAnsi, xterm256 } from './ansi';

describe('ANSI in log lines', () => {
  it('keeps plain lines as one unstyled segment', () => {
    expect(parseAnsi('GET / 200')).toEqual([{ text: 'GET / 200', style: {} }]);
    expect(parseAnsi('')).toEqual([]);
  });

  it('reads colours and weight and resets them', () => {
    const segments = parseAnsi('\x1b[1;31mERROR\x1b[0m disk \x1b[32mok\x1b[39m.');
    expect(segments).toEqual([
      { text: 'ERROR', style: { bold: true, fg: 1 } },
      { text: ' disk ', style: {} },
      { text: 'ok', style: { fg: 2 } },
      { text: '.', style: {} },
    ]);
  });

  it('reads bright, 256-colour and true-colour codes', () => {
    expect(applySgr({}, '91;104')).toEqual({ fg: 9, bg: 12 });
    expect(applySgr({}, '38;5;3')).toEqual({ fg: 3 });
    expect(applySgr({}, '38;5;196')).toEqual({ fg: xterm256(196) });
    expect(xterm256(196)).toBe('rgb(255, 0, 0)');
    expect(xterm256(244)).toBe('rgb(128, 128, 128)');
    expect(applySgr({ bold: true }, '48;2;10;20;30')).toEqual({ bold: true, bg: 'rgb(10, 20, 30)' });
    expect(applySgr({ bold: true, dim: true, fg: 4 }, '22')).toEqual({ fg: 4 });
  });

  it('drops escapes that are not colours, and the text matches the plain line', () => {
    const line = '\x1b]0;title\x07\x1b[2K\x1b[33mwarn\x1b[m: \x1b[?25lslow';
    expect(stripAnsi(line)).toBe('warn: slow');
    expect(parseAnsi(line).map((s) => s.text).join('')).toBe(stripAnsi(line));
  });
});
