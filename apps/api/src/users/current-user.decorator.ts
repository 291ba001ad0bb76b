import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { UserEntity } from './entities/user.entity.js';

/** The authenticated user, as loaded by the JWT strategy (undefined on @OptionalAuth routes). */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): UserEntity =>
    context.switchToHttp().getRequest<{ user: UserEntity }>().user,
);
