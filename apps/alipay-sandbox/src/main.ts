import { ConfigError } from '@renran/config';
import { ensureSandboxKeyFiles, loadSandboxConfig } from './config/sandbox-config.js';
import { startSandbox } from './start-sandbox.js';

/** `npm run start:sandbox`: the sandbox alone, configured by SANDBOX_* variables. */
async function main(): Promise<void> {
  const config = loadSandboxConfig();
  ensureSandboxKeyFiles(config);
  const sandbox = await startSandbox(config);
  console.log(
    `Alipay sandbox listening on ${sandbox.url} (gateway ${sandbox.gatewayUrl}, app ${config.appId}, state in ${config.stateDir})`,
  );
  const shutdown = async (signal: string): Promise<void> => {
    console.log(`${signal} received, shutting down the Alipay sandbox`);
    await sandbox.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  // One clear line: the variable at fault, or what failed.
  console.error(
    error instanceof ConfigError
      ? error.message
      : `Alipay sandbox failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
