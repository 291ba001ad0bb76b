import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UseGuards,
  applyDecorators,
} from '@nestjs/common';
import type { UserEntity } from '../users/entities/user.entity.js';

@Injectable()
export class StaffGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<{ user?: UserEntity }>().user;
    if (!user?.isStaff) {
      throw new ForbiddenException('仅限管理员操作');
    }
    return true;
  }
}

/** Staff-only route or controller; runs after the global JWT guard. */
export const StaffOnly = (): MethodDecorator & ClassDecorator =>
  applyDecorators(UseGuards(StaffGuard));
