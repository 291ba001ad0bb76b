import { fileURLToPath } from 'node:url';

// `npm run bench` only: the site exactly as built for production (this app extends it as a
// layer) plus one page, /__bench/bare, the baseline the article page is measured against (see
// docs/BENCHMARKS.md). Built into nuxt-app/bench/.output, so the product's own build never
// contains the page and a bench run never collides with a build of the product.
const productApp = fileURLToPath(new URL('../app/', import.meta.url));

export default defineNuxtConfig({
  extends: ['..'],
  telemetry: false,
  devtools: { enabled: false },
  modules: [
    // In a layer's config `~` would mean this app's srcDir: point the site's CSS back at it.
    (_options, nuxt) => {
      nuxt.options.css = nuxt.options.css.map((entry) =>
        entry.startsWith('~/') ? productApp + entry.slice(2) : entry,
      );
    },
  ],
});
