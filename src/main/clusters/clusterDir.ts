// The on-disk layout of a local cluster, and its small record file.
//   DATA_DIR/clusters/NAME/cluster.json   the record below (replaced atomically)
//   DATA_DIR/clusters/NAME/store.db       the cluster's store (SQLite)
//   DATA_DIR/clusters/NAME/pki/           the cluster CA, serving and client certs
//   DATA_DIR/clusters/NAME/volumes/       PersistentVolume data, bind-mounted into every node
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** ClusterRecord is what the engine remembers about a cluster between launches. */
export interface ClusterRecord {
  name: string;
  workers: number;
  createdAt: string;
  /** What the user last asked for; on launch, clusters that should run are started. */
  desired: 'running' | 'stopped';
  /** The API server port, kept across restarts so kubeconfigs stay valid. */
  apiPort?: number;
  /** Seconds pods stay on an unreachable node before eviction (default 30). */
  evictionTimeoutSeconds?: number;
}

/** ClusterPaths names the files of one cluster. */
export interface ClusterPaths {
  dir: string;
  record: string;
  store: string;
  pki: string;
  /** PersistentVolume folders of the local-path provisioner (see nodes/sharedVolumes.ts). */
  volumes: string;
}

/** clustersRoot is the folder that holds one folder per cluster. */
export function clustersRoot(dataDir: string): string {
  return join(dataDir, 'clusters');
}

/** clusterPaths returns the paths of one cluster's files. */
export function clusterPaths(dataDir: string, name: string): ClusterPaths {
  const dir = join(clustersRoot(dataDir), name);
  return { dir, record: join(dir, 'cluster.json'), store: join(dir, 'store.db'), pki: join(dir, 'pki'), volumes: join(dir, 'volumes') };
}

/** readRecord reads a cluster's record, or undefined when it has none. */
export function readRecord(paths: ClusterPaths): ClusterRecord | undefined {
  if (!existsSync(paths.record)) return undefined;
  return JSON.parse(readFileSync(paths.record, 'utf8')) as ClusterRecord;
}

/** writeRecord replaces a cluster's record atomically. */
export function writeRecord(paths: ClusterPaths, record: ClusterRecord): void {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const tmp = `${paths.record}.tmp`;
  writeFileSync(tmp, JSON.stringify(record, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, paths.record);
}

/** listClusterNames lists the clusters that have a record in the data dir. */
export function listClusterNames(dataDir: string): string[] {
  const root = clustersRoot(dataDir);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, e.name, 'cluster.json')))
    .map((e) => e.name)
    .sort();
}

/** clusterNameProblem explains what is wrong with a cluster name (the rule lives in src/shared/clusterName). */
export { clusterNameProblem } from '../../shared/clusterName';
