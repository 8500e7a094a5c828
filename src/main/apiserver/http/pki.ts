// The cluster's PKI: a CA created once per cluster and reused across restarts (so
// kubeconfigs stay valid), a serving certificate for the API server's names and
// addresses, an admin client certificate (CN=wheelhouse-admin, O=system:masters) and
// an admin bearer token. Files live in the cluster directory, readable only by the
// owner (0600).
import { generateKeyPair, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateKeyPairAsync = promisify(generateKeyPair);

/** ClusterPki holds the PEM material of one cluster and can issue more client certificates. */
export interface ClusterPki {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  adminToken: string;
  /** issueClientCertificate signs a client certificate for a user (CN) and groups (O). */
  issueClientCertificate(user: string, groups: string[], validDays?: number): Promise<{ cert: string; key: string }>;
}

/** ClusterPkiOptions add names and addresses to the serving certificate. */
export interface ClusterPkiOptions {
  extraDnsNames?: string[];
  extraIps?: string[];
}

/** adminUser is the user name in the admin client certificate. */
export const adminUser = 'wheelhouse-admin';

/** servingDnsNames are the DNS names the serving certificate always covers. */
export const servingDnsNames = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
/** servingIps are the addresses the serving certificate always covers (loopback and the kubernetes Service). */
export const servingIps = ['127.0.0.1', '10.96.0.1'];

const files = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  serverCert: 'apiserver.crt',
  serverKey: 'apiserver.key',
  adminCert: 'admin.crt',
  adminKey: 'admin.key',
  adminToken: 'admin.token',
};

const day = 24 * 60 * 60 * 1000;
const caValidDays = 3650;
const leafValidDays = 3650;
// Leaf certificates are renewed (with the same CA) this close to expiry.
const renewBeforeDays = 30;

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function writePrivate(path: string, content: string): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, path);
}

async function newKeyPair(): Promise<{ privatePem: string; publicPem: string }> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return { privatePem: privateKey as unknown as string, publicPem: publicKey as unknown as string };
}

function serial(): string {
  // A positive serial: the first hex digit stays below 8.
  return '4' + randomBytes(15).toString('hex');
}

interface Issued {
  cert: string;
  key: string;
}

function sign(
  subject: forge.pki.CertificateField[],
  publicPem: string,
  validDays: number,
  extensions: object[],
  issuer?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey },
  selfKey?: forge.pki.rsa.PrivateKey,
): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  cert.serialNumber = serial();
  const now = Date.now();
  // Backdated a little so a client with a slightly slow clock accepts it.
  cert.validity.notBefore = new Date(now - 5 * 60 * 1000);
  cert.validity.notAfter = new Date(now + validDays * day);
  cert.setSubject(subject);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : subject);
  const exts: object[] = [...extensions, { name: 'subjectKeyIdentifier' }];
  if (issuer) exts.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuer.cert.generateSubjectKeyIdentifier().getBytes() });
  cert.setExtensions(exts);
  cert.sign(issuer ? issuer.key : selfKey!, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

async function createCa(): Promise<Issued> {
  const pair = await newKeyPair();
  const key = forge.pki.privateKeyFromPem(pair.privatePem) as forge.pki.rsa.PrivateKey;
  const cert = sign(
    [{ name: 'commonName', value: 'wheelhouse-ca' }],
    pair.publicPem,
    caValidDays,
    [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, keyEncipherment: true, critical: true },
    ],
    undefined,
    key,
  );
  return { cert, key: pair.privatePem };
}

async function issueLeaf(
  ca: Issued,
  subject: forge.pki.CertificateField[],
  usage: 'server' | 'client',
  validDays: number,
  altNames: object[] = [],
): Promise<Issued> {
  const pair = await newKeyPair();
  const issuer = { cert: forge.pki.certificateFromPem(ca.cert), key: forge.pki.privateKeyFromPem(ca.key) as forge.pki.rsa.PrivateKey };
  const extensions: object[] = [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: usage === 'server', clientAuth: usage === 'client' },
  ];
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  return { cert: sign(subject, pair.publicPem, validDays, extensions, issuer), key: pair.privatePem };
}

// A leaf is reusable when the CA signed it, it is not about to expire and, for the
// serving certificate, it still covers every wanted name.
function reusable(certPem: string | undefined, caPem: string, wantedNames: string[] = []): boolean {
  if (!certPem) return false;
  try {
    const cert = forge.pki.certificateFromPem(certPem);
    const ca = forge.pki.certificateFromPem(caPem);
    if (!ca.verify(cert)) return false;
    if (cert.validity.notAfter.getTime() - Date.now() < renewBeforeDays * day) return false;
    const san = cert.getExtension('subjectAltName') as { altNames?: { value?: string; ip?: string }[] } | undefined;
    const have = new Set((san?.altNames ?? []).map((a) => a.ip ?? a.value ?? ''));
    return wantedNames.every((n) => have.has(n));
  } catch {
    return false;
  }
}

/**
 * createClusterPki creates the cluster's PKI in dir on first use and reuses it after:
 * the CA is never replaced; leaf certificates are reissued (by the same CA) only when
 * missing, expiring or lacking a wanted name.
 */
export async function createClusterPki(dir: string, options: ClusterPkiOptions = {}): Promise<ClusterPki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = (name: keyof typeof files) => join(dir, files[name]);
  let caCert = await readIfExists(path('caCert'));
  let caKey = await readIfExists(path('caKey'));
  if (!caCert || !caKey) {
    const ca = await createCa();
    caCert = ca.cert;
    caKey = ca.key;
    await writePrivate(path('caKey'), caKey);
    await writePrivate(path('caCert'), caCert);
  }
  const ca = { cert: caCert, key: caKey };

  const dnsNames = [...new Set([...servingDnsNames, ...(options.extraDnsNames ?? [])])];
  const ips = [...new Set([...servingIps, ...(options.extraIps ?? [])])];
  let serverCert = await readIfExists(path('serverCert'));
  let serverKey = await readIfExists(path('serverKey'));
  if (!serverKey || !reusable(serverCert, caCert, [...dnsNames, ...ips])) {
    const issued = await issueLeaf(ca, [{ name: 'commonName', value: 'kube-apiserver' }], 'server', leafValidDays, [
      ...dnsNames.map((value) => ({ type: 2, value })),
      ...ips.map((ip) => ({ type: 7, ip })),
    ]);
    serverCert = issued.cert;
    serverKey = issued.key;
    await writePrivate(path('serverKey'), serverKey);
    await writePrivate(path('serverCert'), serverCert);
  }

  let adminCert = await readIfExists(path('adminCert'));
  let adminKey = await readIfExists(path('adminKey'));
  if (!adminKey || !reusable(adminCert, caCert)) {
    const issued = await issueLeaf(
      ca,
      [
        { name: 'commonName', value: adminUser },
        { name: 'organizationName', value: 'system:masters' },
      ],
      'client',
      leafValidDays,
    );
    adminCert = issued.cert;
    adminKey = issued.key;
    await writePrivate(path('adminKey'), adminKey);
    await writePrivate(path('adminCert'), adminCert);
  }

  let adminToken = (await readIfExists(path('adminToken')))?.trim();
  if (!adminToken) {
    adminToken = randomBytes(32).toString('base64url');
    await writePrivate(path('adminToken'), adminToken + '\n');
  }

  return {
    dir,
    caCert,
    caKey,
    serverCert: serverCert!,
    serverKey,
    adminCert: adminCert!,
    adminKey,
    adminToken,
    issueClientCertificate: (user, groups, validDays = 365) =>
      issueLeaf(
        ca,
        [{ name: 'commonName', value: user }, ...groups.map((g) => ({ name: 'organizationName', value: g }))],
        'client',
        validDays,
      ),
  };
}
