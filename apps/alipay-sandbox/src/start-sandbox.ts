import 'reflect-metadata';
import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DEV_ALIPAY_APP_ID, DEV_ALIPAY_SELLER_ID } from '@renran/config';
import express from 'express';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { SandboxExceptionsFilter } from './common/sandbox-exceptions.filter.js';
import { SandboxLogger } from './common/sandbox-logger.js';
import { SandboxModule } from './sandbox.module.js';
import { certSn, certSnOfPem, rootCertSn } from './certificates/cert-sn.js';
import type { SandboxCertificates, SandboxRuntime } from './sandbox-runtime.js';
import { loadPrivateKey, loadPublicKey } from './signing/rsa2.js';

export interface StartSandboxOptions {
  /** Port to listen on; 0 picks a free one. Default 8010. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** The merchant app allowed to call. Default DEV_ALIPAY_APP_ID. */
  appId?: string;
  /** seller_id in notices and returns. Default DEV_ALIPAY_SELLER_ID. */
  sellerId?: string;
  /** The app's public key (verifies requests): PEM text, or a path to it. */
  appPublicKeyPem?: string;
  appPublicKeyPath?: string;
  /** The sandbox's "Alipay" private key (signs answers, notices, returns): PEM, or a path. */
  alipayPrivateKeyPem?: string;
  alipayPrivateKeyPath?: string;
  /**
   * 公钥证书 mode: the app certificate, the sandbox's "Alipay" certificate and the root, as
   * PEM or paths (all three, or none: then only public-key callers are served).
   */
  appCertPem?: string;
  appCertPath?: string;
  alipayCertPem?: string;
  alipayCertPath?: string;
  rootCertPem?: string;
  rootCertPath?: string;
  /** Where state.json lives; a restart on the same directory resumes trades and resends. */
  stateDir: string;
  /** Divides Alipay's resend delays: 240 turns the 4-minute first resend into 1 s. Default 1. */
  notifyTimeScale?: number;
  /** How long the `timeout` fault holds an Open API answer. Default 10000. */
  openApiTimeoutMs?: number;
  /** How long one notification POST may take. Default 10000. */
  notifyRequestTimeoutMs?: number;
  /** Log levels, or false for silence. Default error, warn and log (one line per notice sent). */
  logger?: false | LogLevel[];
  /** The clock (epoch ms); tests may move it. Default Date.now. */
  now?: () => number;
}

export interface RunningSandbox {
  /** e.g. http://127.0.0.1:8010 */
  url: string;
  /** e.g. http://127.0.0.1:8010/gateway.do, what ALIPAY_GATEWAY points at. */
  gatewayUrl: string;
  port: number;
  /** Stops resends and held answers, then the server. State stays on disk. */
  close(): Promise<void>;
}

/**
 * Starts the sandbox in this process: `main.ts` uses it, and so can any suite that needs an
 * Alipay to talk to (the API e2e and reliability suites).
 */
export async function startSandbox(options: StartSandboxOptions): Promise<RunningSandbox> {
  const runtime = resolveRuntime(options);
  const logger =
    options.logger === false
      ? undefined
      : new SandboxLogger({ logLevels: options.logger ?? ['error', 'warn', 'log'] });
  const app = await NestFactory.create<NestExpressApplication>(SandboxModule.forRoot(runtime), {
    bodyParser: false,
    abortOnError: false,
    forceCloseConnections: true,
    logger: logger ?? false,
  });
  app.disable('x-powered-by');
  // `extended: false` keeps every form value a string (or an array when a key repeats).
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(express.json({ limit: '100kb' }));
  app.useGlobalFilters(new SandboxExceptionsFilter());
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen(options.port ?? 8010, host);
  } catch (error) {
    await app.close();
    throw error;
  }
  logger?.started();
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://${urlHost(host)}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    gatewayUrl: `${url}/gateway.do`,
    port,
    close: () => (closing ??= app.close()),
  };
}

function resolveRuntime(options: StartSandboxOptions): SandboxRuntime {
  return {
    appId: options.appId ?? DEV_ALIPAY_APP_ID,
    sellerId: options.sellerId ?? DEV_ALIPAY_SELLER_ID,
    appPublicKey: loadPublicKey(
      keyText(options.appPublicKeyPem, options.appPublicKeyPath, 'appPublicKey'),
    ),
    alipayPrivateKey: loadPrivateKey(
      keyText(options.alipayPrivateKeyPem, options.alipayPrivateKeyPath, 'alipayPrivateKey'),
    ),
    certificates: resolveCertificates(options),
    stateDir: resolve(options.stateDir),
    notifyTimeScale: options.notifyTimeScale ?? 1,
    openApiTimeoutMs: options.openApiTimeoutMs ?? 10_000,
    notifyRequestTimeoutMs: options.notifyRequestTimeoutMs ?? 10_000,
    now: options.now ?? Date.now,
  };
}

function resolveCertificates(options: StartSandboxOptions): SandboxCertificates | undefined {
  const given = [
    options.appCertPem ?? options.appCertPath,
    options.alipayCertPem ?? options.alipayCertPath,
    options.rootCertPem ?? options.rootCertPath,
  ];
  if (given.every((value) => value === undefined)) return undefined;
  const appCert = new X509Certificate(keyText(options.appCertPem, options.appCertPath, 'appCert'));
  return {
    appCertSn: certSn(appCert),
    appCertPublicKey: appCert.publicKey,
    alipayCertSn: certSnOfPem(keyText(options.alipayCertPem, options.alipayCertPath, 'alipayCert')),
    alipayRootCertSn: rootCertSn(keyText(options.rootCertPem, options.rootCertPath, 'rootCert')),
  };
}

function keyText(pem: string | undefined, path: string | undefined, name: string): string {
  if (pem !== undefined) return pem;
  if (path !== undefined) return readFileSync(path, 'utf8');
  throw new Error(`startSandbox needs ${name}Pem or ${name}Path`);
}

/** A URL others can use: a wildcard address is reached through loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
