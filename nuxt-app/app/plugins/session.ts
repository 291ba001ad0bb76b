// Reads the session once per page request on the server; the state travels to the browser
// in the payload, so the header and the auth middleware know the reader without a call.
// Without the session cookie nobody is logged in: no call at all.
export default defineNuxtPlugin(async () => {
  if (import.meta.server && useCookie(SESSION_COOKIE).value) {
    await useSession().refresh();
  }
});
