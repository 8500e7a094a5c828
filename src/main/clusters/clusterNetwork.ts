// Where a cluster's in-engine network services (cluster DNS) listen so that pods in
// the node containers can reach them: the gateway address of the cluster's Docker
// network, which on Linux is an address of the host itself. Nothing listens on
// other host addresses, so these services are reachable only from the cluster's own
// containers (and the host).
import type Docker from 'dockerode';
import { ApiError } from '../errors';

/** clusterNetworkGateway returns the gateway IPv4 address of a Docker network. */
export async function clusterNetworkGateway(docker: Docker, network: string): Promise<string> {
  const info = (await docker.getNetwork(network).inspect()) as { IPAM?: { Config?: { Gateway?: string }[] } };
  const gateway = info.IPAM?.Config?.map((c) => c.Gateway).find((g) => g && /^\d+\.\d+\.\d+\.\d+$/.test(g));
  if (!gateway) throw new ApiError('InternalError', `The Docker network ${network} has no IPv4 gateway for cluster DNS to listen on.`);
  return gateway;
}

/** clusterNetworkSubnet returns the IPv4 subnet (CIDR) of a Docker network, where its nodes have their addresses. */
export async function clusterNetworkSubnet(docker: Docker, network: string): Promise<string | undefined> {
  const info = (await docker.getNetwork(network).inspect()) as { IPAM?: { Config?: { Subnet?: string }[] } };
  return info.IPAM?.Config?.map((c) => c.Subnet).find((s) => s && /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s));
}
