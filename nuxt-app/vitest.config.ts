import { defineVitestConfig } from '@nuxt/test-utils/config';

// The site's composables run inside a real (happy-dom) Nuxt app, auto-imports and $fetch
// included; API answers come from endpoints the specs register on that app's own server.
export default defineVitestConfig({
  test: {
    environment: 'nuxt',
    include: ['test/**/*.spec.ts'],
    testTimeout: 30_000,
  },
});
