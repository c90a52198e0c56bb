# syntax=docker/dockerfile:1
# Recourse: build with `docker compose -f docker/compose.yaml build` (or `docker build -t recourse .`).
# Two stages on the official node:24-bookworm-slim image (Node 24 LTS), pinned by digest: the build
# stage compiles TypeScript to dist/; the runtime stage holds production dependencies, dist/, the
# ruleset (rules/) and the example requests shown in /docs.
#
# The digest is that of node:24-bookworm-slim when the tag pointed at Node 24.18.0. It could not be
# checked against the registry from the machines this project is built on (no Docker engine there);
# it is the digest that several public projects build with. Verify it once where Docker runs:
#   docker buildx imagetools inspect node:24-bookworm-slim
# and to move to a newer patch release, pass the new digest (a build with a wrong digest fails):
#   docker build --build-arg NODE_IMAGE=node:24-bookworm-slim@sha256:<digest> .
ARG NODE_IMAGE=node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d

# ---- build: npm ci (with dev dependencies) + tsc ------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The lockfile covers the workspace clients/typescript: npm ci needs its package.json too.
COPY package.json package-lock.json ./
COPY clients/typescript/package.json ./clients/typescript/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies only, non-root --------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
COPY clients/typescript/package.json ./clients/typescript/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The `recourse` command line (bin/recourse.js runs dist/cli.js here):
#   docker compose -f docker/compose.yaml exec recourse node bin/recourse.js check
COPY bin ./bin
# The ruleset, its cases (served by GET /v1/rules/{id}) and the explorer's example requests.
# Owned by root and read-only for the `node` user: the service never writes to disk.
COPY rules ./rules
COPY examples ./examples
# The requests the rule cases start from: `recourse check` runs the cases inside the container too.
COPY test/fixtures/requests ./test/fixtures/requests
USER node
EXPOSE 3000
STOPSIGNAL SIGTERM
# No curl in the slim image: Node's fetch asks the readiness probe (503 once shutdown starts).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Memory kept small as in package.json's start script (see README, Processes): 8 MB semi-spaces (Node 24
# grows them to 64 MB under load), a major collection once the old generation has grown 20 %, and no
# Maglev (Node 24's middle compiler tier, ~17 MB of code and metadata here for no measured throughput).
CMD ["node", "--max-semi-space-size=8", "--heap-growing-percent=20", "--no-maglev", "dist/server.js"]
