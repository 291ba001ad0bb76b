// Jest gives each test file a copy of process.env, so `process.env.TZ = ...` inside a test
// never reaches the clock. alipay-sdk writes `timestamp` in local time and Alipay expects
// Beijing time, so suites that drive the SDK run in this environment (docblock
// `@jest-environment`): it sets the worker's real TZ for the file and restores it afterwards.
import { TestEnvironment } from 'jest-environment-node';

export default class BeijingTimeEnvironment extends TestEnvironment {
  constructor(config, context) {
    const previousTz = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai';
    super(config, context);
    this.previousTz = previousTz;
  }

  async teardown() {
    if (this.previousTz === undefined) delete process.env.TZ;
    else process.env.TZ = this.previousTz;
    await super.teardown();
  }
}
