#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas to the
# newest version shipped with the server. Idempotent: every step is a no-op on a
# database already set up (create-database ignores an existing database,
# setup-schema keeps a newer version, update-schema applies only missing
# versions), so it can run on every `docker compose up`.
#
# One script for both places that set up a cluster: the schema job of
# docker-compose.temporal.yml (temporalio/admin-tools image) and the cluster
# test (test/cluster/), which runs it with the `sql` tool built from
# go.temporal.io/server and the schema folder of that module.
#
# Usage: setup-schema.sh [SCHEMA_DIR]
#   SCHEMA_DIR (or $TEMPORAL_SCHEMA_DIR): the PostgreSQL v12 schema folder, holding
#     temporal/versioned and visibility/versioned; /etc/temporal/schema/postgresql/v12 in
#     the admin-tools image, <go.temporal.io/server module>/schema/postgresql/v12 elsewhere.
# Environment (read by the sql tool itself, so the password never appears on a command line):
#   SQL_HOST, SQL_PORT (5432), SQL_USER, SQL_PASSWORD, SQL_PLUGIN (postgres12)
#   TEMPORAL_SQL_TOOL      the tool's path (default: temporal-sql-tool, as in admin-tools)
#   TEMPORAL_DB            default: temporal
#   TEMPORAL_VISIBILITY_DB default: temporal_visibility
set -eu

schema_dir="${1:-${TEMPORAL_SCHEMA_DIR:-}}"
sql_tool="${TEMPORAL_SQL_TOOL:-temporal-sql-tool}"
: "${SQL_PLUGIN:=postgres12}"
: "${SQL_PORT:=5432}"
export SQL_PLUGIN SQL_PORT

fail() {
  echo "setup-schema: $*" >&2
  exit 2
}

[ -n "$schema_dir" ] ||
  fail "no schema folder: pass it as the first argument or set TEMPORAL_SCHEMA_DIR (e.g. /etc/temporal/schema/postgresql/v12)"
for sub in temporal/versioned visibility/versioned; do
  [ -d "$schema_dir/$sub" ] || fail "$schema_dir/$sub is not a folder: TEMPORAL_SCHEMA_DIR must be the postgresql/v12 schema folder"
done
[ -n "${SQL_HOST:-}" ] || fail "SQL_HOST is not set: the PostgreSQL host to set up"
[ -n "${SQL_USER:-}" ] || fail "SQL_USER is not set: a PostgreSQL role allowed to create databases"
command -v "$sql_tool" >/dev/null 2>&1 ||
  fail "$sql_tool not found: set TEMPORAL_SQL_TOOL to the Temporal SQL tool (npm run setup builds it)"

setup() {
  db="$1"
  versioned="$2"
  echo "setup-schema: $db on $SQL_HOST:$SQL_PORT from $versioned"
  "$sql_tool" --database "$db" create-database
  "$sql_tool" --database "$db" setup-schema --version 0.0
  "$sql_tool" --database "$db" update-schema --schema-dir "$versioned"
}

setup "${TEMPORAL_DB:-temporal}" "$schema_dir/temporal/versioned"
setup "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}" "$schema_dir/visibility/versioned"
echo "setup-schema: done"
