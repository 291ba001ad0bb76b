import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
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
 * node:crypto can read X.509 certificates but not issue them: node-forge writes them
 * (chosen over @peculiar/x509, whose API is asynchronous WebCrypto, because every caller —
 * config loading, the sandbox's start, `npm start`'s first run — is synchronous; forge is
 * pure JavaScript, already in the tree through Nuxt, and widely used). The RSA work (keys,
 * signatures) is node:crypto's.
 */
export function issueDevCertificates(
  keys: { appPublicKeyPem: string; alipayPublicKeyPem: string; appId: string },
  /** Another CA's name: only tests that play Alipay's real CA pass one. */
  caName = SANDBOX_ROOT_CA_NAME,
): DevCertificates {
  const { pki } = forge;
  // forge's own RSA key generation is pure JavaScript and slow: node:crypto makes the root key.
  const { privateKey: rootKeyPem, publicKey: rootPublicKeyPem } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const rootPublicKey = pki.publicKeyFromPem(rootPublicKeyPem);
  const rootSubject = [
    { shortName: 'C', value: 'CN' },
    { shortName: 'O', value: SANDBOX_ORGANIZATION },
    { shortName: 'OU', value: 'Certification Authority' },
    { shortName: 'CN', value: caName },
  ];
  const root = newCertificate(rootPublicKey, rootSubject, rootSubject, 20);
  root.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  signWithRoot(root, rootKeyPem);

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
    signWithRoot(cert, rootKeyPem);
    return pki.certificateToPem(cert);
  };

  return {
    rootCaPrivateKeyPem: rootKeyPem,
    rootCertPem: pki.certificateToPem(root),
    alipayCertPem: leaf(keys.alipayPublicKeyPem, 'Alipay (sandbox)', 'Alipay Open Platform'),
    appCertPem: leaf(keys.appPublicKeyPem, keys.appId, 'Alipay Open Platform App'),
  };
}

/**
 * SHA256withRSA over the certificate's TBSCertificate, as forge's cert.sign does, but signed
 * by node:crypto: forge's pure-JavaScript RSA takes ~250 ms a signature on a busy machine,
 * long enough to stall a test process's event loop.
 */
function signWithRoot(cert: forge.pki.Certificate, rootKeyPem: string): void {
  const algorithm = forge.pki.oids.sha256WithRSAEncryption ?? '1.2.840.113549.1.1.11';
  cert.signatureOid = algorithm;
  cert.siginfo.algorithmOid = algorithm;
  // getTBSCertificate is public in forge but missing from @types/node-forge.
  const pkiWithTbs = forge.pki as unknown as {
    getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
  };
  const tbs = pkiWithTbs.getTBSCertificate(cert);
  (cert as forge.pki.Certificate & { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate = tbs;
  const der = Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary');
  cert.signature = sign('sha256', der, rootKeyPem).toString('binary');
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
