import { ApiProperty, type SchemaObject } from '@nestjs/swagger';

const INDICATORS: { type: 'object'; additionalProperties: SchemaObject } = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
};

/**
 * Terminus's health answer. Documented here rather than by @HealthCheck(), which finds
 * @nestjs/swagger (ESM-only) through require(): that works under node but not under Jest,
 * and the document must be the same wherever it is built.
 */
export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'], example: 'ok' })
  status: string;

  @ApiProperty({ ...INDICATORS, nullable: true, example: { database: { status: 'up' } } })
  info?: Record<string, { status: string }>;

  @ApiProperty({ ...INDICATORS, nullable: true, example: {} })
  error?: Record<string, { status: string }>;

  @ApiProperty({ ...INDICATORS, example: { database: { status: 'up' } } })
  details: Record<string, { status: string }>;
}
