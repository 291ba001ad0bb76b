// Reads the session once per page request on the server; the state travels to the browser
// in the payload, so the header and the auth middleware know the reader without a call.
export default defineNuxtPlugin(async () => {
  if (import.meta.server) {
    await useSession().refresh();
  }
});
