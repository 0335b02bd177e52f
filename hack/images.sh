#!/usr/bin/env bash
# Builds the two images of aegis-operator and, when a kind cluster runs, loads them into it.
#
#   hack/images.sh                 build aegis-operator:dev and aegis-agent-runtime:dev
#   TAG=v0.1.0 hack/images.sh      another tag
#   KIND_CLUSTER=aegis hack/images.sh   load into that kind cluster (default: kind's default, "kind")
#   LOAD=false hack/images.sh      build only
#
# Images (both Node 24, non-root uid 1000, no npm in the final stage):
#   aegis-operator       Dockerfile                     the operator: `node src/main.ts`
#   aegis-agent-runtime  src/agent-runtime/Dockerfile   the program in each iteration's pod
#
# Then install with the dev overlay, which uses the :dev tags (imagePullPolicy IfNotPresent) and
# expects the PostgreSQL Secret aegis-postgres (key url) in aegis-system:
#   kubectl create namespace aegis-system
#   kubectl -n aegis-system create secret generic aegis-postgres --from-literal=url=postgres://…
#   kubectl apply --server-side -k manifests/overlays/dev
# Needs Docker (a running daemon) and, to load, kind. Neither is needed by `npm start` or `npm test`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TAG="${TAG:-dev}"
PREFIX="${IMAGE_PREFIX:-}"
KIND_CLUSTER="${KIND_CLUSTER:-kind}"
LOAD="${LOAD:-true}"
DOCKER="${DOCKER:-docker}"

if ! command -v "$DOCKER" >/dev/null 2>&1; then
  echo "hack/images.sh: '$DOCKER' is not installed. Building the images needs Docker (or set DOCKER to a compatible CLI such as podman)." >&2
  exit 2
fi
if ! "$DOCKER" info >/dev/null 2>&1; then
  echo "hack/images.sh: '$DOCKER' is installed but its daemon does not answer ('$DOCKER info' fails). Start Docker and retry." >&2
  exit 2
fi

operator="${PREFIX}aegis-operator:${TAG}"
runtime="${PREFIX}aegis-agent-runtime:${TAG}"

echo "Building ${operator} (Dockerfile)"
"$DOCKER" build -f Dockerfile -t "$operator" .
echo "Building ${runtime} (src/agent-runtime/Dockerfile)"
"$DOCKER" build -f src/agent-runtime/Dockerfile -t "$runtime" .

if [[ "$LOAD" != "true" ]]; then
  echo "Built ${operator} and ${runtime} (LOAD=${LOAD}: not loaded into kind)."
  exit 0
fi
if ! command -v kind >/dev/null 2>&1; then
  echo "Built ${operator} and ${runtime}. kind is not installed, so they were not loaded into a cluster (LOAD=false to skip this step)." >&2
  exit 0
fi
if ! kind get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER"; then
  echo "Built ${operator} and ${runtime}. No kind cluster named '${KIND_CLUSTER}' (kind create cluster --name ${KIND_CLUSTER}, or set KIND_CLUSTER)." >&2
  exit 0
fi
kind load docker-image --name "$KIND_CLUSTER" "$operator" "$runtime"
echo "Loaded ${operator} and ${runtime} into kind cluster '${KIND_CLUSTER}'."
