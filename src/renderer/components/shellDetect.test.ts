import { describe, expect, it } from 'vitest';
import { nextShell, shellMissing, shellNote } from './shellDetect';

const runtimeMessage = 'OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown\r\n';

describe('finding a shell', () => {
  it('recognises a program missing from the image', () => {
    expect(shellMissing({ exitCode: 126 }, runtimeMessage, false)).toBe(true);
    expect(shellMissing({ exitCode: 127 }, 'sh: bash: not found', false)).toBe(true);
    expect(shellMissing({ error: 'exec: "bash": executable file not found in $PATH' }, '', false)).toBe(true);
  });

  it('does not mistake a shell that ran and exited for a missing one', () => {
    expect(shellMissing({ exitCode: 127 }, runtimeMessage, true)).toBe(false);
    expect(shellMissing({ exitCode: 0 }, '', false)).toBe(false);
    expect(shellMissing({ exitCode: 126 }, 'permission denied', false)).toBe(false);
    expect(shellMissing({ error: 'container web is not running' }, '', false)).toBe(false);
  });

  it('tries bash, then sh, then gives up', () => {
    expect(nextShell([])).toBe('bash');
    expect(nextShell(['bash'])).toBe('sh');
    expect(nextShell(['bash', 'sh'])).toBeUndefined();
  });

  it('says which shell runs, which were missing, or that there is none', () => {
    expect(shellNote([], 'bash')).toEqual({ key: 'terminal.shell.using', values: { shell: 'bash' } });
    expect(shellNote(['bash'], 'sh')).toEqual({ key: 'terminal.shell.fallback', values: { missing: 'bash', shell: 'sh' } });
    expect(shellNote(['bash', 'sh'], undefined)).toEqual({ key: 'terminal.shell.none', values: {} });
  });
});
