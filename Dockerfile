# One image for the API and the Alipay sandbox (dev profile); the site has its own stage.
# Not buildable on the development machines here (no Docker engine): kept simple and checked
# by reading. See README, "Production-like deployment".
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY nuxt-app/package.json nuxt-app/package.json
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nest build api && npx nest build alipay-sandbox && npm run build --workspace nuxt-app

FROM node:20-bookworm-slim AS api
ENV NODE_ENV=production TZ=Asia/Shanghai
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/nuxt-app/package.json nuxt-app/package.json
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist dist
USER node
EXPOSE 8000
# The API's live heap is ~50 MB; uncapped, V8 lets garbage pile up to ~300 MB under load before
# collecting it (docs/BENCHMARKS.md). Set NODE_OPTIONS to change it.
ENV NODE_OPTIONS=--max-old-space-size=256
CMD ["node", "dist/apps/api/apps/api/src/main.js"]

FROM api AS sandbox
EXPOSE 8010
CMD ["node", "dist/apps/alipay-sandbox/apps/alipay-sandbox/src/main.js"]

FROM node:20-bookworm-slim AS web
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/nuxt-app/.output .output
USER node
EXPOSE 8080
# As the API: uncapped, garbage piles up to ~700 MB under load (docs/BENCHMARKS.md).
ENV NODE_OPTIONS=--max-old-space-size=256
CMD ["node", ".output/server/index.mjs"]
