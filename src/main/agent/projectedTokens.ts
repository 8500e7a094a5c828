// Service account tokens for projected volumes, kept the way kubelet's token manager
// keeps them: each serviceAccountToken source of a pod gets a token requested through
// TokenRequest, bound to the pod (so it stops working once the pod is gone), for the
// source's audience and lifetime. Tokens are remembered per pod; once 80% of a
// token's lifetime has passed (or a day, for long ones) a new one is requested and the
// file in the node is replaced atomically (written beside it, then renamed), so a
// client re-reading the file never sees half a token. After an engine restart nothing
// is remembered, so the tokens of running pods are renewed on their first sync.
import type { TokenRequester } from '../apiserver/auth/serviceAccountTokens';
import type { Pod } from '../apiserver/kinds/types';
import { execInContainer } from '../docker/exec';
import { projectedVolumePath, shellQuote, tokenKey, type NodeFiles } from './volumes';

/** TokenProjection is one serviceAccountToken source of a pod's projected volume. */
export interface TokenProjection {
  volume: string;
  path: string;
  audience?: string;
  expirationSeconds: number;
  /** The volume's file mode. */
  mode: number;
}

/** defaultTokenSeconds is a projection's token lifetime when it names none, as in Kubernetes. */
export const defaultTokenSeconds = 3600;

// Tokens are renewed after this share of their lifetime, or after a day at most.
const renewAtShare = 0.8;
const renewAfterMs = 24 * 60 * 60 * 1000;

/** tokenProjections lists the serviceAccountToken sources of a pod's volumes. */
export function tokenProjections(pod: Pod): TokenProjection[] {
  const out: TokenProjection[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    for (const s of v.projected?.sources ?? []) {
      const t = s.serviceAccountToken;
      if (!t?.path) continue;
      out.push({
        volume: v.name ?? '',
        path: t.path,
        audience: t.audience || undefined,
        expirationSeconds: t.expirationSeconds ?? defaultTokenSeconds,
        mode: v.projected?.defaultMode ?? 0o644,
      });
    }
  }
  return out;
}

interface HeldToken {
  token: string;
  issuedAt: number;
  renewAt: number;
}

/** renewTime is when a token issued at issuedAt and expiring at expiresAt should be replaced. */
export function renewTime(issuedAt: number, expiresAt: number): number {
  return Math.min(issuedAt + (expiresAt - issuedAt) * renewAtShare, issuedAt + renewAfterMs);
}

/** ProjectedTokens requests, remembers and renews the projected tokens of the pods on one node. */
export class ProjectedTokens {
  private readonly held = new Map<string, Map<string, HeldToken>>();

  constructor(
    private readonly request: TokenRequester | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  private async fetch(pod: Pod, projection: TokenProjection): Promise<HeldToken> {
    if (!this.request) throw new Error('this node cannot request service account tokens');
    const namespace = pod.metadata.namespace ?? 'default';
    const issuedAt = this.now();
    const answer = await this.request(namespace, pod.spec?.serviceAccountName || 'default', {
      audiences: projection.audience ? [projection.audience] : undefined,
      expirationSeconds: projection.expirationSeconds,
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.metadata.name, uid: pod.metadata.uid },
    });
    const expiresAt = Date.parse(answer.status.expirationTimestamp);
    const held = { token: answer.status.token, issuedAt, renewAt: renewTime(issuedAt, expiresAt) };
    const uid = pod.metadata.uid ?? '';
    const tokens = this.held.get(uid) ?? new Map<string, HeldToken>();
    tokens.set(tokenKey(projection.volume, projection.path), held);
    this.held.set(uid, tokens);
    return held;
  }

  private current(pod: Pod, projection: TokenProjection): HeldToken | undefined {
    const held = this.held.get(pod.metadata.uid ?? '')?.get(tokenKey(projection.volume, projection.path));
    return held && held.renewAt > this.now() ? held : undefined;
  }

  /**
   * tokensFor returns a token for each projection of the pod (by tokenKey), requesting
   * those not held or due for renewal. A failed request rejects with its error.
   */
  async tokensFor(pod: Pod): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const projection of tokenProjections(pod)) {
      const held = this.current(pod, projection) ?? (await this.fetch(pod, projection));
      out.set(tokenKey(projection.volume, projection.path), held.token);
    }
    return out;
  }

  /**
   * renew replaces, in the node, the token files of a pod whose volumes exist and whose
   * tokens are due (or unknown, after a restart). It resolves with the milliseconds until
   * the next token is due, or undefined when the pod has none.
   */
  async renew(node: NodeFiles, pod: Pod): Promise<number | undefined> {
    const projections = tokenProjections(pod);
    if (projections.length === 0) return undefined;
    const uid = pod.metadata.uid ?? '';
    for (const projection of projections) {
      if (this.current(pod, projection)) continue;
      const held = await this.fetch(pod, projection);
      await writeTokenFile(node, projectedVolumePath(uid, projection.volume), projection.path, held.token, projection.mode);
    }
    const due = Math.min(...[...(this.held.get(uid)?.values() ?? [])].map((t) => t.renewAt));
    return Math.max(1000, due - this.now());
  }

  /** forget drops the tokens of a pod that is gone. */
  forget(uid: string): void {
    this.held.delete(uid);
  }
}

/** writeTokenFile writes a token into a volume folder of the node: a new file beside the old one, then renamed over it. */
async function writeTokenFile(node: NodeFiles, dir: string, path: string, token: string, mode: number): Promise<void> {
  const parts = path.split('/').filter((p) => p && p !== '.' && p !== '..');
  const file = `${dir}/${parts.join('/')}`;
  const parent = file.slice(0, file.lastIndexOf('/'));
  const fresh = `${parent}/..${parts[parts.length - 1]}.new`;
  const script = [
    'set -e',
    `mkdir -p ${shellQuote(parent)}`,
    `cat > ${shellQuote(fresh)}`,
    `chmod ${mode.toString(8)} ${shellQuote(fresh)}`,
    `mv -f ${shellQuote(fresh)} ${shellQuote(file)}`,
  ].join('\n');
  const result = await execInContainer(node.hostDocker, node.nodeContainer, ['sh', '-c', script], { stdin: token });
  if (result.exitCode !== 0) throw new Error(`could not write the token file ${path}: ${(result.stderr || result.stdout).trim()}`);
}
