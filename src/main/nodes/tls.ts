// The per-cluster node PKI: a CA, a server certificate for each node's dockerd and a
// client certificate for the engine, so the engine and the nodes' dockerds trust only
// each other (mutual TLS). Files are written 0600 and reused across restarts.
//
// Layout under the cluster's PKI folder:
//   ca.pem, ca-key.pem                    the cluster's node CA (the key never leaves here)
//   client/ca.pem, cert.pem, key.pem      the engine's client identity (DOCKER_CERT_PATH layout)
//   nodes/<node>/ca.pem, server-cert.pem, server-key.pem   what a node's dockerd needs
import { generateKeyPair as generateKeyPairCallback, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateKeyPair = promisify(generateKeyPairCallback);

/** TlsFiles are PEM texts: the CA to trust, a certificate, and its private key. */
export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

/** NodeCertRequest names a node and the addresses its dockerd is reached at. */
export interface NodeCertRequest {
  /** The node's name (also its host name inside the cluster network). */
  name: string;
  /** More DNS names, such as the node's container name. */
  dnsNames?: string[];
  /** More IP addresses, such as the node's address on the cluster network. */
  ips?: string[];
}

const day = 24 * 60 * 60 * 1000;
const caLifetimeDays = 3650;
const leafLifetimeDays = 825;
// Certificates this close to expiry are replaced when the PKI is loaded.
const renewWithinDays = 30;

/**
 * ClusterPki holds one cluster's node CA and issues node server certificates and the
 * engine's client certificate. Create it with loadClusterPki.
 */
export class ClusterPki {
  private constructor(
    /** dir is the folder holding the cluster's PKI files. */
    readonly dir: string,
    private readonly caCert: forge.pki.Certificate,
    private readonly caKey: forge.pki.rsa.PrivateKey,
    /** caPem is the CA certificate every party trusts. */
    readonly caPem: string,
    /** client is the engine's client identity for talking to the nodes' dockerds. */
    readonly client: TlsFiles,
  ) {}

  /** load reads (or creates) the CA and the engine's client certificate under dir. */
  static async load(dir: string): Promise<ClusterPki> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    let caPem = await readIfExists(join(dir, 'ca.pem'));
    let caKeyPem = await readIfExists(join(dir, 'ca-key.pem'));
    let caCert: forge.pki.Certificate | undefined;
    let caKey: forge.pki.rsa.PrivateKey | undefined;
    if (caPem && caKeyPem) {
      try {
        caCert = forge.pki.certificateFromPem(caPem);
        caKey = forge.pki.privateKeyFromPem(caKeyPem) as forge.pki.rsa.PrivateKey;
        if (caCert.validity.notAfter.getTime() - Date.now() < renewWithinDays * day) caCert = undefined;
      } catch {
        caCert = undefined;
      }
    }
    if (!caCert || !caKey) {
      // A new CA invalidates every certificate it signed; they are reissued on demand.
      const keys = await newKeyPair();
      caKey = keys.privateKey;
      caCert = makeCertificate({
        subject: 'wheelhouse-node-ca',
        publicKey: keys.publicKey,
        issuer: undefined,
        signer: caKey,
        lifetimeDays: caLifetimeDays,
        extensions: [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ],
      });
      caPem = forge.pki.certificateToPem(caCert);
      caKeyPem = keys.privateKeyPem;
      await writeSecret(join(dir, 'ca-key.pem'), caKeyPem);
      await writeSecret(join(dir, 'ca.pem'), caPem);
    }
    const pki = new ClusterPki(dir, caCert, caKey, caPem!, { ca: '', cert: '', key: '' });
    const client = await pki.ensureLeaf(
      join(dir, 'client'),
      { cert: 'cert.pem', key: 'key.pem' },
      'wheelhouse-engine',
      'client',
    );
    return new ClusterPki(dir, caCert, caKey, caPem!, client);
  }

  /** nodeDir is the folder holding a node's server files. */
  nodeDir(node: string): string {
    return join(this.dir, 'nodes', node);
  }

  /**
   * ensureNodeCert returns the node's dockerd identity, reusing the files on disk when
   * they were signed by this CA, are not about to expire, and cover every name asked for.
   */
  async ensureNodeCert(request: NodeCertRequest): Promise<TlsFiles> {
    const dns = [...new Set([request.name, 'localhost', ...(request.dnsNames ?? [])])];
    const ips = [...new Set(['127.0.0.1', ...(request.ips ?? [])])];
    return this.ensureLeaf(
      this.nodeDir(request.name),
      { cert: 'server-cert.pem', key: 'server-key.pem' },
      request.name,
      'server',
      dns,
      ips,
    );
  }

  private async ensureLeaf(
    dir: string,
    names: { cert: string; key: string },
    commonName: string,
    usage: 'server' | 'client',
    dns: string[] = [],
    ips: string[] = [],
  ): Promise<TlsFiles> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const certPath = join(dir, names.cert);
    const keyPath = join(dir, names.key);
    const existingCert = await readIfExists(certPath);
    const existingKey = await readIfExists(keyPath);
    const existingCa = await readIfExists(join(dir, 'ca.pem'));
    if (existingCert && existingKey && existingCa === this.caPem && this.stillGood(existingCert, dns, ips)) {
      return { ca: this.caPem, cert: existingCert, key: existingKey };
    }
    const keys = await newKeyPair();
    const altNames = [...dns.map((value) => ({ type: 2, value })), ...ips.map((ip) => ({ type: 7, ip }))];
    const cert = makeCertificate({
      subject: commonName,
      publicKey: keys.publicKey,
      issuer: this.caCert,
      signer: this.caKey,
      lifetimeDays: leafLifetimeDays,
      extensions: [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: usage === 'server', clientAuth: usage === 'client' },
        ...(altNames.length ? [{ name: 'subjectAltName', altNames }] : []),
        { name: 'subjectKeyIdentifier' },
        { name: 'authorityKeyIdentifier', keyIdentifier: this.caCert.generateSubjectKeyIdentifier().getBytes() },
      ],
    });
    const certPem = forge.pki.certificateToPem(cert);
    await writeSecret(keyPath, keys.privateKeyPem);
    await writeSecret(certPath, certPem);
    await writeSecret(join(dir, 'ca.pem'), this.caPem);
    return { ca: this.caPem, cert: certPem, key: keys.privateKeyPem };
  }

  private stillGood(certPem: string, dns: string[], ips: string[]): boolean {
    try {
      const cert = forge.pki.certificateFromPem(certPem);
      if (!this.caCert.verify(cert)) return false;
      if (cert.validity.notAfter.getTime() - Date.now() < renewWithinDays * day) return false;
      const san = cert.getExtension('subjectAltName') as {
        altNames?: Array<{ type: number; value?: string; ip?: string }>;
      } | null;
      const haveDns = new Set((san?.altNames ?? []).filter((n) => n.type === 2).map((n) => n.value));
      const haveIps = new Set((san?.altNames ?? []).filter((n) => n.type === 7).map((n) => n.ip));
      return dns.every((d) => haveDns.has(d)) && ips.every((ip) => haveIps.has(ip));
    } catch {
      return false;
    }
  }
}

/** loadClusterPki reads (or creates) a cluster's node PKI under dir. */
export function loadClusterPki(dir: string): Promise<ClusterPki> {
  return ClusterPki.load(dir);
}

async function newKeyPair(): Promise<{
  privateKey: forge.pki.rsa.PrivateKey;
  publicKey: forge.pki.rsa.PublicKey;
  privateKeyPem: string;
}> {
  // Node's native RSA key generation takes milliseconds where node-forge's takes seconds.
  const { privateKey } = await generateKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return {
    privateKey: forgeKey,
    publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e),
    privateKeyPem: privateKey,
  };
}

function makeCertificate(options: {
  subject: string;
  publicKey: forge.pki.rsa.PublicKey;
  issuer: forge.pki.Certificate | undefined;
  signer: forge.pki.rsa.PrivateKey;
  lifetimeDays: number;
  extensions: unknown[];
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = options.publicKey;
  // A positive, minimally encoded serial: the first byte is 0x40-0x7f. A leading zero
  // byte (1 in 256 serials when only the top bit was cleared) makes Go's x509, and so
  // the node's dockerd, reject the certificate as "malformed serial number".
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x3f) | 0x40;
  cert.serialNumber = serial.toString('hex');
  // Starting an hour early tolerates clocks that differ a little (Docker Desktop's VM).
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(Date.now() + options.lifetimeDays * day);
  const subject = [
    { name: 'commonName', value: options.subject },
    { name: 'organizationName', value: 'Wheelhouse' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(options.issuer ? options.issuer.subject.attributes : subject);
  cert.setExtensions(options.extensions as never[]);
  cert.sign(options.signer, forge.md.sha256.create());
  return cert;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function writeSecret(path: string, content: string): Promise<void> {
  // Written beside and renamed, so a crash never leaves half a key behind.
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, content, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
}
