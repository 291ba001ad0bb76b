import { createHash, X509Certificate } from 'node:crypto';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * A certificate's serial number as Alipay's 公钥证书 mode names it (app_cert_sn,
 * alipay_cert_sn): MD5, in hex, of the issuer's distinguished name written most specific
 * attribute first (`CN=…,OU=…,O=…,C=…`) followed by the serial number in decimal.
 * node:crypto lists the issuer's attributes one per line in the certificate's own order
 * (`C=…` first), so they are reversed here. The sandbox computes this on its own; its spec
 * checks it against alipay-sdk's.
 */
export function certSn(cert: X509Certificate): string {
  const issuer = cert.issuer.split('\n').reverse().join(',');
  const serial = BigInt(`0x${cert.serialNumber}`).toString(10);
  return createHash('md5')
    .update(issuer + serial, 'utf8')
    .digest('hex');
}

/** The serial number of the one certificate in a PEM file. */
export function certSnOfPem(pem: string): string {
  return certSn(new X509Certificate(pem));
}

/**
 * alipay_root_cert_sn: the serial numbers of the RSA certificates in the root file joined
 * with `_` (Alipay's alipayRootCert.crt also holds SM2 / ECC roots, which are left out). Every
 * certificate there is self-signed, so an RSA key means an RSA signature.
 */
export function rootCertSn(pem: string): string {
  return (pem.match(PEM_CERTIFICATE) ?? [])
    .map((block) => new X509Certificate(block))
    .filter((cert) => cert.publicKey.asymmetricKeyType === 'rsa')
    .map(certSn)
    .join('_');
}
