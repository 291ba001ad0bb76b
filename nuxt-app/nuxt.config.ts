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
