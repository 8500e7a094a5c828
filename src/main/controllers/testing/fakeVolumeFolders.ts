// An in-memory stand-in for the cluster's shared volume folder (nodes/sharedVolumes.ts),
// for controller tests that provision volumes without Docker or a real folder.
import type { VolumeFolders } from '../localPathProvisioner';

/** FakeVolumeFolders keeps the shared folder's sub-folders in memory and remembers what was removed. */
export class FakeVolumeFolders implements VolumeFolders {
  readonly folders = new Set<string>();
  readonly removed: string[] = [];

  async create(name: string): Promise<string> {
    this.folders.add(name);
    return `/var/lib/wheelhouse/volumes/${name}`;
  }

  async remove(name: string): Promise<void> {
    this.folders.delete(name);
    this.removed.push(name);
  }

  nameOf(path: string): string | undefined {
    return /^\/var\/lib\/wheelhouse\/volumes\/([^/]+)$/.exec(path)?.[1];
  }
}
