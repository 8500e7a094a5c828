// The streaming subresources of pods (log, exec, attach, portforward), routed from
// the API server to the node agent of the pod's node, and spoken to kubectl in its
// wire protocols (WebSocket or SPDY) by src/main/streaming.
import { Writable } from 'node:stream';
import type { KubeObject } from '../../shared/api/meta';
import type { NodeAgent } from '../agent';
import type { LogOptions } from '../agent/logs';
import type { PodRef } from '../agent/streamTarget';
import type { ConnectHandler } from '../apiserver/http/resourceHandler';
import type { UpgradeHandler } from '../apiserver/http/upgrade';
import { writeStatusToSocket } from '../apiserver/http/upgrade';
import { ApiError } from '../errors';
import type { Logger } from '../log';
import { handleAttachUpgrade, handleExecUpgrade, handlePortForwardUpgrade } from '../streaming';

/** AgentLookup finds the running agent of a node. */
export type AgentLookup = (nodeName: string) => NodeAgent | undefined;

function agentFor(agents: AgentLookup, pod: KubeObject): NodeAgent {
  const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  const name = `${pod.metadata.namespace}/${pod.metadata.name}`;
  if (!node) throw new ApiError('BadRequest', `pod ${name} is not scheduled to a node yet`);
  const agent = agents(node);
  if (!agent) throw new ApiError('ServiceUnavailable', `node ${node} of pod ${name} is not reachable`);
  return agent;
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ApiError('BadRequest', `${name}: Invalid value: "${raw}": must be a non-negative integer`);
  return n;
}

/** logConnectHandler serves GET .../pods/NAME/log, streaming as the container writes. */
export function logConnectHandler(agents: AgentLookup): ConnectHandler {
  return async ({ res, object, query }) => {
    const agent = agentFor(agents, object);
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const truthy = (name: string) => query.get(name) === 'true' || query.get(name) === '1';
    const options: LogOptions = {
      follow: truthy('follow'),
      previous: truthy('previous'),
      timestamps: truthy('timestamps'),
      tailLines: intParam(query, 'tailLines'),
      sinceSeconds: intParam(query, 'sinceSeconds'),
      sinceTime: query.get('sinceTime') ?? undefined,
      limitBytes: intParam(query, 'limitBytes'),
      signal: abort.signal,
    };
    let started = false;
    // Headers go out with the first byte, so errors found before it are still a Status.
    const out = new Writable({
      write(chunk, _encoding, done) {
        // The client may have gone away; writing to a finished response would throw.
        if (res.writableEnded || res.destroyed) return done();
        if (!started) {
          started = true;
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-store' });
        }
        res.write(chunk, () => done());
      },
    });
    await agent.podRuntime.logs(object as PodRef, query.get('container') ?? undefined, options, out);
    // Several log lines written at once wait in out's buffer: flush them before ending.
    await new Promise<void>((resolve) => {
      res.once('close', resolve);
      out.end(() => resolve());
    });
    if (res.writableEnded || res.destroyed) return;
    if (!started) res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
    res.end();
  };
}

/** streamingUpgradeHandler serves exec, attach and portforward upgrades through the pod's agent. */
export function streamingUpgradeHandler(agents: AgentLookup, log: Logger): UpgradeHandler {
  return ({ req, socket, head, object, subresource }) => {
    try {
      const agent = agentFor(agents, object);
      const pod = object as PodRef;
      const phase = (object.status as { phase?: string } | undefined)?.phase;
      if (phase !== 'Running' && subresource !== 'attach') {
        throw new ApiError('BadRequest', `unable to upgrade connection: pod is not running (phase ${phase ?? 'Unknown'})`);
      }
      const runtime = agent.podRuntime;
      if (subresource === 'exec') {
        handleExecUpgrade(req, socket, head, { backend: (request) => runtime.exec(pod, request), logger: log });
      } else if (subresource === 'attach') {
        handleAttachUpgrade(req, socket, head, { backend: (request) => runtime.attach(pod, request), logger: log });
      } else {
        handlePortForwardUpgrade(req, socket, head, {
          backend: (port, signal) => runtime.portForward(pod, port, signal),
          target: `pod ${pod.metadata.namespace}/${pod.metadata.name}`,
          logger: log,
        });
      }
    } catch (err) {
      writeStatusToSocket(socket, err);
    }
  };
}
