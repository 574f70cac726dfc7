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
# TLS, so the store's verify-full path is tested for real: a throwaway CI CA and a server
# certificate for 127.0.0.1 signed by it. The CA certificate is copied where the tests read it
# (MASHLINK_TEST_POSTGRES_CA, set by .ci/run).
command -v openssl >/dev/null 2>&1 || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq openssl >&2; }
tls=/var/lib/postgresql/mashlink-ci-tls
if ! as_root test -f "$tls/server.crt"; then
  as_root mkdir -p "$tls"
  as_root openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=mashlink CI test CA" \
    -keyout "$tls/ca.key" -out "$tls/ca.crt" >/dev/null 2>&1
  as_root openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$tls/server.key" -out "$tls/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' | as_root tee "$tls/san.ext" >/dev/null
  as_root openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 3650 \
    -extfile "$tls/san.ext" -out "$tls/server.crt" >/dev/null 2>&1
  as_root chown -R postgres:postgres "$tls"
  as_root chmod 600 "$tls/server.key" "$tls/ca.key"
fi
as_root install -m 644 "$tls/ca.crt" /tmp/mashlink-ci-postgres-ca.pem
psql_admin -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mashlink_ci') THEN CREATE ROLE mashlink_ci LOGIN PASSWORD 'mashlink-ci-only'; END IF; END \$\$;"
psql_admin -c "ALTER SYSTEM SET ssl_cert_file = '$tls/server.crt'" -c "ALTER SYSTEM SET ssl_key_file = '$tls/server.key'" \
  -c "ALTER SYSTEM SET ssl = on" -c "SELECT pg_reload_conf()" >/dev/null
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'mashlink_test'")" != "1" ]; then
  psql_admin -c "CREATE DATABASE mashlink_test OWNER mashlink_ci"
fi
echo "postgres://mashlink_ci:mashlink-ci-only@127.0.0.1:$port/mashlink_test"
