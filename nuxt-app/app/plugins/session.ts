// Reads the session once per page request on the server; the state travels to the browser
// in the payload, so the header and the auth middleware know the reader without a call.
// Without the session cookie nobody is logged in: no call at all. The article page is rendered
// without the reader (shared by all, server/utils/article-page.ts): it reads the session itself
// once shown.
export default defineNuxtPlugin(async () => {
  if (import.meta.server && useCookie(SESSION_COOKIE).value && !rendersWithoutReader()) {
    await useSession().refresh();
  }
});
