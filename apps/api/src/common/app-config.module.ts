import { Global, Inject, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@renran/config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Injects the validated AppConfig: `constructor(@InjectConfig() config: AppConfig)`. */
export const InjectConfig = (): ParameterDecorator => Inject(APP_CONFIG);

@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
