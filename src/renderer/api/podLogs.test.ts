// The log URL, the cutting of streamed chunks into lines and the timestamps.
import { describe, expect, it } from 'vitest';
import { LineCutter, logText, parseLogLine, podLogUrl, shortTime } from './podLogs';

describe('podLogUrl', () => {
  it('asks for the container, the tail, following and always for timestamps', () => {
    expect(podLogUrl('dev', 'team-a', 'web-1', { container: 'web', follow: true, previous: false, tailLines: 500 })).toBe(
      '/clusters/dev/api/v1/namespaces/team-a/pods/web-1/log?container=web&follow=true&tailLines=500&timestamps=true',
    );
  });

  it('reads the whole log of the previous instance without following', () => {
    expect(podLogUrl('dev', 'default', 'crash', { container: 'app', follow: false, previous: true })).toBe(
      '/clusters/dev/api/v1/namespaces/default/pods/crash/log?container=app&previous=true&timestamps=true',
    );
  });
});

describe('LineCutter', () => {
  it('keeps a line cut between chunks together and keeps empty lines', () => {
    const cutter = new LineCutter();
    expect(cutter.push('first\nsec')).toEqual(['first']);
    expect(cutter.push('ond\n\nthird')).toEqual(['second', '']);
    expect(cutter.end()).toEqual(['third']);
    expect(cutter.end()).toEqual([]);
  });

  it('drops the carriage return a terminal puts before the newline', () => {
    const cutter = new LineCutter();
    expect(cutter.push('hi\r\nthere\r\n')).toEqual(['hi', 'there']);
  });
});

describe('timestamps', () => {
  it('separates the API timestamp from the text', () => {
    expect(parseLogLine('2024-05-01T10:00:03.123456789Z tick 1')).toEqual({ time: '2024-05-01T10:00:03.123456789Z', text: 'tick 1' });
    expect(parseLogLine('2024-05-01T10:00:03+02:00 ')).toEqual({ time: '2024-05-01T10:00:03+02:00', text: '' });
    expect(parseLogLine('no stamp here')).toEqual({ text: 'no stamp here' });
  });

  it('reads a timestamp in a log-like short form', () => {
    expect(shortTime('2024-05-01T10:00:03.123456789Z')).toBe('2024-05-01 10:00:03.123');
    expect(shortTime('2024-05-01T10:00:03Z')).toBe('2024-05-01 10:00:03.000');
    expect(shortTime('yesterday')).toBe('yesterday');
  });

  it('downloads the lines with or without their timestamps', () => {
    const lines = [{ time: '2024-05-01T10:00:03Z', text: 'a' }, { text: 'b' }];
    expect(logText(lines, true)).toBe('2024-05-01T10:00:03Z a\nb\n');
    expect(logText(lines, false)).toBe('a\nb\n');
    expect(logText([], true)).toBe('');
  });
});
