# syntax=docker/dockerfile:1
# Parley in a container (docs/operations.md, "Containers"). Two stages:
# 1. build: install the locked dependencies, build the widget and the server and pack the npm
#    package (`npm pack` runs `npm run build`), then install that package with its production
#    dependencies only, as an operator would (`npm install parley-<version>.tgz`);
# 2. run: that installation alone, as the unprivileged `node` user, data on the /data volume.
# scripts/check-package.mjs runs the same pack, install and start commands outside Docker.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles its native module when no prebuilt binary can be downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm pack --pack-destination /tmp && mv /tmp/parley-*.tgz /tmp/parley.tgz
WORKDIR /app
# npm 11 runs a dependency's install script only when package.json allows it: better-sqlite3
# needs its script to build (or fetch) its native module.
RUN printf '{"name":"parley-app","private":true,"allowScripts":{"better-sqlite3":true}}\n' > package.json \
 && npm install --omit=dev --no-audit --no-fund /tmp/parley.tgz \
 && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    PARLEY_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# /healthz answers while the process serves; /readyz also asks the database.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM: finish what is under way, tell the widgets, close the database (docs/operations.md).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/node_modules/parley/bin/parley.js"]
CMD ["serve"]
