import { Module, type DynamicModule } from '@nestjs/common';
import { CashierModule } from './cashier/cashier.module.js';
import { ControlModule } from './control/control.module.js';
import { GatewayModule } from './gateway/gateway.module.js';
import type { SandboxRuntime } from './sandbox-runtime.js';
import { StateModule } from './state/state.module.js';

/** The whole sandbox for one resolved runtime (keys parsed, state directory chosen). */
@Module({})
export class SandboxModule {
  static forRoot(runtime: SandboxRuntime): DynamicModule {
    return {
      module: SandboxModule,
      imports: [StateModule.forRoot(runtime), GatewayModule, CashierModule, ControlModule],
    };
  }
}
