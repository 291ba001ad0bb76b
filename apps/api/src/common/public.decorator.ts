import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';

/** Opts a route out of the global JWT guard (everything else requires a token). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Public, but a valid token (if sent) still identifies the caller; a bad one is ignored. */
export const OptionalAuth = (): MethodDecorator & ClassDecorator =>
  SetMetadata(IS_PUBLIC, 'optional');
