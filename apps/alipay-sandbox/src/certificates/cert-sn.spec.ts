import { ensureDevKeys } from '@renran/config';
import { AlipaySdk } from 'alipay-sdk';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { certSnOfPem, rootCertSn } from './cert-sn.js';

// alipay-sdk is the judge: its constructor computes app_cert_sn, alipay_cert_sn and
// alipay_root_cert_sn from the certificates, exactly as it will send them.
const paths = ensureDevKeys(mkdtempSync(join(tmpdir(), 'sandbox-cert-sn-'))).paths;
const read = (path: string) => readFileSync(path, 'utf8');

function sdkWith(rootPem: string): AlipaySdk {
  return new AlipaySdk({
    appId: '2021000000000001',
    privateKey: read(paths.appPrivateKey),
    appCertContent: read(paths.appCert),
    alipayPublicCertContent: read(paths.alipayCert),
    alipayRootCertContent: rootPem,
  });
}

/** A self-signed root with a long serial and a DN of four attributes, signed by forge. */
function anotherRoot(serialHex: string, commonName: string): string {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.rsa.setPublicKey(key.n, key.e);
  cert.serialNumber = serialHex;
  cert.validity.notBefore = new Date(Date.now() - 1000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const name = [
    { shortName: 'C', value: 'CN' },
    { shortName: 'O', value: 'Ant Financial Certification Authority' },
    { shortName: 'OU', value: 'Certification Authority' },
    { shortName: 'CN', value: commonName },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

describe('certificate serial numbers (app_cert_sn, alipay_cert_sn, alipay_root_cert_sn)', () => {
  it("match alipay-sdk's for the development certificates", () => {
    const sdk = sdkWith(read(paths.alipayRootCert));
    expect(certSnOfPem(read(paths.appCert))).toBe(sdk.config.appCertSn);
    expect(certSnOfPem(read(paths.alipayCert))).toBe(sdk.config.alipayCertSn);
    expect(rootCertSn(read(paths.alipayRootCert))).toBe(sdk.config.alipayRootCertSn);
    expect(sdk.config.appCertSn).toMatch(/^[0-9a-f]{32}$/);
  });

  it('join the RSA roots of a multi-certificate root file with _, in file order, as the SDK does', () => {
    const chain = [
      read(paths.alipayRootCert),
      anotherRoot('01', 'Ant Financial Certification Authority R1'),
      anotherRoot('7ab3cd0012ef', 'Ant Financial Certification Authority R2'),
    ].join('\n');
    const sdkSn = sdkWith(chain).config.alipayRootCertSn ?? '';
    expect(sdkSn.split('_')).toHaveLength(3);
    expect(rootCertSn(chain)).toBe(sdkSn);
  });

  it('differ between certificates and change with the serial', () => {
    expect(certSnOfPem(read(paths.appCert))).not.toBe(certSnOfPem(read(paths.alipayCert)));
    const a = anotherRoot('0a', 'Same Name');
    const b = anotherRoot('0b', 'Same Name');
    expect(rootCertSn(a)).not.toBe(rootCertSn(b));
  });
});
