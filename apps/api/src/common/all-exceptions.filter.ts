import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { isDatabaseUnavailableError, isUnstorableTextError } from '@renran/database';
import { STATUS_CODES } from 'node:http';
import { TooManyRequestsException } from './rate-limit/rate-limit.service.js';

interface ErrorBody {
  statusCode: HttpStatus;
  message: string | string[];
  error: string;
  request_id?: string;
}

/** What the filter reads of a request, on any adapter (Fastify's request has these too). */
interface RequestLike {
  id?: unknown;
  method: string;
  url: string;
}

/**
 * Every error leaves as `{statusCode, message, error}`; internals never do. The body parser's
 * errors keep their 4xx (413 past BODY_LIMIT, 400 for broken JSON, 415 for a type it does not
 * read), an unreachable database is a 503, and anything unexpected is a 500 with the request
 * id to look it up in the logs. It answers through Nest's HTTP adapter, so it is written for
 * no one server library.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const context = host.switchToHttp();
    const request = context.getRequest<RequestLike>();
    const response: unknown = context.getResponse();
    const body = this.toBody(exception, request);
    if (exception instanceof TooManyRequestsException) {
      httpAdapter.setHeader(response, 'Retry-After', String(exception.retryAfterSeconds));
    }
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) {
      httpAdapter.setHeader(response, 'Retry-After', '5');
    }
    if (httpAdapter.isHeadersSent(response)) return;
    httpAdapter.reply(response, body, body.statusCode);
  }

  private toBody(exception: unknown, request: RequestLike): ErrorBody {
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
        message: BODY_PARSER_MESSAGES[bodyParserStatus] ?? BODY_PARSER_MESSAGES.default,
        error: STATUS_CODES[bodyParserStatus] ?? 'Bad Request',
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

const BODY_PARSER_MESSAGES: Partial<Record<number, string>> & { default: string } = {
  default: '请求体无法解析，请发送合法的 JSON 或表单',
  [HttpStatus.PAYLOAD_TOO_LARGE]: '请求体过大',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: '不支持的请求体类型，请发送 JSON 或表单',
};

/**
 * Fastify's own request errors (the body parser's: FST_ERR_CTP_BODY_TOO_LARGE,
 * FST_ERR_CTP_INVALID_MEDIA_TYPE, a JSON syntax error, …) carry a 4xx `statusCode`.
 */
function clientErrorStatus(exception: unknown): HttpStatus | undefined {
  if (!(exception instanceof Error)) return undefined;
  const { statusCode } = exception as { statusCode?: unknown };
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return statusCode;
  }
  return undefined;
}
