import { type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC } from '../common/public.decorator.js';

type Access = true | 'optional' | undefined;

/** Global: every route needs a valid token unless marked @Public() or @OptionalAuth(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.access(context);
    if (access === true) return true;
    if (
      access === 'optional' &&
      !context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers
        .authorization
    ) {
      return true;
    }
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<TUser>(
    error: unknown,
    user: TUser | false,
    _info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (error instanceof Error && !(error instanceof UnauthorizedException)) {
      throw error; // e.g. the database is down: not the caller's fault, not a 401
    }
    if (!user) {
      if (this.access(context) === 'optional') return undefined as TUser;
      throw new UnauthorizedException('请先登录（缺少或无效的令牌）');
    }
    return user;
  }

  private access(context: ExecutionContext): Access {
    return this.reflector.getAllAndOverride<Access>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
  }
}
