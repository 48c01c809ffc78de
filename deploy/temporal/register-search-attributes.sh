#!/bin/sh
# Makes a fresh Temporal cluster ready for bike-retrain: waits until it
# answers, creates the namespace when missing, then registers the workflow's
# custom search attributes. Idempotent: an existing namespace is kept and an
# attribute already registered with the same type is left as it is, so it can
# run on every `docker compose up`.
#
# One script for both places that set up a cluster: the search-attribute job of
# docker-compose.temporal.yml (temporalio/admin-tools image) and the cluster
# test (test/cluster/), which runs it with the Temporal CLI from `npm run setup`.
#
# Environment (read by the Temporal CLI itself):
#   TEMPORAL_ADDRESS    the frontend, host:port (default localhost:7233)
#   TEMPORAL_NAMESPACE  default: default
#   TEMPORAL_CLI        the CLI's path (default: temporal, as in admin-tools)
#   NAMESPACE_RETENTION how long closed runs' histories are kept (default 720h; the audit rows stay regardless)
#   WAIT_SECONDS        how long to wait for the cluster to answer (default 120)
set -eu

# The attributes of src/workflows/search-attributes.ts (ALL_SEARCH_ATTRIBUTES), as NAME=CLI type.
# test/unit/deploy/temporal-cluster-files.test.ts fails when the two lists differ.
SEARCH_ATTRIBUTES="
BikeRetrainDecision=Keyword
BikeRetrainDriftDetected=Bool
BikeRetrainForced=Bool
BikeRetrainStep=Keyword
BikeRetrainBacktest=Bool
"

cli="${TEMPORAL_CLI:-temporal}"
: "${TEMPORAL_ADDRESS:=localhost:7233}"
: "${TEMPORAL_NAMESPACE:=default}"
export TEMPORAL_ADDRESS TEMPORAL_NAMESPACE
retention="${NAMESPACE_RETENTION:-720h}"
wait_seconds="${WAIT_SECONDS:-120}"

fail() {
  echo "register-search-attributes: $*" >&2
  exit 2
}

command -v "$cli" >/dev/null 2>&1 || fail "$cli not found: set TEMPORAL_CLI to the Temporal CLI (npm run setup builds it)"

# Retries a command once a second until it succeeds or $wait_seconds have passed: a cluster
# that has just started refuses calls for a few seconds, and a new namespace takes up to the
# namespace cache's refresh interval to be usable.
retry() {
  what="$1"
  shift
  deadline=$(($(date +%s) + wait_seconds))
  until out=$("$@" 2>&1); do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "$out" >&2
      fail "$what: no success within ${wait_seconds}s at $TEMPORAL_ADDRESS (is the server up? see its log)"
    fi
    sleep 1
  done
}

retry "cluster health" "$cli" operator cluster health

# A namespace created meanwhile by someone else ("already exists") is fine too.
ensure_namespace() {
  "$cli" operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1 && return 0
  created=$("$cli" operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$retention" 2>&1) && return 0
  echo "$created" | grep -q -i "already exists" && return 0
  echo "$created" >&2
  return 1
}
retry "namespace $TEMPORAL_NAMESPACE" ensure_namespace
echo "register-search-attributes: namespace $TEMPORAL_NAMESPACE ready"

set --
for pair in $SEARCH_ATTRIBUTES; do
  set -- "$@" --name "${pair%%=*}" --type "${pair#*=}"
done
retry "search attributes" "$cli" operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" "$@"
echo "register-search-attributes: $(echo $SEARCH_ATTRIBUTES | wc -w) search attributes registered in $TEMPORAL_NAMESPACE"
