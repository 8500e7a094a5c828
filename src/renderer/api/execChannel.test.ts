// The exec channel protocol: URLs, frames, and reading how a command ended.
import { describe, expect, it } from 'vitest';
import { execOutcome, execPath, nodeShellPath, readFrame, resizeFrame, splitCommand, stdinFrame, webSocketUrl } from './execChannel';

describe('execPath', () => {
  it('asks for stdin, stdout and a TTY, one command argument per parameter', () => {
    expect(execPath('dev', 'default', 'web', { container: 'web', command: ['sh', '-c', 'echo hi'], tty: true })).toBe(
      '/clusters/dev/api/v1/namespaces/default/pods/web/exec?container=web&command=sh&command=-c&command=echo+hi&stdin=true&stdout=true&tty=true',
    );
  });

  it('asks for stderr when there is no TTY', () => {
    expect(execPath('dev', 'default', 'web', { container: 'web', command: ['ls'], tty: false })).toContain('stderr=true');
  });

  it('turns the page origin into a WebSocket origin', () => {
    expect(webSocketUrl('/clusters/dev/x?y=1', 'http://127.0.0.1:4000/#/pods')).toBe('ws://127.0.0.1:4000/clusters/dev/x?y=1');
    expect(webSocketUrl('/a', 'https://example.test/')).toBe('wss://example.test/a');
  });
});

describe('frames', () => {
  it('puts the channel number in front of the bytes', () => {
    expect([...stdinFrame('ls\r')]).toEqual([0, 108, 115, 13]);
    expect(new TextDecoder().decode(resizeFrame(120, 40).subarray(1))).toBe('{"Width":120,"Height":40}');
    expect(resizeFrame(1, 1)[0]).toBe(4);
  });

  it('reads the channel of a received message', () => {
    const frame = readFrame(new Uint8Array([1, 104, 105]).buffer);
    expect(frame?.channel).toBe(1);
    expect(new TextDecoder().decode(frame?.payload)).toBe('hi');
    expect(readFrame(new ArrayBuffer(0))).toBeUndefined();
  });
});

describe('execOutcome', () => {
  it('reads success as exit code 0 and a non-zero exit as its code', () => {
    expect(execOutcome('{"metadata":{},"status":"Success"}')).toEqual({ exitCode: 0 });
    expect(
      execOutcome(
        '{"status":"Failure","message":"command terminated with non-zero exit code","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}',
      ),
    ).toEqual({ exitCode: 3 });
  });

  it('passes any other failure on as the API sentence', () => {
    expect(execOutcome('{"status":"Failure","message":"executable file not found: bash","reason":"InternalError"}')).toEqual({
      error: 'executable file not found: bash',
    });
    expect(execOutcome('not json')).toEqual({ error: 'not json' });
  });
});

describe('splitCommand', () => {
  it('splits on spaces and keeps quoted words together', () => {
    expect(splitCommand('sh')).toEqual(['sh']);
    expect(splitCommand(`  sh -c "echo hi there" 'a b' `)).toEqual(['sh', '-c', 'echo hi there', 'a b']);
    expect(splitCommand('')).toEqual([]);
  });
});

describe('nodeShellPath', () => {
  it('asks the app API for a shell in a node container with a terminal', () => {
    expect(nodeShellPath('dev', 'worker-1', ['sh'])).toBe('/api/app/clusters/dev/nodes/worker-1/shell?command=sh&stdin=true&stdout=true&tty=true');
  });
});
