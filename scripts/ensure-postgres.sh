#!/usr/bin/env bash
# Makes sure the PostgreSQL server used by the database tests answers at 127.0.0.1:5432.
# Starts the local cluster when it is installed but stopped; installs it from Debian's packages in CI.
set -euo pipefail
host=127.0.0.1 port=5432

ready() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }

if ready; then exit 0; fi

if [[ -n "${EYEBALL_TEST_PG_URL:-}" ]]; then
  echo "ensure-postgres: EYEBALL_TEST_PG_URL is set; not managing a local server" >&2
  exit 0
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  if [[ "${CI:-}" == "true" && "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-postgres: installing postgresql from Debian's packages" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "ensure-postgres: no PostgreSQL at $host:$port and none installed." >&2
    echo "  Install it (apt-get install postgresql), point EYEBALL_TEST_PG_URL at one," >&2
    echo "  or set EYEBALL_SKIP_PG=1 to run the database tests on the embedded engine only." >&2
    [[ "${EYEBALL_SKIP_PG:-}" == "1" ]] && exit 0
    exit 1
  fi
fi

version="$(ls /etc/postgresql | sort -V | tail -1)"
echo "ensure-postgres: starting PostgreSQL $version" >&2
pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 60); do
  if ready; then
    # A freshly installed cluster only trusts local socket connections for the postgres role.
    if ! psql -h "$host" -U postgres -d postgres -Atc "select 1" >/dev/null 2>&1; then
      conf="/etc/postgresql/$version/main/pg_hba.conf"
      sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$conf"
      pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    fi
    psql -h "$host" -U postgres -d postgres -Atc "select 1 from pg_database where datname='test'" | grep -q 1 ||
      psql -h "$host" -U postgres -d postgres -c "create database test" >/dev/null
    exit 0
  fi
  sleep 0.5
done
echo "ensure-postgres: PostgreSQL did not start at $host:$port" >&2
exit 1
