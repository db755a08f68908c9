#!/usr/bin/env bash
# Installs (if missing), starts and provisions MariaDB and PostgreSQL for the test suite on a bare
# Debian machine, as root, without systemd. Idempotent: safe to run any number of times.
#
# Source it (`. .ci/setup-databases.sh`) to get TSDEVLAKE_TEST_MYSQL_URL / TSDEVLAKE_TEST_PG_URL
# exported into the calling shell, or run it directly to only provision the servers.
set -euo pipefail

TSDEVLAKE_DB_USER="${TSDEVLAKE_DB_USER:-tsdevlake}"
TSDEVLAKE_DB_PASSWORD="${TSDEVLAKE_DB_PASSWORD:-tsdevlake}"
TSDEVLAKE_DB_NAME="${TSDEVLAKE_DB_NAME:-tsdevlake_test}"

log() { echo "[setup-databases] $*" >&2; }

install_servers() {
  local missing=()
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    missing+=(postgresql)
  fi
  if [ "${#missing[@]}" -eq 0 ]; then
    log "mariadb-server and postgresql already installed"
    return
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d may refuse to start services during install (containers); we start them ourselves below.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

wait_for() {
  local what="$1" tries=60
  shift
  until "$@" >/dev/null 2>&1; do
    tries=$((tries - 1))
    if [ "$tries" -le 0 ]; then
      log "$what did not become ready"
      return 1
    fi
    sleep 0.5
  done
}

start_mariadb() {
  if mariadb-admin ping >/dev/null 2>&1; then
    log "mariadb already running"
  else
    log "starting mariadb"
    # The init script works without systemd; it refuses only when the datadir is missing.
    if [ ! -d /var/lib/mysql/mysql ]; then
      mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
    fi
    # The SysV script works without systemd (and without the `service` wrapper).
    /etc/init.d/mariadb start >/dev/null
  fi
  wait_for "mariadb" mariadb-admin ping
}

provision_mariadb() {
  log "provisioning mariadb user ${TSDEVLAKE_DB_USER} and database ${TSDEVLAKE_DB_NAME}"
  # root authenticates through the unix socket (unix_socket plugin) on Debian.
  mariadb --protocol=socket -uroot <<SQL
CREATE DATABASE IF NOT EXISTS \`${TSDEVLAKE_DB_NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
CREATE USER IF NOT EXISTS '${TSDEVLAKE_DB_USER}'@'localhost' IDENTIFIED BY '${TSDEVLAKE_DB_PASSWORD}';
CREATE USER IF NOT EXISTS '${TSDEVLAKE_DB_USER}'@'127.0.0.1' IDENTIFIED BY '${TSDEVLAKE_DB_PASSWORD}';
CREATE USER IF NOT EXISTS '${TSDEVLAKE_DB_USER}'@'%' IDENTIFIED BY '${TSDEVLAKE_DB_PASSWORD}';
ALTER USER '${TSDEVLAKE_DB_USER}'@'localhost' IDENTIFIED BY '${TSDEVLAKE_DB_PASSWORD}';
ALTER USER '${TSDEVLAKE_DB_USER}'@'127.0.0.1' IDENTIFIED BY '${TSDEVLAKE_DB_PASSWORD}';
ALTER USER '${TSDEVLAKE_DB_USER}'@'%' IDENTIFIED BY '${TSDEVLAKE_DB_PASSWORD}';
GRANT ALL PRIVILEGES ON \`${TSDEVLAKE_DB_NAME}\`.* TO '${TSDEVLAKE_DB_USER}'@'localhost';
GRANT ALL PRIVILEGES ON \`${TSDEVLAKE_DB_NAME}\`.* TO '${TSDEVLAKE_DB_USER}'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`${TSDEVLAKE_DB_NAME}\`.* TO '${TSDEVLAKE_DB_USER}'@'%';
-- Test files that need tables with fixed names (plugins) get a database of their own: tsdevlake_test_*.
GRANT ALL PRIVILEGES ON \`${TSDEVLAKE_DB_NAME}\_%\`.* TO '${TSDEVLAKE_DB_USER}'@'localhost';
GRANT ALL PRIVILEGES ON \`${TSDEVLAKE_DB_NAME}\_%\`.* TO '${TSDEVLAKE_DB_USER}'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`${TSDEVLAKE_DB_NAME}\_%\`.* TO '${TSDEVLAKE_DB_USER}'@'%';
FLUSH PRIVILEGES;
SQL
}

start_postgres() {
  local version
  version="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
  if [ -z "$(pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main"')" ]; then
    log "creating postgresql ${version} cluster main"
    pg_createcluster "$version" main >/dev/null
  fi
  if pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -qx online; then
    log "postgresql already running"
  else
    log "starting postgresql ${version}"
    # pg_ctlcluster is what the init script runs; it needs neither systemd nor `service`.
    pg_ctlcluster "$version" main start
  fi
  wait_for "postgresql" su postgres -c "psql -qAtc 'SELECT 1'"
}

provision_postgres() {
  log "provisioning postgresql role ${TSDEVLAKE_DB_USER} and database ${TSDEVLAKE_DB_NAME}"
  su postgres -c "psql -v ON_ERROR_STOP=1 -qAt" >/dev/null <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${TSDEVLAKE_DB_USER}') THEN
    CREATE ROLE "${TSDEVLAKE_DB_USER}" LOGIN CREATEDB PASSWORD '${TSDEVLAKE_DB_PASSWORD}';
  ELSE
    -- CREATEDB: test files that need tables with fixed names get a database of their own.
    ALTER ROLE "${TSDEVLAKE_DB_USER}" LOGIN CREATEDB PASSWORD '${TSDEVLAKE_DB_PASSWORD}';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE "${TSDEVLAKE_DB_NAME}" OWNER "${TSDEVLAKE_DB_USER}"'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${TSDEVLAKE_DB_NAME}') \gexec
SQL
}

setup_databases() {
  install_servers
  start_mariadb
  provision_mariadb
  start_postgres
  provision_postgres
  export TSDEVLAKE_TEST_MYSQL_URL="mysql://${TSDEVLAKE_DB_USER}:${TSDEVLAKE_DB_PASSWORD}@127.0.0.1:3306/${TSDEVLAKE_DB_NAME}"
  export TSDEVLAKE_TEST_PG_URL="postgres://${TSDEVLAKE_DB_USER}:${TSDEVLAKE_DB_PASSWORD}@127.0.0.1:5432/${TSDEVLAKE_DB_NAME}"
  log "ready: mysql at 127.0.0.1:3306, postgres at 127.0.0.1:5432 (database ${TSDEVLAKE_DB_NAME})"
}

# Run directly: provision. Sourced: only define the function and let the caller decide.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  setup_databases
fi
