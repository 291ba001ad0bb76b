import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isUniqueViolation } from '@renran/database';
import { Repository } from 'typeorm';
import { UserEntity } from './entities/user.entity.js';
import { passwordHasher } from './password-hasher.js';

export interface NewUser {
  username: string;
  password: string;
  nickname?: string;
  isStaff?: boolean;
}

@Injectable()
export class UsersService {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  async register({ username, password, nickname, isStaff = false }: NewUser): Promise<UserEntity> {
    const passwordHash = await passwordHasher.hash(password);
    try {
      return await this.users.save(
        this.users.create({ username, passwordHash, nickname: nickname ?? null, isStaff }),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'users_username_key')) {
        throw new ConflictException('用户名已被注册');
      }
      throw error;
    }
  }

  /** The user when the password matches, else null; costs the same either way. */
  async verifyCredentials(username: string, password: string): Promise<UserEntity | null> {
    const user = await this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.username = :username', { username })
      .getOne();
    const matches = await passwordHasher.verify(user?.passwordHash, password);
    return user && matches ? user : null;
  }

  findById(id: number): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  async getById(id: number): Promise<UserEntity> {
    const user = await this.findById(id);
    if (!user) throw new NotFoundException('用户不存在');
    return user;
  }
}
