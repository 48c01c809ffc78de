# The bike-retrain worker image (docker-compose.temporal.yml builds it): `bike-retrain worker` by default,
# any other command with `docker compose run --rm worker-light COMMAND …`.
# Compiled once at build (npm run build), then only the runtime packages: the worker bundles its
# workflows with webpack from @temporalio/worker at start, no TypeScript at run time.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    BIKE_RETRAIN_HOME=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
RUN ln -s /app/bin/bike-retrain.js /usr/local/bin/bike-retrain \
    && mkdir /data && chown node:node /data
# The data folder (warehouse, artifacts, registry): one volume shared by every worker of a deployment.
VOLUME /data
USER node
ENTRYPOINT ["bike-retrain"]
CMD ["worker"]
