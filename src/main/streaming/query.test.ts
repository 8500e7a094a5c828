// Parsing of exec/attach query strings, with the API server's rules for booleans.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors';
import { parseRemoteCommandQuery, queryBool } from './query';

describe('parseRemoteCommandQuery', () => {
  it('reads a kubectl exec URL', () => {
    const url =
      '/api/v1/namespaces/default/pods/p/exec?command=sh&command=-c&command=echo+hi&container=c&stderr=true&stdout=true';
    expect(parseRemoteCommandQuery(url, 'exec')).toEqual({
      command: ['sh', '-c', 'echo hi'],
      container: 'c',
      stdin: false,
      stdout: true,
      stderr: true,
      tty: false,
    });
  });

  it('drops stderr under a TTY, where it shares stdout', () => {
    const q = parseRemoteCommandQuery('command=sh&stdin=true&stdout=true&stderr=true&tty=true', 'exec');
    expect(q).toMatchObject({ stdin: true, stdout: true, stderr: false, tty: true });
  });

  it('answers BadRequest when there is no command to run', () => {
    const err = catchError(() => parseRemoteCommandQuery('stdout=true', 'exec'));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(400);
    expect((err as ApiError).message).toMatch(/at least one command/);
  });

  it('answers BadRequest when no stream is asked for', () => {
    expect(() => parseRemoteCommandQuery('command=ls', 'exec')).toThrow(/at least 1 of stdin, stdout, stderr/);
  });

  it('needs no command for attach', () => {
    expect(parseRemoteCommandQuery('?stdout=1&container=main', 'attach')).toMatchObject({
      command: [],
      container: 'main',
      stdout: true,
    });
  });
});

describe('queryBool', () => {
  it('treats absent, "false" and "0" as false and anything else, even empty, as true', () => {
    const params = new URLSearchParams('a=true&b=1&c=&d=false&e=0&f=FALSE&g=yes');
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'missing'].map((n) => queryBool(params, n))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      true,
      false,
    ]);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}
