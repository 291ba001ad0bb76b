import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/**
 * The local sandbox's certificate authority: a development stand-in for Alipay's root CA.
 * Production refuses any certificate issued under this name (app-config.ts).
 */
export const SANDBOX_ROOT_CA_NAME = 'Renran Alipay Sandbox Root CA';
const SANDBOX_ORGANIZATION = 'Renran Alipay Sandbox';

export interface DevCertificates {
  rootCaPrivateKeyPem: string;
  /** alipayRootCert.crt's stand-in: the self-signed root. */
  rootCertPem: string;
  /** alipayCertPublicKey_RSA2.crt's stand-in: the sandbox's "Alipay" public key, signed by the root. */
  alipayCertPem: string;
  /** appCertPublicKey_<appid>.crt's stand-in: the app's public key, signed by the root. */
  appCertPem: string;
}

/**
 * Issues the three certificates of Alipay's 公钥证书 mode for development: a self-signed
 * RSA-2048 root CA (its key is new), the "Alipay" certificate over the sandbox's Alipay
 * public key, and the app certificate over the app's public key, both signed by that root
 * with SHA256withRSA, as Alipay's are.
 *
 * node:crypto can read X.509 certificates but not issue them; node-forge does it
 * synchronously (the key generation around it is synchronous too, and so is every caller:
 * config loading and `npm start`'s first run), with no native part.
 */
export function issueDevCertificates(
  keys: { appPublicKeyPem: string; alipayPublicKeyPem: string; appId: string },
  /** Another CA's name: only tests that play Alipay's real CA pass one. */
  caName = SANDBOX_ROOT_CA_NAME,
): DevCertificates {
  const { pki } = forge;
  // forge's own RSA key generation is pure JavaScript and slow: node:crypto makes the root key.
  const rootKeyPem = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  }).privateKey;
  const rootPrivateKey = pki.privateKeyFromPem(rootKeyPem);
  const rootKeys = {
    privateKey: rootPrivateKey,
    publicKey: pki.rsa.setPublicKey(rootPrivateKey.n, rootPrivateKey.e),
  };
  const rootSubject = [
    { shortName: 'C', value: 'CN' },
    { shortName: 'O', value: SANDBOX_ORGANIZATION },
    { shortName: 'OU', value: 'Certification Authority' },
    { shortName: 'CN', value: caName },
  ];
  const root = newCertificate(rootKeys.publicKey, rootSubject, rootSubject, 20);
  root.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  root.sign(rootKeys.privateKey, forge.md.sha256.create());

  const leaf = (publicKeyPem: string, commonName: string, unit: string): string => {
    const subject = [
      { shortName: 'C', value: 'CN' },
      { shortName: 'O', value: SANDBOX_ORGANIZATION },
      { shortName: 'OU', value: unit },
      { shortName: 'CN', value: commonName },
    ];
    const cert = newCertificate(pki.publicKeyFromPem(publicKeyPem), subject, rootSubject, 5);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    ]);
    cert.sign(rootKeys.privateKey, forge.md.sha256.create());
    return pki.certificateToPem(cert);
  };

  return {
    rootCaPrivateKeyPem: rootKeyPem,
    rootCertPem: pki.certificateToPem(root),
    alipayCertPem: leaf(keys.alipayPublicKeyPem, 'Alipay (sandbox)', 'Alipay Open Platform'),
    appCertPem: leaf(keys.appPublicKeyPem, keys.appId, 'Alipay Open Platform App'),
  };
}

function newCertificate(
  publicKey: forge.pki.PublicKey,
  subject: forge.pki.CertificateField[],
  issuer: forge.pki.CertificateField[],
  years: number,
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive 128-bit serial (first bit clear), as CAs issue them.
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x10;
  cert.serialNumber = serial.toString('hex');
  const notBefore = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setFullYear(notAfter.getFullYear() + years);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  return cert;
}
