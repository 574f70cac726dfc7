#!/usr/bin/env bash
# Installs (if needed) and starts a PostgreSQL server from Debian's packages, creates the test role
# and database, and prints the URL the store tests use. Sourced by .ci/run; safe to run twice.
set -euo pipefail
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  echo "ci: installing postgresql" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$version main"; then
  as_root pg_createcluster "$version" main >&2
fi
as_root pg_ctlcluster "$version" main start >&2 2>/dev/null || true
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
for _ in $(seq 30); do
  as_root runuser -u postgres -- pg_isready -q -p "$port" && break
  sleep 1
done
psql_admin() { as_root runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qAt "$@"; }
psql_admin -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mashlink_ci') THEN CREATE ROLE mashlink_ci LOGIN PASSWORD 'mashlink-ci-only'; END IF; END \$\$;"
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'mashlink_test'")" != "1" ]; then
  psql_admin -c "CREATE DATABASE mashlink_test OWNER mashlink_ci"
fi
echo "postgres://mashlink_ci:mashlink-ci-only@127.0.0.1:$port/mashlink_test"
