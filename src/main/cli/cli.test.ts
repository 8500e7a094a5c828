// The CLI speaks to people: help on every command, one sentence per mistake.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError, parseArgs } from './args';
import { commands, main } from './index';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  return { out: () => out.join(''), err: () => err.join('') };
}

afterEach(() => vi.restoreAllMocks());

describe('parseArgs', () => {
  const specs = { port: { type: 'string' as const, description: '' }, open: { type: 'boolean' as const, description: '' } };

  it('reads positionals and both flag spellings', () => {
    expect(parseArgs(['a', '--port', '80', '--open', 'b'], specs)).toEqual({ positionals: ['a', 'b'], flags: { port: '80', open: true } });
    expect(parseArgs(['--port=81'], specs).flags.port).toBe('81');
  });

  it('explains mistakes in a sentence', () => {
    expect(() => parseArgs(['--nope'], specs)).toThrow(new UsageError('Unknown option --nope.'));
    expect(() => parseArgs(['--port'], specs)).toThrow(/needs a value/);
    expect(() => parseArgs(['--open=yes'], specs)).toThrow(/takes no value/);
  });
});

describe('wheelhouse', () => {
  it('prints help for every command', async () => {
    for (const command of commands) {
      const io = capture();
      expect(await main([...command.path, '--help'])).toBe(0);
      expect(io.out()).toContain(`Usage: wheelhouse ${command.path.join(' ')}`);
      vi.restoreAllMocks();
    }
  });

  it('lists the commands with --help', async () => {
    const io = capture();
    expect(await main(['--help'])).toBe(0);
    for (const word of ['serve', 'status', 'version', 'cluster', 'kubeconfig', 'node-image']) expect(io.out()).toContain(word);
  });

  it('says when a command does not exist', async () => {
    const io = capture();
    expect(await main(['frobnicate'])).toBe(2);
    expect(io.err()).toBe('"frobnicate" is not a wheelhouse command. Run `wheelhouse --help` to see the commands.\n');
  });

  it('says when a cluster subcommand does not exist', async () => {
    const io = capture();
    expect(await main(['cluster', 'explode'])).toBe(2);
    expect(io.err()).toMatch(/"explode" is not a `wheelhouse cluster` command/);
  });

  it('lists nested command groups and their commands', async () => {
    const io = capture();
    expect(await main(['cluster', '--help'])).toBe(0);
    expect(io.out()).toMatch(/^ {2}node \.\.\.\s+Add and remove worker nodes of a running cluster\.$/m);
    const nested = capture();
    expect(await main(['cluster', 'node', '--help'])).toBe(0);
    expect(nested.out()).toMatch(/^ {2}add NAME\s+Add a worker node/m);
    expect(nested.out()).toMatch(/^ {2}remove NAME/m);
    const wrong = capture();
    expect(await main(['cluster', 'node', 'explode'])).toBe(2);
    expect(wrong.err()).toMatch(/"explode" is not a `wheelhouse cluster node` command/);
  });

  it('explains that no engine is running instead of failing obscurely', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wh-cli-'));
    try {
      const io = capture();
      expect(await main(['cluster', 'list', '--data-dir', dir])).toBe(1);
      expect(io.err()).toContain(`Wheelhouse is not running for data dir ${dir}.`);
      expect(io.err()).not.toMatch(/at .*\.ts:\d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asks for a missing cluster name', async () => {
    const io = capture();
    expect(await main(['cluster', 'create'])).toBe(2);
    expect(io.err()).toMatch(/^Missing the cluster NAME\./);
  });
});
