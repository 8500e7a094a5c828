// The ports people can forward: a pod's TCP container ports, a service's TCP ports.
import type { Pod, Service } from '../resources/kubeTypes';
import type { ForwardablePort } from './PortForwardDialog';

/** podForwardablePorts lists a pod's TCP container ports, e.g. "8080 (http) · web". */
export function podForwardablePorts(pod: Pod): ForwardablePort[] {
  const out: ForwardablePort[] = [];
  for (const container of pod.spec?.containers ?? []) {
    for (const port of container.ports ?? []) {
      if (!port.containerPort || (port.protocol && port.protocol !== 'TCP')) continue;
      if (out.some((p) => p.value === String(port.containerPort))) continue;
      out.push({ value: String(port.containerPort), label: `${port.containerPort}${port.name ? ` (${port.name})` : ''} · ${container.name}` });
    }
  }
  return out;
}

/** serviceForwardablePorts lists a service's TCP ports, e.g. "80 (web) → http". */
export function serviceForwardablePorts(service: Service): ForwardablePort[] {
  return (service.spec?.ports ?? [])
    .filter((p) => !p.protocol || p.protocol === 'TCP')
    .map((p) => ({
      value: String(p.port),
      label: `${p.port}${p.name ? ` (${p.name})` : ''}${p.targetPort !== undefined && String(p.targetPort) !== String(p.port) ? ` → ${p.targetPort}` : ''}`,
    }));
}
