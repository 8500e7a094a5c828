// kube-proxy: the Service rules inside every node (iptables NAT programmed through
// Docker exec), the pure rule generation behind them, and the cluster DNS Service
// whose address is sent to the engine's DNS server.
export { startKubeProxy, type KubeProxy, type KubeProxyOptions } from './kubeProxy';
export { dnsService, ensureDnsService } from './dnsService';
export { dnsServiceIp, dnsServiceName, dnsServiceNamespace, servicePorts, type DnsTarget } from './serviceModel';
export { buildProxyRules, type ProxyEndpoint, type ProxyRuleSet, type ProxyServicePort } from './rules';
