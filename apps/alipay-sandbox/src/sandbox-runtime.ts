import type { KeyObject } from 'node:crypto';

/** What every sandbox service needs, resolved once by startSandbox (keys parsed, paths read). */
export interface SandboxRuntime {
  appId: string;
  sellerId: string;
  appPublicKey: KeyObject;
  alipayPrivateKey: KeyObject;
  /**
   * 公钥证书 mode, when the sandbox has certificates: callers that send app_cert_sn and
   * alipay_root_cert_sn must send these, and their answers carry alipay_cert_sn. Callers
   * that send neither are public-key mode callers, still served (transfers excepted).
   */
  certificates?: SandboxCertificates;
  stateDir: string;
  notifyTimeScale: number;
  openApiTimeoutMs: number;
  /** How long one notification POST may take before it counts as failed. */
  notifyRequestTimeoutMs: number;
  now: () => number;
}

export const SANDBOX_RUNTIME = Symbol('SANDBOX_RUNTIME');

export interface SandboxCertificates {
  appCertSn: string;
  alipayRootCertSn: string;
  alipayCertSn: string;
  /** The public key in the app certificate: it verifies certificate-mode requests. */
  appCertPublicKey: KeyObject;
}
