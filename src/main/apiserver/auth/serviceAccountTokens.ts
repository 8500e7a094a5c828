// Service account tokens as Kubernetes issues them: bound, expiring JWTs signed with
// ES256 by a per-cluster key (pki/sa.key, created on first use), with the usual claims
// (iss, aud, exp, iat, nbf, jti, sub system:serviceaccount:NS:NAME and kubernetes.io
// {namespace, serviceaccount, pod | secret}). The authenticator checks the signature,
// issuer, audience and expiry, and then that the service account (and the pod or
// secret the token is bound to) still exists with the same uid, so deleting one
// revokes its tokens. tokenRequestHandler serves the serviceaccounts/token
// subresource (TokenRequest), which `kubectl create token` uses; tokenRequester asks
// for the same tokens in-process, for the node agents' projected token volumes.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import type { Store } from '../../store/types';
import { isObject } from '../jsonValues';
import { decodeObjectBody, readBody } from '../http/body';
import type { ConnectHandler } from '../http/resourceHandler';
import { writeBody } from '../http/responses';
import type { TokenAuthenticator } from './tokens';
import type { UserInfo } from './user';

/** defaultTokenIssuer is the issuer (and default audience) of the cluster's tokens, as kubeadm sets it. */
export const defaultTokenIssuer = 'https://kubernetes.default.svc.cluster.local';

/** serviceAccountKeyFile is the signing key's file name in the cluster's pki folder. */
export const serviceAccountKeyFile = 'sa.key';

const minExpirationSeconds = 600;
const defaultExpirationSeconds = 3600;
const maxExpirationSeconds = 2 ** 32;
// How long a token bound to a deleted pod or secret keeps working, as in Kubernetes.
const boundObjectGraceSeconds = 60;

/** ServiceAccountKey is the cluster's token signing key. */
export interface ServiceAccountKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Key id: base64url SHA-256 of the public key (DER), written into each token's header. */
  kid: string;
}

/** ServiceAccountClaims are the claims of a service account token. */
export interface ServiceAccountClaims {
  iss: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  sub: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    pod?: { name: string; uid: string };
    secret?: { name: string; uid: string };
  };
}

/** ObjectRef names an object and its uid. */
export interface ObjectRef {
  name: string;
  uid: string;
}

/** TokenIssueRequest is what a token is for. */
export interface TokenIssueRequest {
  namespace: string;
  serviceAccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  /** Default: the issuer. */
  audiences?: string[];
  /** Default 3600. */
  expirationSeconds?: number;
}

function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url');
}

/** loadServiceAccountKey reads the signing key from pkiDir, creating it (mode 0600) on first use. */
export async function loadServiceAccountKey(pkiDir: string): Promise<ServiceAccountKey> {
  const file = join(pkiDir, serviceAccountKeyFile);
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(pkiDir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, pem, { mode: 0o600, flag: 'wx' });
    await rename(tmp, file);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new Error(`The service account signing key ${file} is damaged: ${(err as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ec')
    throw new Error(`The service account signing key ${file} is not an EC key.`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, kid: keyIdOf(publicKey) };
}

/** serviceAccountUsername is the user name of a service account: system:serviceaccount:NS:NAME. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** TokenIssuerOptions set the issuer, the audiences accepted and the clock. */
export interface TokenIssuerOptions {
  issuer?: string;
  /** Audiences the authenticator accepts (default: the issuer). */
  audiences?: string[];
  /** The clock, in milliseconds (tests move it). */
  now?: () => number;
}

/** ServiceAccountTokenIssuer signs and checks the cluster's service account tokens. */
export class ServiceAccountTokenIssuer {
  readonly issuer: string;
  readonly audiences: string[];
  private readonly now: () => number;

  constructor(
    private readonly key: ServiceAccountKey,
    options: TokenIssuerOptions = {},
  ) {
    this.issuer = options.issuer ?? defaultTokenIssuer;
    this.audiences = options.audiences ?? [this.issuer];
    this.now = options.now ?? Date.now;
  }

  /** issue signs a token; it does not check that the objects exist (the TokenRequest handler does). */
  issue(request: TokenIssueRequest): { token: string; claims: ServiceAccountClaims; expirationTimestamp: Date } {
    const now = Math.floor(this.now() / 1000);
    const exp = now + (request.expirationSeconds ?? defaultExpirationSeconds);
    const claims: ServiceAccountClaims = {
      aud: request.audiences && request.audiences.length > 0 ? request.audiences : [this.issuer],
      exp,
      iat: now,
      iss: this.issuer,
      jti: randomUUID(),
      'kubernetes.io': {
        namespace: request.namespace,
        ...(request.pod ? { pod: { name: request.pod.name, uid: request.pod.uid } } : {}),
        ...(request.secret ? { secret: { name: request.secret.name, uid: request.secret.uid } } : {}),
        serviceaccount: { name: request.serviceAccount.name, uid: request.serviceAccount.uid },
      },
      nbf: now,
      sub: serviceAccountUsername(request.namespace, request.serviceAccount.name),
    };
    const header = { alg: 'ES256', kid: this.key.kid };
    const signingInput = `${b64json(header)}.${b64json(claims)}`;
    const signature = sign('sha256', Buffer.from(signingInput), {
      key: this.key.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return {
      token: `${signingInput}.${signature.toString('base64url')}`,
      claims,
      expirationTimestamp: new Date(exp * 1000),
    };
  }

  /**
   * verify returns the claims of a token this issuer signed that is valid now, or
   * undefined (not ours, bad signature, wrong audience, expired or not yet valid).
   */
  verify(token: string): ServiceAccountClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const header = parseJson(parts[0]);
    if (!isObject(header) || header.alg !== 'ES256' || (header.kid !== undefined && header.kid !== this.key.kid))
      return undefined;
    let valid = false;
    try {
      valid = verify(
        'sha256',
        Buffer.from(`${parts[0]}.${parts[1]}`),
        { key: this.key.publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(parts[2], 'base64url'),
      );
    } catch {
      return undefined;
    }
    if (!valid) return undefined;
    const claims = parseJson(parts[1]) as ServiceAccountClaims | undefined;
    if (!isObject(claims) || claims.iss !== this.issuer) return undefined;
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((a) => this.audiences.includes(a))) return undefined;
    const now = this.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp <= now) return undefined;
    if (typeof claims.nbf === 'number' && claims.nbf > now) return undefined;
    const k8s = claims['kubernetes.io'];
    if (!isObject(k8s) || typeof k8s.namespace !== 'string' || !isObject(k8s.serviceaccount)) return undefined;
    if (claims.sub !== serviceAccountUsername(k8s.namespace, k8s.serviceaccount.name)) return undefined;
    return claims;
  }
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function parseJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** ObjectLookup reads the objects tokens are bound to. */
export interface ObjectLookup {
  get(
    resource: 'serviceaccounts' | 'pods' | 'secrets',
    namespace: string,
    name: string,
  ): Promise<KubeObject | undefined>;
}

/** storeObjectLookup reads objects straight from the store (give it the encrypting store so Secrets read). */
export function storeObjectLookup(store: Store): ObjectLookup {
  return {
    async get(resource, namespace, name) {
      const kv = await store.get(`/registry/${resource}/${namespace}/${name}`);
      return kv ? (JSON.parse(kv.value) as KubeObject) : undefined;
    },
  };
}

function goneFor(obj: KubeObject | undefined, uid: string, nowSeconds: number, graceSeconds: number): boolean {
  if (!obj || obj.metadata.uid !== uid) return true;
  const deleting = obj.metadata.deletionTimestamp;
  return deleting !== undefined && Date.parse(deleting) / 1000 + graceSeconds < nowSeconds;
}

/**
 * serviceAccountTokenAuthenticator accepts tokens of issuer whose service account (and
 * bound pod or secret) still exist with the uid the token names.
 */
export function serviceAccountTokenAuthenticator(
  issuer: ServiceAccountTokenIssuer,
  lookup: ObjectLookup,
  now: () => number = Date.now,
): TokenAuthenticator {
  return {
    async authenticate(token) {
      const claims = issuer.verify(token);
      if (!claims) return undefined;
      const k8s = claims['kubernetes.io'];
      const ns = k8s.namespace;
      const seconds = now() / 1000;
      const account = await lookup.get('serviceaccounts', ns, k8s.serviceaccount.name);
      if (goneFor(account, k8s.serviceaccount.uid, seconds, 0) || account?.metadata.deletionTimestamp) return undefined;
      const extra: Record<string, string[]> = { 'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`] };
      if (k8s.pod) {
        if (goneFor(await lookup.get('pods', ns, k8s.pod.name), k8s.pod.uid, seconds, boundObjectGraceSeconds))
          return undefined;
        extra['authentication.kubernetes.io/pod-name'] = [k8s.pod.name];
        extra['authentication.kubernetes.io/pod-uid'] = [k8s.pod.uid];
      }
      if (
        k8s.secret &&
        goneFor(await lookup.get('secrets', ns, k8s.secret.name), k8s.secret.uid, seconds, boundObjectGraceSeconds)
      ) {
        return undefined;
      }
      const user: UserInfo = {
        username: claims.sub,
        uid: k8s.serviceaccount.uid,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`],
        extra,
      };
      return user;
    },
  };
}

/** TokenRequestSpec is the spec of an authentication.k8s.io/v1 TokenRequest. */
export interface TokenRequestSpec {
  audiences?: string[] | null;
  expirationSeconds?: number | null;
  boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string } | null;
}

function invalidTokenRequest(name: string, field: string, value: unknown, message: string): ApiError {
  const detail = `Invalid value: ${JSON.stringify(value)}: ${message}`;
  return new ApiError('Invalid', `TokenRequest.authentication.k8s.io "${name}" is invalid: ${field}: ${detail}`, {
    name,
    group: 'authentication.k8s.io',
    kind: 'TokenRequest',
    causes: [{ reason: 'FieldValueInvalid', message: detail, field }],
  });
}

/** TokenRequestResult is the TokenRequest object answered for a request: spec as granted, status with the token. */
export interface TokenRequestResult extends KubeObject {
  spec: { audiences: string[]; expirationSeconds: number; boundObjectRef: Record<string, unknown> | null };
  status: { token: string; expirationTimestamp: string };
}

/**
 * createTokenRequest checks a TokenRequest for a service account and signs its token:
 * the lifetime limits, and a bound pod or secret that must exist (with the given uid)
 * and, for a pod, run as that account. Throws ApiError with Kubernetes' wording.
 */
export async function createTokenRequest(
  issuer: ServiceAccountTokenIssuer,
  lookup: ObjectLookup,
  namespace: string,
  account: KubeObject,
  spec: TokenRequestSpec,
): Promise<TokenRequestResult> {
  const name = account.metadata.name ?? '';
  const expirationSeconds = spec.expirationSeconds ?? defaultExpirationSeconds;
  if (!Number.isInteger(expirationSeconds) || expirationSeconds < minExpirationSeconds) {
    throw invalidTokenRequest(
      name,
      'spec.expirationSeconds',
      expirationSeconds,
      'may not specify a duration less than 10 minutes',
    );
  }
  if (expirationSeconds > maxExpirationSeconds) {
    throw invalidTokenRequest(
      name,
      'spec.expirationSeconds',
      expirationSeconds,
      'may not specify a duration larger than 2^32 seconds',
    );
  }
  const ns = namespace;
  const request: TokenIssueRequest = {
    namespace: ns,
    serviceAccount: { name, uid: account.metadata.uid ?? '' },
    audiences: spec.audiences ?? undefined,
    expirationSeconds,
  };
  const ref = spec.boundObjectRef;
  if (ref) {
    const kind = ref.kind ?? '';
    if (kind !== 'Pod' && kind !== 'Secret')
      throw new ApiError(
        'BadRequest',
        `cannot bind token to object of kind "${kind}": only Pod and Secret are supported`,
      );
    const resource = kind === 'Pod' ? 'pods' : 'secrets';
    const bound = await lookup.get(resource, ns, ref.name ?? '');
    if (!bound)
      throw new ApiError('NotFound', `${resource} "${ref.name ?? ''}" not found`, { name: ref.name, kind: resource });
    if (ref.uid && ref.uid !== bound.metadata.uid) {
      throw new ApiError(
        'Conflict',
        `Operation cannot be fulfilled on ${resource} "${ref.name}": the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
        { name: ref.name, kind: resource },
      );
    }
    if (kind === 'Pod') {
      const podAccount =
        (isObject(bound.spec) && typeof bound.spec.serviceAccountName === 'string'
          ? bound.spec.serviceAccountName
          : '') || 'default';
      if (podAccount !== name) {
        throw new ApiError(
          'BadRequest',
          `cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`,
        );
      }
      request.pod = { name: bound.metadata.name ?? '', uid: bound.metadata.uid ?? '' };
    } else {
      request.secret = { name: bound.metadata.name ?? '', uid: bound.metadata.uid ?? '' };
    }
  }
  const issued = issuer.issue(request);
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: {
      name,
      namespace: ns,
      creationTimestamp: new Date(issued.claims.iat * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    spec: {
      audiences: issued.claims.aud,
      expirationSeconds,
      boundObjectRef: ref
        ? {
            kind: ref.kind,
            apiVersion: ref.apiVersion ?? 'v1',
            name: ref.name,
            uid: ref.uid || (request.pod ?? request.secret)?.uid,
          }
        : null,
    },
    status: {
      token: issued.token,
      expirationTimestamp: issued.expirationTimestamp.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
  };
}

/** tokenRequestHandler serves POST serviceaccounts/NAME/token: a TokenRequest answered with a signed token. */
export function tokenRequestHandler(issuer: ServiceAccountTokenIssuer, lookup: ObjectLookup): ConnectHandler {
  return async ({ req, res, object: account, namespace }) => {
    if ((req.method ?? 'GET').toUpperCase() !== 'POST') {
      throw new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
    }
    const body = decodeObjectBody(req.headers['content-type'], await readBody(req));
    const spec: TokenRequestSpec = isObject(body) && isObject(body.spec) ? (body.spec as TokenRequestSpec) : {};
    writeBody(res, 201, await createTokenRequest(issuer, lookup, namespace ?? '', account, spec));
  };
}

/**
 * TokenRequester asks for a token of a service account in-process, the way the node
 * agent (like kubelet) does for projected serviceAccountToken volumes.
 */
export type TokenRequester = (namespace: string, serviceAccount: string, spec: TokenRequestSpec) => Promise<TokenRequestResult>;

/** tokenRequester returns a TokenRequester over the issuer; a missing service account is NotFound. */
export function tokenRequester(issuer: ServiceAccountTokenIssuer, lookup: ObjectLookup): TokenRequester {
  return async (namespace, name, spec) => {
    const account = await lookup.get('serviceaccounts', namespace, name);
    if (!account || account.metadata.deletionTimestamp) {
      throw new ApiError('NotFound', `serviceaccounts "${name}" not found`, { name, kind: 'serviceaccounts' });
    }
    return createTokenRequest(issuer, lookup, namespace, account, spec);
  };
}
