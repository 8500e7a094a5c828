// Service account tokens: what they claim, that only valid ones authenticate, that
// deleting (or recreating) the service account or the bound pod revokes them, and the
// TokenRequest subresource `kubectl create token` calls, over a real SQLite store.
import { createServer, request, type Server } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import { openSqliteStore, type SqliteStore } from '../../store/sqliteStore';
import { ApiClient } from '../client/apiClient';
import { createClusterApi } from '../http/apiServer';
import { allKinds } from '../kinds';
import { buildRegistry } from '../registry/buildRegistry';
import {
  loadServiceAccountKey,
  serviceAccountTokenAuthenticator,
  ServiceAccountTokenIssuer,
  storeObjectLookup,
  tokenRequestHandler,
  type ServiceAccountKey,
} from './serviceAccountTokens';

let dir: string;
let store: SqliteStore;
let key: ServiceAccountKey;
let client: ApiClient;
let server: Server;
let base: string;
let clock = Date.now();
let issuer: ServiceAccountTokenIssuer;

// Answers are read field by field in the assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

function post(path: string, body: unknown): Promise<{ status: number; json: Json }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

function claimsOf(token: string): Json {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

const accounts = () => client.resource('v1/serviceaccounts');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-sa-tokens-'));
  store = await openSqliteStore(join(dir, 'store.db'), { compactIntervalMs: 0 });
  key = await loadServiceAccountKey(join(dir, 'pki'));
  issuer = new ServiceAccountTokenIssuer(key, { now: () => clock });
  const lookup = storeObjectLookup(store);
  const api = createClusterApi({
    store,
    registry: buildRegistry(allKinds()),
    connect: { token: tokenRequestHandler(issuer, lookup) },
  });
  client = new ApiClient(api.rest);
  server = createServer(
    (req, res) => void api.handleApiRequest(req, res, { username: 'admin', groups: ['system:masters'] }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await client.resource('v1/namespaces').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } });
  await accounts().create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bot', namespace: 'a' } });
  await accounts().create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'a' } });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('service account signing key', () => {
  it('is created owner-only in the pki folder and reused', async () => {
    const file = join(dir, 'pki', 'sa.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('BEGIN PRIVATE KEY');
    expect((await loadServiceAccountKey(join(dir, 'pki'))).kid).toBe(key.kid);
  });
});

describe('service account tokens', () => {
  it('carry the claims Kubernetes puts in them', async () => {
    const sa = await accounts().get('a', 'bot');
    const { token, claims } = issuer.issue({ namespace: 'a', serviceAccount: { name: 'bot', uid: sa.metadata.uid! } });
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    expect(header).toEqual({ alg: 'ES256', kid: key.kid });
    expect(claimsOf(token)).toEqual(claims);
    expect(claims).toMatchObject({
      iss: 'https://kubernetes.default.svc.cluster.local',
      aud: ['https://kubernetes.default.svc.cluster.local'],
      sub: 'system:serviceaccount:a:bot',
      'kubernetes.io': { namespace: 'a', serviceaccount: { name: 'bot', uid: sa.metadata.uid } },
    });
    expect(claims.exp - claims.iat).toBe(3600);
    expect(claims.nbf).toBe(claims.iat);
  });

  it('authenticate while valid, and not when tampered, foreign, expired or revoked', async () => {
    const auth = serviceAccountTokenAuthenticator(issuer, storeObjectLookup(store), () => clock);
    const sa = await accounts().get('a', 'bot');
    const { token } = issuer.issue({
      namespace: 'a',
      serviceAccount: { name: 'bot', uid: sa.metadata.uid! },
      expirationSeconds: 600,
    });
    const user = await auth.authenticate(token);
    expect(user).toMatchObject({
      username: 'system:serviceaccount:a:bot',
      uid: sa.metadata.uid,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:a'],
    });
    expect(user!.extra!['authentication.kubernetes.io/credential-id'][0]).toMatch(/^JTI=/);

    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claimsOf(token), sub: 'system:serviceaccount:a:root' })).toString(
      'base64url',
    );
    expect(await auth.authenticate(`${h}.${forged}.${s}`)).toBeUndefined();
    expect(await auth.authenticate(`${h}.${p}`)).toBeUndefined();
    expect(await auth.authenticate('not-a-jwt')).toBeUndefined();
    const otherIssuer = new ServiceAccountTokenIssuer(await loadServiceAccountKey(join(dir, 'pki-other')));
    expect(
      await auth.authenticate(
        otherIssuer.issue({ namespace: 'a', serviceAccount: { name: 'bot', uid: sa.metadata.uid! } }).token,
      ),
    ).toBeUndefined();
    const wrongAudience = issuer.issue({
      namespace: 'a',
      serviceAccount: { name: 'bot', uid: sa.metadata.uid! },
      audiences: ['vault'],
    }).token;
    expect(await auth.authenticate(wrongAudience)).toBeUndefined();

    clock += 601_000;
    try {
      expect(await auth.authenticate(token)).toBeUndefined();
    } finally {
      clock -= 601_000;
    }
    expect(await auth.authenticate(token)).toBeDefined();

    // Deleting the account revokes its tokens; an account recreated under the same name is another account.
    await accounts().delete('a', 'bot');
    expect(await auth.authenticate(token)).toBeUndefined();
    await accounts().create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bot', namespace: 'a' } });
    expect(await auth.authenticate(token)).toBeUndefined();
  });

  it('bound to a pod stop working once the pod is gone', async () => {
    const auth = serviceAccountTokenAuthenticator(issuer, storeObjectLookup(store), () => clock);
    const sa = await accounts().get('a', 'bot');
    const pod = await client.resource('v1/pods').create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'worker', namespace: 'a' },
      spec: { serviceAccountName: 'bot', containers: [{ name: 'c', image: 'busybox' }] },
    } as KubeObject);
    const { token, claims } = issuer.issue({
      namespace: 'a',
      serviceAccount: { name: 'bot', uid: sa.metadata.uid! },
      pod: { name: 'worker', uid: pod.metadata.uid! },
    });
    expect(claims['kubernetes.io'].pod).toEqual({ name: 'worker', uid: pod.metadata.uid });
    const user = await auth.authenticate(token);
    expect(user!.extra!['authentication.kubernetes.io/pod-name']).toEqual(['worker']);
    await client.resource('v1/pods').delete('a', 'worker', { gracePeriodSeconds: 0 });
    expect(await auth.authenticate(token)).toBeUndefined();
  });
});

describe('TokenRequest', () => {
  const tokenPath = (name: string) => `/api/v1/namespaces/a/serviceaccounts/${name}/token`;

  it('answers with a signed token for the account', async () => {
    const answer = await post(tokenPath('bot'), {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 1200 },
    });
    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: 'bot', namespace: 'a' },
      spec: {
        audiences: ['https://kubernetes.default.svc.cluster.local'],
        expirationSeconds: 1200,
        boundObjectRef: null,
      },
    });
    const claims = issuer.verify(answer.json.status.token)!;
    expect(claims.sub).toBe('system:serviceaccount:a:bot');
    expect(claims.exp - claims.iat).toBe(1200);
    expect(Date.parse(answer.json.status.expirationTimestamp)).toBe(claims.exp * 1000);
  });

  it('refuses short lifetimes, missing accounts and mismatched bindings the way Kubernetes does', async () => {
    const short = await post(tokenPath('bot'), { spec: { expirationSeconds: 60 } });
    expect(short.status).toBe(422);
    expect(short.json.message).toBe(
      'TokenRequest.authentication.k8s.io "bot" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    );
    const missing = await post(tokenPath('nope'), { spec: {} });
    expect(missing.status).toBe(404);
    expect(missing.json.message).toBe('serviceaccounts "nope" not found');
    await client.resource('v1/pods').create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'other', namespace: 'a' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    } as KubeObject);
    const wrongAccount = await post(tokenPath('bot'), {
      spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other' } },
    });
    expect(wrongAccount.status).toBe(400);
    expect(wrongAccount.json.message).toBe(
      'cannot bind token for serviceaccount "bot" to pod running with different serviceaccount name.',
    );
    const staleUid = await post(tokenPath('default'), {
      spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other', uid: 'not-the-uid' } },
    });
    expect(staleUid.status).toBe(409);
  });
});
