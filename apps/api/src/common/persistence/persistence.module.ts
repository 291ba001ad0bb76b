import { Global, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AfterCommitEvents } from './after-commit-events.js';

/** The after-commit event bus, available to every module (each module's writes publish). */
@Global()
@Module({
  imports: [EventEmitterModule.forRoot()],
  providers: [AfterCommitEvents],
  exports: [AfterCommitEvents],
})
export class PersistenceModule {}
