# One multi-stage image definition for all five apps: docker build --build-arg APP=diagnostics .
# APP is one of: api-gateway, webhook-ingest, diagnostics, provisioning, notifier.
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY tsconfig.json .swcrc nest-cli.json ./
COPY tools ./tools
COPY apps ./apps
COPY libs ./libs
RUN node tools/build.mjs && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG APP
ENV NODE_ENV=production APP=${APP} PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# exec form through sh so $APP is expanded and node still receives SIGTERM directly
CMD ["sh", "-c", "exec node dist/apps/${APP}/src/main.js"]
