// The reliability suite runs the built API and sandbox as real processes: build them once.
import { execFileSync } from 'node:child_process';

export default function globalSetup() {
  for (const project of ['api', 'alipay-sandbox']) {
    execFileSync('npx', ['nest', 'build', project], { stdio: 'inherit' });
  }
}
