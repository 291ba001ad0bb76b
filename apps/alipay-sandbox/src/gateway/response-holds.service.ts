import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Response } from 'express';

/**
 * Holds Open API answers for the `timeout` fault: until the hold ends, the client hangs up,
 * or the sandbox shuts down (so close() never waits for a held socket).
 */
@Injectable()
export class ResponseHolds implements OnModuleDestroy {
  private readonly releases = new Set<() => void>();

  hold(response: Response, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        response.off('close', release);
        this.releases.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      response.on('close', release);
      this.releases.add(release);
    });
  }

  onModuleDestroy(): void {
    for (const release of [...this.releases]) release();
  }
}
