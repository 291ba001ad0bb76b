import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { AppConfig } from '@renran/config';
import { createSecretKey } from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { InjectConfig } from '../common/app-config.module.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { UsersService } from '../users/users.service.js';

export interface JwtPayload {
  sub: number;
  username: string;
}

/**
 * Accepts `Authorization: jwt <token>` (the original site's scheme) and `Bearer <token>`;
 * HS256 only, so `alg: none` and tokens signed another way are refused.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    @InjectConfig() config: AppConfig,
    private readonly usersService: UsersService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromExtractors([
        ExtractJwt.fromAuthHeaderWithScheme('jwt'),
        ExtractJwt.fromAuthHeaderAsBearerToken(),
      ]),
      // A ready KeyObject: given a string, jsonwebtoken first tries it as a PEM public key on
      // every request and builds the secret key from the thrown error (measurable per request,
      // docs/BENCHMARKS.md). The types only know string | Buffer.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(payload: JwtPayload): Promise<UserEntity> {
    const user = Number.isSafeInteger(payload.sub)
      ? await this.usersService.findById(payload.sub)
      : null;
    if (!user) {
      throw new UnauthorizedException('登录已失效，请重新登录');
    }
    return user;
  }
}
