// The shared volume folder with the real host Docker: folders are made on the host,
// writable by every user, and removed through a throwaway container of the node image
// when no node runs (removal through a running node is covered by the storage tests).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { requireDocker } from '../testing/requireDocker';
import { inspectImage } from '../docker/images';
import { nodeImageTag } from './nodeImage';
import { SharedVolumes } from './sharedVolumes';

const docker = new Docker();
const ready = (await requireDocker('shared volumes')) && (await hasNodeImage());

async function hasNodeImage(): Promise<boolean> {
  if (await inspectImage(docker, nodeImageTag())) return true;
  const reason = `shared volumes: the node image ${nodeImageTag()} is not built (wheelhouse node-image build).`;
  if (process.env.CI) throw new Error(`${reason} CI is set, so this is a failure, not a skip.`);
  console.warn(`SKIPPED ${reason}`);
  return false;
}

describe.skipIf(!ready)('shared volume folder', () => {
  const hostDir = mkdtempSync(join(tmpdir(), 'wh-test-volumes-'));
  afterAll(() => rmSync(hostDir, { recursive: true, force: true }));

  it('makes folders every pod user can write, and removes one or all with what they hold without a running node', async () => {
    const volumes = new SharedVolumes({ hostDir, docker, nodes: () => undefined });
    expect(await volumes.create('pvc-1_default_data')).toBe('/var/lib/wheelhouse/volumes/pvc-1_default_data');
    await volumes.create('pvc-2_default_other');
    expect(statSync(join(hostDir, 'pvc-1_default_data')).mode & 0o777).toBe(0o777);
    expect(volumes.nameOf('/var/lib/wheelhouse/volumes/pvc-1_default_data')).toBe('pvc-1_default_data');
    expect(volumes.nameOf('/var/lib/wheelhouse/volumes/../etc')).toBeUndefined();
    expect(volumes.nameOf('/srv/data')).toBeUndefined();

    mkdirSync(join(hostDir, 'pvc-1_default_data', 'deep', 'er'), { recursive: true, mode: 0o700 });
    writeFileSync(join(hostDir, 'pvc-1_default_data', 'deep', 'er', 'file'), 'data');
    await volumes.remove('pvc-1_default_data');
    expect(existsSync(join(hostDir, 'pvc-1_default_data'))).toBe(false);
    expect(existsSync(join(hostDir, 'pvc-2_default_other'))).toBe(true);
    // Removing what is gone already is fine; names that could escape the folder are refused.
    await volumes.remove('pvc-1_default_data');
    await expect(volumes.remove('..')).rejects.toThrow(/not a valid volume folder name/);
    await expect(volumes.create('a/b')).rejects.toThrow(/not a valid volume folder name/);

    // Emptying the whole folder, as deleting the cluster does.
    writeFileSync(join(hostDir, 'pvc-2_default_other', 'file'), 'data');
    await volumes.create('pvc-3_default_third');
    await volumes.clear();
    expect(readdirSync(hostDir)).toEqual([]);
  });
});
