import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

const MAX_SERIAL = 2_147_483_647;

/** A positive int4 id from the path; anything else is a 400, never a database error. */
@Injectable()
export class IdParamPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9]\d{0,9}$/.test(value) || Number(value) > MAX_SERIAL) {
      throw new BadRequestException('id 必须是正整数');
    }
    return Number(value);
  }
}
