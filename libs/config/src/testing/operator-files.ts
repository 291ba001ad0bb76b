import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueDevCertificates } from '../dev-certificates.js';
import { ensureDevKeys } from '../dev-keys.js';

/** What an operator keeps outside the checkout for production, as Alipay hands it out. */
export interface OperatorFiles {
  dir: string;
  appPrivateKey: string;
  alipayPublicKey: string;
  appCert: string;
  alipayCert: string;
  alipayRootCert: string;
  /** The private half of the "Alipay" key, kept in another folder (tests put it beside). */
  alipayPrivateKeyElsewhere: string;
}

export const OPERATOR_APP_ID = '2021004100000000';

/**
 * The app's private key, Alipay's public key and the three certificates of 公钥证书 mode, in a
 * folder of their own, with no private key of Alipay's (nor its CA's) beside them, and the
 * certificates issued by a CA that is not the local sandbox's: what production accepts.
 */
export function makeOperatorFiles(): OperatorFiles {
  const made = ensureDevKeys(mkdtempSync(join(tmpdir(), 'renran-made-'))).paths;
  const dir = mkdtempSync(join(tmpdir(), 'renran-secrets-'));
  const issued = issueDevCertificates(
    {
      appPublicKeyPem: readFileSync(made.appPublicKey, 'utf8'),
      alipayPublicKeyPem: readFileSync(made.alipayPublicKey, 'utf8'),
      appId: OPERATOR_APP_ID,
    },
    'Alipay Root Class 2 (test stand-in)',
  );
  const files: OperatorFiles = {
    dir,
    appPrivateKey: join(dir, 'app_private_key.pem'),
    alipayPublicKey: join(dir, 'alipay_public_key.pem'),
    appCert: join(dir, `appCertPublicKey_${OPERATOR_APP_ID}.crt`),
    alipayCert: join(dir, 'alipayCertPublicKey_RSA2.crt'),
    alipayRootCert: join(dir, 'alipayRootCert.crt'),
    alipayPrivateKeyElsewhere: made.alipayPrivateKey,
  };
  copyFileSync(made.appPrivateKey, files.appPrivateKey);
  copyFileSync(made.alipayPublicKey, files.alipayPublicKey);
  writeFileSync(files.appCert, issued.appCertPem);
  writeFileSync(files.alipayCert, issued.alipayCertPem);
  writeFileSync(files.alipayRootCert, issued.rootCertPem);
  return files;
}
