// The cluster's shared volume folder: <cluster dir>/volumes on the host, bind-mounted
// at /var/lib/wheelhouse/volumes in every node container. A PersistentVolume of the
// local-path provisioner is one sub-folder, so its data is the same whichever node a
// pod lands on, and it outlives pods, node restarts and engine restarts.
//
// Folders are made on the host by the engine (owned by the engine's user, mode 0777 so
// any pod user may write). Pods run as root inside the nodes, so what they write is
// often root-owned and the engine's user could not delete it; removal therefore runs
// `rm -rf` as root inside a running node (every node sees the folder), or, when no
// node runs, in a throwaway container of the node image with the same bind mount.
import { chmod, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { NodeProvider } from './nodeContainer';
import { nodeImageTag } from './nodeImage';

/** nodeVolumesPath is where the shared volume folder appears inside every node. */
export const nodeVolumesPath = '/var/lib/wheelhouse/volumes';

const folderName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

/** isVolumeFolderName tells whether name is a plain folder name (no slashes, not . or ..). */
export function isVolumeFolderName(name: string): boolean {
  return folderName.test(name) && name !== '.' && name !== '..';
}

/** SharedVolumesOptions say where the folder is and how to reach the nodes. */
export interface SharedVolumesOptions {
  /** The host folder bind-mounted into the nodes (ClusterPaths.volumes). */
  hostDir: string;
  /** The host Docker, for the throwaway container. */
  docker: Docker;
  /** The cluster's nodes, to run the removal in one of them; undefined while the nodes are not up yet. */
  nodes: () => Pick<NodeProvider, 'listNodes' | 'exec'> | undefined;
  /** The image of the throwaway container (default the node image). */
  image?: string;
}

/** SharedVolumes creates and removes PersistentVolume folders in the shared volume folder. */
export class SharedVolumes {
  constructor(private readonly options: SharedVolumesOptions) {}

  /** nodePath is where a folder is seen inside the nodes. */
  nodePath(name: string): string {
    return `${nodeVolumesPath}/${name}`;
  }

  /** nameOf returns the folder name of a path inside the nodes, or undefined when the path is not directly in the shared folder. */
  nameOf(path: string): string | undefined {
    const prefix = `${nodeVolumesPath}/`;
    if (!path.startsWith(prefix)) return undefined;
    const name = path.slice(prefix.length).replace(/\/+$/, '');
    return isVolumeFolderName(name) ? name : undefined;
  }

  /** create makes a folder (writable by every pod user) and returns its path inside the nodes. */
  async create(name: string): Promise<string> {
    this.check(name);
    const dir = join(this.options.hostDir, name);
    await mkdir(dir, { recursive: true });
    // mkdir honours the umask; pods running as any user must be able to write.
    await chmod(dir, 0o777);
    return this.nodePath(name);
  }

  /** remove deletes a folder and everything in it; a folder that is already gone is not an error. */
  async remove(name: string): Promise<void> {
    this.check(name);
    await this.removeFolders([name]);
  }

  /** clear deletes every folder, e.g. before the cluster's data dir goes; pods must be gone by then. */
  async clear(): Promise<void> {
    const names = await readdir(this.options.hostDir).catch(() => [] as string[]);
    const folders = names.filter(isVolumeFolderName);
    if (folders.length > 0) await this.removeFolders(folders);
  }

  private async removeFolders(names: string[]): Promise<void> {
    const nodes = this.options.nodes();
    const running = nodes ? (await nodes.listNodes()).filter((n) => n.state === 'running') : [];
    for (const node of running) {
      const result = await nodes!.exec(node, ['rm', '-rf', '--', ...names.map((n) => this.nodePath(n))]).catch(() => undefined);
      if (result?.exitCode === 0) return;
    }
    if (await this.removeInThrowawayContainer(names)) return;
    // Without a node or its image, the engine's own rights are the last resort.
    for (const name of names) await rm(join(this.options.hostDir, name), { recursive: true, force: true });
  }

  private async removeInThrowawayContainer(names: string[]): Promise<boolean> {
    const { docker, hostDir } = this.options;
    let container: Docker.Container | undefined;
    try {
      container = await docker.createContainer({
        Image: this.options.image ?? nodeImageTag(),
        Entrypoint: ['rm', '-rf', '--', ...names.map((n) => `/volumes/${n}`)],
        Cmd: [],
        HostConfig: { Binds: [`${hostDir}:/volumes`], NetworkMode: 'none' },
        Labels: { 'io.wheelhouse.purpose': 'volume-cleanup' },
      });
      await container.start();
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      return StatusCode === 0;
    } catch {
      // No node image (or no Docker): the caller falls back to the engine's own rights.
      return false;
    } finally {
      await container?.remove({ force: true }).catch(() => undefined);
    }
  }

  private check(name: string): void {
    if (!isVolumeFolderName(name)) throw new Error(`"${name}" is not a valid volume folder name.`);
  }
}
