import { Global, Module, type DynamicModule } from '@nestjs/common';
import { SANDBOX_RUNTIME, type SandboxRuntime } from '../sandbox-runtime.js';
import { StateStore } from './state-store.service.js';

/** The resolved runtime options and the persistent store, shared by every feature module. */
@Global()
@Module({})
export class StateModule {
  static forRoot(runtime: SandboxRuntime): DynamicModule {
    return {
      module: StateModule,
      providers: [{ provide: SANDBOX_RUNTIME, useValue: runtime }, StateStore],
      exports: [SANDBOX_RUNTIME, StateStore],
    };
  }
}
