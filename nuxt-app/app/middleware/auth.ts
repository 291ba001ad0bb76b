// Pages for logged-in readers: others go to /login and come back to the same address
// (for /wallet that keeps Alipay's return query).
export default defineNuxtRouteMiddleware((to) => {
  if (!useSessionUser().value) {
    return navigateTo({ path: '/login', query: { next: to.fullPath } });
  }
});
