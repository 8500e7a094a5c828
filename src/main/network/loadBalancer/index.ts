// The desktop load balancer (the cloud-controller-manager's part): LoadBalancer
// Services served on 127.0.0.1, carried into the cluster through a node.
export {
  formatHostPorts,
  hostPortsAnnotation,
  parseHostPorts,
  startLoadBalancers,
  type LoadBalancerListener,
  type LoadBalancerOptions,
  type LoadBalancers,
} from './loadBalancer';
export { canReachNodes, chooseTransport, type ServiceTarget, type Transport, type TransportKind } from './transport';
