import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The one error body every failure leaves as (AllExceptionsFilter). */
export class ErrorResponse {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'one message, or one per invalid field',
    example: ['money 金额格式不正确'],
  })
  message: string | string[];

  @ApiProperty({ example: 'Bad Request' })
  error: string;

  @ApiPropertyOptional({ description: 'on a 500 only: the id to look the failure up in the logs' })
  request_id?: string;
}
