// Worker nodes: the node image (wheelhouse/node), the per-cluster node PKI, and the
// Docker-in-Docker node containers with their pod networks. A node agent gets what it
// needs from NodeProvider.runtime(node). Test-only helpers live in testImages.ts.
export * from './nodeContainer';
export * from './nodeImage';
export * from './sharedVolumes';
export * from './tls';
