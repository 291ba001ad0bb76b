import { fileURLToPath } from 'node:url';

// The 荏苒 site: server-rendered pages that talk to the API only through this server's own
// /api routes (server/api), which hold the login token in an httpOnly cookie.
export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  telemetry: false,
  devtools: { enabled: false },
  ssr: true,
  css: ['~/assets/css/main.css'],
  // <UserAvatar>, not <CommonUserAvatar>: the folders group files, not names.
  components: [{ path: '~/components', pathPrefix: false }],
  // The amount rules are the API's own code (libs/money), not a copy.
  alias: {
    '@renran/money': fileURLToPath(new URL('../libs/money/src/index.ts', import.meta.url)),
  },
  // Security headers for everything this server sends, the built assets included; pages get
  // their own Content-Security-Policy and Cache-Control (server/plugins/01.page-security-headers.ts)
  // and HSTS over TLS (server/middleware/security-headers.ts). The policy here is for what is
  // not a page (JSON, assets): nothing may run or be framed. We use h3 and a few lines of our
  // own rather than nuxt-security: its CSP hashes only prerendered pages (for rendered ones it
  // uses a nonce, which a page cache cannot replay), its size limit trusts Content-Length
  // (chunked bodies pass), and its CSRF guard is a token, not the Origin rule we follow.
  routeRules: {
    '/**': {
      headers: {
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'strict-origin-when-cross-origin',
      },
    },
  },
  runtimeConfig: {
    // Where this server reaches the API (env NUXT_API_BASE); never sent to the browser.
    apiBase: 'http://127.0.0.1:8000',
    // Set (env NUXT_TRUST_PROXY=true) only when a reverse proxy in front of this server
    // appends the reader's address to X-Forwarded-For; otherwise that header is ignored.
    trustProxy: false,
    public: {},
  },
  app: {
    head: {
      htmlAttrs: { lang: 'zh-CN' },
      title: '荏苒资讯',
      meta: [
        { name: 'viewport', content: 'width=device-width, initial-scale=1' },
        { name: 'description', content: '荏苒资讯：读好文章，给喜欢的作者送一份小礼物。' },
      ],
      link: [{ rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }],
    },
  },
});
