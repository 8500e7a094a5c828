// The node agent (kubelet) of a worker node: startNodeAgent registers the Node, keeps
// its Lease fresh, runs the pods bound to the node in the node's dockerd, and exposes
// logs, exec, attach and port-forward for the API server's streaming endpoints.
export { startNodeAgent, type NodeAgent, type NodeAgentOptions, type PodRuntime } from './agent';
export type { LogOptions } from './logs';
export type { PodRef } from './streamTarget';
export { agentLabels } from './labels';
export { pauseImageTag, ensurePauseImage } from './pauseImage';
export { nodeLeaseNamespace } from './nodeStatus';
