import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ErrorResponse } from './error.response.js';

/** The name of the bearer scheme in the OpenAPI document (DocumentBuilder.addBearerAuth). */
export const JWT_SCHEME = 'jwt';

/** Error answers a route may give, each with the one error body of AllExceptionsFilter. */
export const ApiErrors = (...statuses: number[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, type: ErrorResponse, description: STATUS_CODES[status] }),
    ),
  );

/** A route that needs `Authorization: Bearer <JWT>` (the login token); 401 without one. */
export const ApiJwtAuth = (): MethodDecorator & ClassDecorator =>
  applyDecorators(ApiBearerAuth(JWT_SCHEME), ApiErrors(401));
