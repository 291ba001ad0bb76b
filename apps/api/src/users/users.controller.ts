import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/public.decorator.js';
import { CurrentUser } from '../common/current-user.decorator.js';
import type { UserEntity } from './entities/user.entity.js';
import { RegisterDto } from './dto/register.dto.js';
import { toCurrentUser, toRegisteredUser } from './dto/user-responses.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly usersService: UsersService) {}

  @Public()
  @Post('register')
  @HttpCode(HttpStatus.CREATED)
  async register(@Body() dto: RegisterDto) {
    return toRegisteredUser(await this.usersService.register(dto));
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentUser() user: UserEntity) {
    return toCurrentUser(user);
  }
}
