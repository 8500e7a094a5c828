// The cluster DNS (the role CoreDNS plays in kubeadm clusters): one server per
// cluster in the engine process, answering <svc>.<ns>.svc.cluster.local and friends
// from informer caches and forwarding other names to the host's resolvers.
// resolveClusterName is the pure record logic; startClusterDns runs the server.
export {
  startClusterDns,
  endpointSlicesResource,
  endpointsResource,
  type ClusterDns,
  type ClusterDnsOptions,
} from './clusterDns';
export {
  ClusterView,
  serviceNameLabel,
  type ClusterViewObjects,
  type DnsEndpoint,
  type DnsEndpointPort,
  type DnsView,
} from './clusterView';
export {
  resolveClusterName,
  inClusterZone,
  defaultZone,
  defaultTtl,
  type ClusterAnswer,
  type ClusterRcode,
  type PodRecords,
  type ResolveOptions,
} from './resolver';
export {
  Forwarder,
  parseResolvConf,
  parseUpstream,
  systemUpstreams,
  defaultUpstreamTimeoutMs,
  type Upstream,
} from './upstream';
