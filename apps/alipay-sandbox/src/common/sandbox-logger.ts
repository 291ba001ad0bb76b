import { ConsoleLogger } from '@nestjs/common';

/** Nest's start-up chatter (one line per module and route), noise next to the API's logs. */
const STARTUP_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/** Where Nest reports a failed start-up; startSandbox rethrows it for the caller to print. */
const STARTUP_ERROR_CONTEXTS = new Set(['ExceptionHandler', 'NestApplication']);

/**
 * The console logger without Nest's start-up lines, and without its multi-line report of a
 * failed start (main.ts prints that as one line). The sandbox's own lines stay.
 */
export class SandboxLogger extends ConsoleLogger {
  private starting = true;

  /** From now on errors are printed whatever their context. */
  started(): void {
    this.starting = false;
  }

  override log(message: unknown, context?: string): void;
  override log(message: unknown, ...rest: unknown[]): void;
  override log(message: unknown, ...rest: unknown[]): void {
    if (STARTUP_CONTEXTS.has(contextOf(rest))) return;
    super.log(message, ...rest);
  }

  override error(message: unknown, stackOrContext?: string): void;
  override error(message: unknown, ...rest: unknown[]): void;
  override error(message: unknown, ...rest: unknown[]): void {
    if (this.starting && STARTUP_ERROR_CONTEXTS.has(contextOf(rest))) return;
    super.error(message, ...rest);
  }
}

function contextOf(rest: unknown[]): string {
  const last = rest[rest.length - 1];
  return typeof last === 'string' ? last : '';
}
