import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';

/**
 * Errors of the control API leave as `{statusCode, message, error}`, like the API's; a broken
 * body keeps its 4xx, and anything unexpected is a 500 that names no internals.
 */
@Catch()
export class SandboxExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Sandbox');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    if (response.headersSent) return;
    if (exception instanceof HttpException) {
      const payload = exception.getResponse();
      const { message, error } =
        typeof payload === 'object' && payload !== null
          ? (payload as { message?: string | string[]; error?: string })
          : { message: String(payload), error: undefined };
      response.status(exception.getStatus()).json({
        statusCode: exception.getStatus(),
        message: message ?? exception.message,
        error: error ?? exception.name,
      });
      return;
    }
    const status = clientErrorStatus(exception);
    if (status !== undefined) {
      response.status(status).json({
        statusCode: status,
        message: status === 413 ? '请求体过大' : '请求体无法解析',
        error: status === 413 ? 'Payload Too Large' : 'Bad Request',
      });
      return;
    }
    this.logger.error(
      `unhandled error on ${request.method} ${request.originalUrl}: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`,
    );
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      message: '沙箱内部错误',
      error: 'Internal Server Error',
    });
  }
}

/** body-parser's errors carry an HTTP status and a `type` such as entity.parse.failed. */
function clientErrorStatus(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { status, type } = exception as { status?: unknown; type?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && typeof type === 'string'
    ? status
    : undefined;
}
