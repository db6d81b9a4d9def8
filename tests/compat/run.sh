#!/usr/bin/env bash
# Compatibility suites: drive the `utmost` binary (release unless UTMOST_BIN names another) with
# Mattermost's own client libraries (Python `mattermostdriver`, Node `@mattermost/client`), on
# SQLite and on PostgreSQL.
#
# Every suite gets a server of its own on a fresh database, so "the first user to sign up becomes
# system admin" can be checked by each suite.
#
# Environment:
#   COMPAT_DATABASES   databases to run on (default "sqlite postgres")
#   COMPAT_SUITES      suites to run (default "python node")
#   COMPAT_SKIP_BUILD  set to 1 to use the existing target/release/utmost
#   UTMOST_BIN         test this binary instead (nothing is built); scripts/test passes the
#                      debug binary `cargo test` already built, to spare CI a release build
#   TEST_DATABASE_URL  PostgreSQL admin URL used to create/drop the per-suite databases
#                      (default postgres://postgres@127.0.0.1:5432/postgres)
#   COMPAT_SUITE_TIMEOUT  seconds one suite may take (default 150)
# Extra arguments go to pytest (e.g. -k login); node --test always runs every file in node/tests.
set -euo pipefail

COMPAT_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$COMPAT_DIR/../.." && pwd)"
BIN="${UTMOST_BIN:-$ROOT/target/release/utmost}"
DATABASES="${COMPAT_DATABASES:-sqlite postgres}"
SUITES="${COMPAT_SUITES:-python node}"
SUITE_TIMEOUT="${COMPAT_SUITE_TIMEOUT:-150}"
PG_ADMIN_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
DATA_ROOT="$COMPAT_DIR/.data"

log() { printf '\n==> %s\n' "$*" >&2; }

# --- build and install the clients ------------------------------------------------------------
if [[ "${COMPAT_SKIP_BUILD:-0}" != 1 && -z "${UTMOST_BIN:-}" ]]; then
    log "building the release binary"
    (cd "$ROOT" && cargo build --release -p utmost)
fi
[[ -x "$BIN" ]] || { echo "missing $BIN" >&2; exit 1; }

log "installing mattermostdriver into tests/compat/.venv"
[[ -x "$COMPAT_DIR/.venv/bin/python" ]] || python3 -m venv "$COMPAT_DIR/.venv"
"$COMPAT_DIR/.venv/bin/pip" install --quiet --disable-pip-version-check \
    -r "$COMPAT_DIR/python/requirements.txt"

log "installing @mattermost/client into tests/compat/node/node_modules"
(cd "$COMPAT_DIR/node" && npm ci --no-audit --no-fund --loglevel=error)

# --- server lifecycle ---------------------------------------------------------------------------
mkdir -p "$DATA_ROOT"
rm -rf "$DATA_ROOT"/run.* # only the latest failed run is kept for inspection
RUN_DIR="$(mktemp -d "$DATA_ROOT/run.XXXXXX")"
SERVER_PID=""
SUITE_PID=""
PG_DBS=()
FAILED=()

stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

pg_url_for() { # replace the database name of the admin URL, keeping any query string
    local base="${PG_ADMIN_URL%%\?*}" query=""
    [[ "$PG_ADMIN_URL" == *\?* ]] && query="?${PG_ADMIN_URL#*\?}"
    printf '%s/%s%s' "${base%/*}" "$1" "$query"
}

cleanup() {
    local status=$?
    if [[ -n "$SUITE_PID" ]]; then
        kill -TERM "$SUITE_PID" 2>/dev/null || true
        wait "$SUITE_PID" 2>/dev/null || true
    fi
    stop_server
    if [[ -n "$LDAP_PID" ]]; then
        kill -TERM "$LDAP_PID" 2>/dev/null || true
        wait "$LDAP_PID" 2>/dev/null || true
    fi
    for db in "${PG_DBS[@]}"; do
        psql "$PG_ADMIN_URL" -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    done
    if [[ $status -eq 0 ]]; then
        rm -rf "$RUN_DIR"
    else
        echo "server logs and data kept in $RUN_DIR" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- a directory for the AD/LDAP test, when slapd is installed (.ci/run installs it) ----------
# One person, uid compatldap, in an OpenLDAP of its own (configured as testkit::ldap does); every
# server is pointed at it, and the node suite reads UTMOST_LDAP_LOGIN.
LDAP_ENV=()
LDAP_PID=""
if [[ -x /usr/sbin/slapd && -x /usr/bin/ldapadd ]]; then
    ldap_dir="$RUN_DIR/ldap"
    ldap_port="$(free_port)"
    mkdir -p "$ldap_dir/db"
    cat >"$ldap_dir/slapd.conf" <<LDAPCONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $ldap_dir/slapd.pid
database mdb
maxsize 104857600
suffix "dc=example,dc=com"
rootdn "cn=admin,dc=example,dc=com"
rootpw secret
directory $ldap_dir/db
LDAPCONF
    /usr/sbin/slapd -f "$ldap_dir/slapd.conf" -h "ldap://127.0.0.1:$ldap_port/" -d 0 >"$ldap_dir/log" 2>&1 &
    LDAP_PID=$!
    for _ in $(seq 1 100); do
        ldapadd -x -H "ldap://127.0.0.1:$ldap_port" -D cn=admin,dc=example,dc=com -w secret \
            >/dev/null 2>&1 <<'LDIF' && break
dn: dc=example,dc=com
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: uid=compatldap,dc=example,dc=com
objectClass: inetOrgPerson
uid: compatldap
cn: Compat Ldap
givenName: Compat
sn: Ldap
mail: compatldap@example.com
userPassword: compat-ldap-pw
LDIF
        sleep 0.1
    done
    LDAP_ENV=(
        MM_LDAPSETTINGS_ENABLE=true MM_LDAPSETTINGS_LDAPSERVER=127.0.0.1
        MM_LDAPSETTINGS_LDAPPORT="$ldap_port" MM_LDAPSETTINGS_BASEDN=dc=example,dc=com
        MM_LDAPSETTINGS_BINDUSERNAME=cn=admin,dc=example,dc=com MM_LDAPSETTINGS_BINDPASSWORD=secret
        MM_LDAPSETTINGS_USERFILTER='(objectClass=inetOrgPerson)' MM_LDAPSETTINGS_IDATTRIBUTE=entryUUID
        MM_LDAPSETTINGS_USERNAMEATTRIBUTE=uid MM_LDAPSETTINGS_LOGINIDATTRIBUTE=uid
        MM_LDAPSETTINGS_EMAILATTRIBUTE=mail MM_LDAPSETTINGS_FIRSTNAMEATTRIBUTE=givenName
        MM_LDAPSETTINGS_LASTNAMEATTRIBUTE=sn
    )
    export UTMOST_LDAP_LOGIN="compatldap:compat-ldap-pw"
fi

# start_server <database> <name>: starts utmost on a fresh database; sets SERVER_URL, SERVER_LOG.
start_server() {
    local database="$1" name="$2" dir="$RUN_DIR/$1-$2" port
    mkdir -p "$dir/files"
    port="$(free_port)"
    SERVER_URL="http://127.0.0.1:$port"
    SERVER_LOG="$dir/server.log"
    local driver datasource
    if [[ "$database" == postgres ]]; then
        local db="utmost_compat_$$_${name}"
        psql "$PG_ADMIN_URL" -q -c "CREATE DATABASE $db" >/dev/null
        PG_DBS+=("$db")
        driver=postgres
        datasource="$(pg_url_for "$db")"
    else
        driver=sqlite
        datasource="$dir/utmost.db"
    fi
    MM_SQLSETTINGS_DRIVERNAME="$driver" \
    MM_SQLSETTINGS_DATASOURCE="$datasource" \
    MM_FILESETTINGS_DIRECTORY="$dir/files" \
    MM_LOGSETTINGS_FILELOCATION="$dir/logs" \
    MM_SERVICESETTINGS_SITEURL="$SERVER_URL" \
    MM_TEAMSETTINGS_ENABLEOPENSERVER=true \
    MM_SERVICESETTINGS_ENABLEUSERACCESSTOKENS=true \
    MM_SERVICESETTINGS_ENABLECUSTOMEMOJI=true \
    MM_SERVICESETTINGS_ENABLEMULTIFACTORAUTHENTICATION=true \
    MM_SQLSETTINGS_ATRESTENCRYPTKEY=compat-at-rest-key-of-thirty-two-characters \
    MM_SERVICESETTINGS_ALLOWEDUNTRUSTEDINTERNALCONNECTIONS=127.0.0.2 \
    MM_LOGSETTINGS_CONSOLELEVEL="${COMPAT_LOG_LEVEL:-INFO}" \
    NO_COLOR=1 \
        env "${LDAP_ENV[@]}" "$BIN" serve --set "ServiceSettings.ListenAddress=127.0.0.1:$port" >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!

    # Ready when /api/v4/system/ping answers 200; a server that answers anything else is
    # reported and the suites still run (their ping test then fails with the details).
    local code=000
    for _ in $(seq 1 150); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "utmost exited during start-up; its log:" >&2
            cat "$SERVER_LOG" >&2
            return 1
        fi
        code="$(curl -s -o /dev/null -w '%{http_code}' "$SERVER_URL/api/v4/system/ping" || true)"
        [[ "$code" == 200 ]] && return 0
        [[ "$code" != 000 ]] && break
        sleep 0.1
    done
    if [[ "$code" == 000 ]]; then
        echo "utmost did not answer on $SERVER_URL within 15 s; its log:" >&2
        cat "$SERVER_LOG" >&2
        return 1
    fi
    echo "WARNING: GET /api/v4/system/ping answered HTTP $code (Mattermost answers 200)" >&2
}

# run_suite <suite> [pytest args...]: runs in the background so a signal reaches the trap at once.
run_suite() {
    local suite="$1"
    shift
    case "$suite" in
        python)
            UTMOST_URL="$SERVER_URL" timeout "$SUITE_TIMEOUT" \
                "$COMPAT_DIR/.venv/bin/python" -m pytest "$COMPAT_DIR/python" "$@" &
            ;;
        node)
            UTMOST_URL="$SERVER_URL" timeout "$SUITE_TIMEOUT" \
                node --test --test-concurrency=1 --test-reporter=spec \
                "$COMPAT_DIR"/node/tests/*.test.mjs &
            ;;
        *)
            echo "unknown suite $suite (python, node)" >&2
            return 2
            ;;
    esac
    SUITE_PID=$!
    wait "$SUITE_PID"
}

for database in $DATABASES; do
    for suite in $SUITES; do
        log "$suite suite on $database"
        start_server "$database" "$suite"
        status=0
        run_suite "$suite" "$@" || status=$?
        SUITE_PID=""
        stop_server
        if [[ $status -ne 0 ]]; then
            FAILED+=("$suite/$database")
            echo "--- server log ($database, $suite suite), last 200 lines: $SERVER_LOG" >&2
            tail -n 200 "$SERVER_LOG" >&2
        fi
    done
done

if [[ ${#FAILED[@]} -gt 0 ]]; then
    log "compatibility suites FAILED: ${FAILED[*]}"
    exit 1
fi
log "compatibility suites passed on: $DATABASES"
