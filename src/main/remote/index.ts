// Remote clusters: kubeconfig contexts imported so the UI and CLI work against real
// clusters through the gateway. kubeconfig.ts reads kubeconfigs, remoteStore.ts keeps
// the imported contexts (credentials encrypted), remoteProxy.ts carries requests to
// their API servers, and remoteClusters.ts ties these together for the engine.
export { listContexts, parseKubeconfig, readKubeconfigFile, resolveContext, suggestClusterName, type Kubeconfig, type RemoteCredentials, type ResolvedContext } from './kubeconfig';
export { RemoteClusters, pastedSource, type RemoteClustersOptions } from './remoteClusters';
export { createRemoteProxy, forwardedRequestHeaders, type ProbeResult, type RemoteProxy } from './remoteProxy';
export { RemoteStore, remoteDir, remoteFiles, type RemoteRecord } from './remoteStore';
