import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import type { AppConfig } from '@renran/config';
import { APP_CONFIG } from '../common/app-config.module.js';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { JwtStrategy } from './jwt.strategy.js';
import { StaffGuard } from './staff.guard.js';

@Module({
  imports: [
    UsersModule,
    PassportModule,
    RateLimitModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: {
          algorithm: 'HS256',
          expiresIn: /^\d+$/.test(config.jwtExpiresIn)
            ? Number(config.jwtExpiresIn)
            : (config.jwtExpiresIn as `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`),
        },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, JwtStrategy, StaffGuard, { provide: APP_GUARD, useClass: JwtAuthGuard }],
  exports: [StaffGuard],
})
export class AuthModule {}
