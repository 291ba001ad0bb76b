import type { KeyObject } from 'node:crypto';
import { parseBeijingTime } from '../common/beijing-time.js';
import type { SandboxCertificates } from '../sandbox-runtime.js';
import { rsa2Verify } from '../signing/rsa2.js';
import { REQUEST_UNSIGNED_KEYS, buildSignContent } from '../signing/sign-content.js';
import { GatewayError } from './gateway-error.js';

/** Alipay refuses requests whose timestamp is further than this from Beijing time now. */
export const TIMESTAMP_TOLERANCE_MS = 15 * 60 * 1000;

/**
 * The parameters of one gateway.do request, from the query string and the form body
 * together: alipay-sdk's `exec` puts app_id, method, sign... in the query and biz_content in
 * the body; `pageExec(..., 'GET')` puts everything in the query. A key given twice is refused
 * rather than guessed at.
 */
export function collectParams(rawQuery: string, body: unknown): Record<string, string> {
  const params: Record<string, string> = {};
  const add = (key: string, value: string): void => {
    if (Object.hasOwn(params, key)) {
      throw new GatewayError('40002', 'isv.invalid-parameter', `参数无效：${key} 重复出现`);
    }
    params[key] = value;
  };
  for (const [key, value] of new URLSearchParams(rawQuery)) add(key, value);
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (typeof value !== 'string') {
        const reason = Array.isArray(value) ? '重复出现' : '必须是字符串';
        throw new GatewayError('40002', 'isv.invalid-parameter', `参数无效：${key} ${reason}`);
      }
      add(key, value);
    }
  }
  return params;
}

export interface GatewayIdentity {
  appId: string;
  appPublicKey: KeyObject;
  certificates?: SandboxCertificates;
}

/** How the caller signed: with certificates (app_cert_sn & co. sent) or a bare public key. */
export type CallerMode = 'certificate' | 'publicKey';

/**
 * The checks every gateway.do request passes before its method is looked at, in Alipay's
 * order: required public parameters, the app, its certificate serials in 公钥证书 mode, the
 * RSA2 signature over every parameter but `sign` (extra signed parameters such as
 * alipay_sdk, app_cert_sn and alipay_root_cert_sn included), then the timestamp. A caller
 * that sends neither serial is a public-key mode caller.
 */
export function verifyGatewayRequest(
  params: Readonly<Record<string, string>>,
  identity: GatewayIdentity,
  now: number,
): CallerMode {
  for (const [key, subCode] of [
    ['app_id', 'isv.missing-app-id'],
    ['method', 'isv.missing-method'],
    ['sign_type', 'isv.missing-signature-type'],
    ['sign', 'isv.missing-signature'],
    ['timestamp', 'isv.missing-timestamp'],
  ] as const) {
    if (!params[key]) throw new GatewayError('40001', subCode, `缺少必选参数 ${key}`);
  }
  if (params.app_id !== identity.appId) {
    throw new GatewayError('40002', 'isv.invalid-app-id', `无效的AppID参数：${params.app_id}`);
  }
  if (params.sign_type !== 'RSA2') {
    throw new GatewayError('40002', 'isv.invalid-signature-type', '无效的签名类型：只支持 RSA2');
  }
  if (params.charset && params.charset.toLowerCase() !== 'utf-8') {
    throw new GatewayError('40002', 'isv.invalid-charset', '字符集错误：只支持 utf-8');
  }
  if (params.version && params.version !== '1.0') {
    throw new GatewayError('40002', 'isv.invalid-version', '版本号错误：只支持 1.0');
  }
  const mode = checkCertificateSerials(params, identity.certificates);
  const verifyingKey =
    mode === 'certificate' && identity.certificates
      ? identity.certificates.appCertPublicKey
      : identity.appPublicKey;
  const content = buildSignContent(params, REQUEST_UNSIGNED_KEYS);
  if (!rsa2Verify(content, params.sign, verifyingKey)) {
    throw new GatewayError(
      '40002',
      'isv.invalid-signature',
      `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${content}`,
    );
  }
  const timestamp = parseBeijingTime(params.timestamp);
  if (timestamp === undefined || Math.abs(now - timestamp) > TIMESTAMP_TOLERANCE_MS) {
    throw new GatewayError(
      '40002',
      'isv.invalid-timestamp',
      `非法的时间戳参数：${params.timestamp}（应为北京时间 yyyy-MM-dd HH:mm:ss，与当前时间相差不超过15分钟）`,
    );
  }
  return mode;
}

/**
 * 公钥证书 mode: both serials or neither. app_cert_sn must name the app certificate the
 * sandbox holds for this app (Alipay: isv.app-cert-not-exist, "应用公钥证书不存在"), and
 * alipay_root_cert_sn the root it issues under (isv.invalid-alipay-root-cert-sn).
 */
function checkCertificateSerials(
  params: Readonly<Record<string, string>>,
  certificates: SandboxCertificates | undefined,
): CallerMode {
  const appCertSn = params.app_cert_sn ?? '';
  const rootCertSn = params.alipay_root_cert_sn ?? '';
  if (appCertSn === '' && rootCertSn === '') return 'publicKey';
  if (appCertSn === '') {
    throw new GatewayError('40002', 'isv.missing-app-cert-sn', '缺少应用公钥证书序列号');
  }
  if (rootCertSn === '') {
    throw new GatewayError('40002', 'isv.missing-alipay-root-cert-sn', '缺少支付宝根证书序列号');
  }
  if (certificates === undefined || appCertSn !== certificates.appCertSn) {
    throw new GatewayError(
      '40002',
      'isv.app-cert-not-exist',
      `应用公钥证书不存在：app_cert_sn ${appCertSn} 不是本应用的公钥证书序列号`,
    );
  }
  if (rootCertSn !== certificates.alipayRootCertSn) {
    throw new GatewayError(
      '40002',
      'isv.invalid-alipay-root-cert-sn',
      `无效的支付宝根证书序列号：${rootCertSn}`,
    );
  }
  return 'certificate';
}
