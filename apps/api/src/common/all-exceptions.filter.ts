import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { isDatabaseUnavailableError, isUnstorableTextError } from '@renran/database';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { TooManyRequestsException } from './rate-limit/rate-limit.service.js';

interface ErrorBody {
  statusCode: HttpStatus;
  message: string | string[];
  error: string;
  request_id?: string;
}

/**
 * Every error leaves as `{statusCode, message, error}`; internals never do. Body-parser's
 * errors keep their 4xx (413 past BODY_LIMIT, 400 for broken JSON), an unreachable database
 * is a 503, and anything unexpected is a 500 with the request id to look it up in the logs.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const request = context.getRequest<Request & { id?: string }>();
    const response = context.getResponse<Response>();
    const body = this.toBody(exception, request);
    if (exception instanceof TooManyRequestsException) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) {
      response.setHeader('Retry-After', '5');
    }
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, request: Request & { id?: string }): ErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus() as HttpStatus;
      if (status === HttpStatus.PAYLOAD_TOO_LARGE) {
        return { statusCode: status, message: '请求体过大', error: 'Payload Too Large' };
      }
      const payload = exception.getResponse();
      if (typeof payload === 'object' && payload !== null && !('message' in payload)) {
        // A structured body of its own (the /health report): keep it, add the status code.
        return {
          statusCode: status,
          message: STATUS_CODES[status] ?? 'Error',
          ...payload,
        } as ErrorBody;
      }
      if (typeof payload === 'object' && payload !== null) {
        const { message, error } = payload as { message?: string | string[]; error?: string };
        return {
          statusCode: status,
          message: message ?? exception.message,
          error: error ?? STATUS_CODES[status] ?? 'Error',
        };
      }
      return {
        statusCode: status,
        message: String(payload),
        error: STATUS_CODES[status] ?? 'Error',
      };
    }
    const bodyParserStatus = clientErrorStatus(exception);
    if (bodyParserStatus !== undefined) {
      return {
        statusCode: bodyParserStatus,
        message:
          bodyParserStatus === HttpStatus.PAYLOAD_TOO_LARGE
            ? '请求体过大'
            : '请求体无法解析，请发送合法的 JSON 或表单',
        error:
          bodyParserStatus === HttpStatus.PAYLOAD_TOO_LARGE ? 'Payload Too Large' : 'Bad Request',
      };
    }
    if (isUnstorableTextError(exception)) {
      return {
        statusCode: HttpStatus.BAD_REQUEST,
        message: '请求含有无法保存的字符（例如 \\u0000）',
        error: 'Bad Request',
      };
    }
    if (isDatabaseUnavailableError(exception)) {
      this.logger.warn(`database unavailable: ${(exception as Error).message}`);
      return {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        message: '服务暂时不可用（数据库无法连接），请稍后重试',
        error: 'Service Unavailable',
      };
    }
    const requestId = typeof request.id === 'string' ? request.id : undefined;
    this.logger.error(
      { err: exception, request_id: requestId },
      `unhandled error on ${request.method} ${request.url}`,
    );
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      message: '服务器内部错误',
      error: 'Internal Server Error',
      request_id: requestId,
    };
  }
}

/** Errors from body-parser / raw-body carry an HTTP status and a `type` such as entity.too.large. */
function clientErrorStatus(exception: unknown): HttpStatus | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { status, type } = exception as { status?: unknown; type?: unknown };
  if (typeof status === 'number' && status >= 400 && status < 500 && typeof type === 'string') {
    return status;
  }
  return undefined;
}
