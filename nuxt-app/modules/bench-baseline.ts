import { createResolver, defineNuxtModule, extendPages } from '@nuxt/kit';

/**
 * `npm run bench` only: when the site is built with RENRAN_BENCH=1, adds the page
 * /__bench/bare (nuxt-app/bench/bare.vue), the baseline the article page is measured against
 * (see docs/BENCHMARKS.md). Every other build, `npm start` and CI included, has no such page.
 */
export default defineNuxtModule({
  meta: { name: 'renran-bench-baseline' },
  setup() {
    if (process.env.RENRAN_BENCH !== '1') return;
    const { resolve } = createResolver(import.meta.url);
    extendPages((pages) => {
      pages.push({ name: 'bench-bare', path: '/__bench/bare', file: resolve('../bench/bare.vue') });
    });
  },
});
