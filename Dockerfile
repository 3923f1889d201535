# smi-operator image: `make image` (docker build -t smi-operator:0.1.0 .).
# One image for the operator (`node dist/cli/smictl.js operator`), the
# cert-bootstrap init container, the metrics API (`smictl metrics-api`) and the
# optional in-cluster dashboard (`smictl dashboard`, config/dashboard/).

# ---- build: the same commands as `make build` (npm ci, tsc -p tsconfig.json, the dashboard page) ----
FROM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
RUN npx tsc -p tsconfig.json && node dist/dashboard/build.js && chmod 0755 dist/cli/smictl.js

# ---- production dependencies only ----
FROM node:24-slim AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# ---- runtime: no compiler, no dev dependencies, non-root, nothing written at run time ----
FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/package.json ./package.json
# The programs and the layers under them; never dist/test, dist/bench or dist/dev
# (a unit test walks the imports of every shipped entry point to keep it so).
COPY --from=build /src/dist/schemas ./dist/schemas
COPY --from=build /src/dist/adapters ./dist/adapters
COPY --from=build /src/dist/log ./dist/log
COPY --from=build /src/dist/kube ./dist/kube
COPY --from=build /src/dist/operator ./dist/operator
COPY --from=build /src/dist/metrics-api ./dist/metrics-api
COPY --from=build /src/dist/conformance ./dist/conformance
COPY --from=build /src/dist/release ./dist/release
COPY --from=build /src/dist/cli ./dist/cli
COPY --from=build /src/dist/dashboard ./dist/dashboard
RUN ln -s /app/dist/cli/smictl.js /usr/local/bin/smictl
# jemalloc, preloaded by the manager container (config/manager/manager.yaml LD_PRELOAD): one path
# whatever the architecture's library folder.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libjemalloc2 \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s "$(dpkg -L libjemalloc2 | grep '/libjemalloc.so.2$')" /usr/local/lib/libjemalloc.so.2
# The `node` user of the base image, by number so runAsNonRoot can verify it.
USER 1000:1000
CMD ["node", "--max-semi-space-size=4", "--max-opt=2", "--memory-saver-mode", "dist/cli/smictl.js", "operator"]
