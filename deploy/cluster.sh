#!/usr/bin/env bash
# Leerkring's production topology on this machine, loopback only (docs/DEPLOY.md):
#
#   nginx (TLS, HSTS, HTTP -> HTTPS, static files)  :HTTPS_PORT / :HTTP_PORT
#     -> two gunicorn app nodes                      :NODE1_PORT, :NODE2_PORT
#   one `flask worker` (scheduled jobs and the outbox)
#   PostgreSQL (a cluster of its own)                :PG_PORT
#   Redis (rate-limit counters, shared by all nodes) :REDIS_PORT
#   ClamAV clamd (upload scan)                       unix socket
#   an SMTP server (aiosmtpd, mail kept in a Maildir) :SMTP_PORT
#
#   deploy/cluster.sh up|down|status   (make cluster / make cluster-down)
#
# Everything it starts lives in $CLUSTER_DIR with a PID file; `down` stops exactly those
# processes. The database, uploads and mail survive `down`; `up --fresh` starts from empty.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLUSTER_DIR=${CLUSTER_DIR:-/tmp/leerkring-cluster}
BASE_PORT=${CLUSTER_BASE_PORT:-18400}
HTTPS_PORT=$((BASE_PORT + 43))
HTTP_PORT=$((BASE_PORT + 80))
NODE1_PORT=$((BASE_PORT + 1))
NODE2_PORT=$((BASE_PORT + 2))
PG_PORT=$((BASE_PORT + 32))
REDIS_PORT=$((BASE_PORT + 79))
SMTP_PORT=$((BASE_PORT + 25))
NODE_WORKERS=${CLUSTER_NODE_WORKERS:-2}
VENV=$ROOT/.venv
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
DB_PASSWORD=leerkring-cluster # loopback-only throwaway cluster, not a secret

log() { printf '== %s\n' "$*"; }
die() { printf 'cluster: %s\n' "$*" >&2; exit 1; }

# -- what is missing from Debian ------------------------------------------------------------
install_missing() {
    local missing=()
    [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    [ -n "$PG_BIN" ] || missing+=(postgresql)
    [ -x /usr/sbin/clamd ] || missing+=(clamav-daemon)
    command -v openssl >/dev/null 2>&1 || missing+=(openssl)
    if ((${#missing[@]})); then
        [ "$(id -u)" = 0 ] || die "missing ${missing[*]}: install them (apt-get install) or run as root"
        log "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
        PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    [ -x "$VENV/bin/gunicorn" ] || die "no $VENV: run 'make install' first (make cluster does)"
}

# PostgreSQL refuses to run as root: as root its files belong to `postgres`.
as_db() {
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

pid_alive() { [ -f "$1" ] && kill -0 "$(head -n 1 "$1")" 2>/dev/null; }

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
    local seconds=$1 what=$2
    shift 2
    for _ in $(seq 1 $((seconds * 10))); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    die "$what did not come up (logs in $CLUSTER_DIR)"
}

# -- the pieces -----------------------------------------------------------------------------
start_postgres() {
    local data=$CLUSTER_DIR/pg/data
    if [ ! -d "$data" ]; then
        log "initialising PostgreSQL in $data"
        mkdir -p "$CLUSTER_DIR/pg"
        [ "$(id -u)" = 0 ] && chown postgres: "$CLUSTER_DIR/pg"
        as_db "$PG_BIN/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
            -E UTF8 --locale=C.UTF-8 >"$CLUSTER_DIR/pg/initdb.log"
    fi
    if pid_alive "$data/postmaster.pid"; then return; fi
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_db "$PG_BIN/pg_ctl" -D "$data" -l "$CLUSTER_DIR/pg/postgres.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$CLUSTER_DIR/pg -c fsync=on -c synchronous_commit=on" </dev/null >/dev/null 2>&1
    local psql=("$PG_BIN/psql" -X -q -h "$CLUSTER_DIR/pg" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1)
    if [ "$(as_db "${psql[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'leerkring'")" != 1 ]; then
        as_db "${psql[@]}" -c "CREATE ROLE leerkring LOGIN PASSWORD '$DB_PASSWORD'"
        as_db "${psql[@]}" -c "CREATE DATABASE leerkring OWNER leerkring"
    fi
}

start_redis() {
    pid_alive "$CLUSTER_DIR/redis.pid" && return
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes \
        --pidfile "$CLUSTER_DIR/redis.pid" --logfile "$CLUSTER_DIR/redis.log" \
        --dir "$CLUSTER_DIR" --save "" --appendonly no </dev/null >/dev/null 2>&1
    wait_for 20 Redis redis-cli -p "$REDIS_PORT" ping
}

start_clamd() {
    pid_alive "$CLUSTER_DIR/clamd.pid" && return
    log "starting clamd on $CLUSTER_DIR/clamd.sock"
    cat >"$CLUSTER_DIR/clamd.conf" <<CONF
LocalSocket $CLUSTER_DIR/clamd.sock
DatabaseDirectory ${CLAMAV_DATABASE_DIR:-$ROOT/deploy/clamav}
PidFile $CLUSTER_DIR/clamd.pid
LogFile $CLUSTER_DIR/clamd.log
StreamMaxLength 25M
Foreground yes
CONF
    rm -f "$CLUSTER_DIR/clamd.sock"
    nohup /usr/sbin/clamd -c "$CLUSTER_DIR/clamd.conf" >/dev/null 2>&1 &
    wait_for 60 clamd test -S "$CLUSTER_DIR/clamd.sock"
}

start_smtp() {
    pid_alive "$CLUSTER_DIR/smtp.pid" && return
    log "starting the SMTP server on 127.0.0.1:$SMTP_PORT (mail in $CLUSTER_DIR/maildir)"
    nohup "$VENV/bin/python" "$ROOT/deploy/mail_sink.py" --port "$SMTP_PORT" \
        --maildir "$CLUSTER_DIR/maildir" >"$CLUSTER_DIR/smtp.log" 2>&1 &
    echo $! >"$CLUSTER_DIR/smtp.pid"
    wait_for 20 "the SMTP server" bash -c "exec 3<>/dev/tcp/127.0.0.1/$SMTP_PORT"
}

write_environment() {
    [ -f "$CLUSTER_DIR/secret_key" ] || (umask 077 && openssl rand -hex 32 >"$CLUSTER_DIR/secret_key")
    mkdir -p "$CLUSTER_DIR/uploads" "$CLUSTER_DIR/instance"
    cat >"$CLUSTER_DIR/env" <<ENV
LEERKRING_ENV=production
LEERKRING_INSTANCE=$CLUSTER_DIR/instance
SECRET_KEY=$(cat "$CLUSTER_DIR/secret_key")
BASE_URL=https://127.0.0.1:$HTTPS_PORT
DATABASE_URL=postgresql://leerkring:$DB_PASSWORD@127.0.0.1:$PG_PORT/leerkring
UPLOAD_DIR=$CLUSTER_DIR/uploads
RATELIMIT_STORAGE_URI=redis://127.0.0.1:$REDIS_PORT/0
TRUSTED_PROXY_COUNT=1
CLAMD_SOCKET=$CLUSTER_DIR/clamd.sock
MAIL_BACKEND=smtp
MAIL_DELIVERY=worker
MAIL_SERVER=127.0.0.1
MAIL_PORT=$SMTP_PORT
LOG_FORMAT=json
ENV
}

with_env() { env $(grep -v '^#' "$CLUSTER_DIR/env" | xargs) "$@"; }

prepare_database() {
    log "migrating the database"
    (cd "$ROOT" && with_env "$VENV/bin/flask" --app wsgi db upgrade >"$CLUSTER_DIR/migrate.log" 2>&1) ||
        die "migration failed: $CLUSTER_DIR/migrate.log"
    (cd "$ROOT" && with_env "$VENV/bin/flask" --app wsgi seed >>"$CLUSTER_DIR/migrate.log" 2>&1)
    if [ "${CLUSTER_DEMO:-1}" = 1 ]; then
        # The demo accounts share the README's password: a loopback cluster only.
        (cd "$ROOT" && with_env "$VENV/bin/flask" --app wsgi demo --if-empty --force \
            >>"$CLUSTER_DIR/migrate.log" 2>&1)
    fi
}

start_node() { # start_node N PORT
    local pidfile=$CLUSTER_DIR/node$1.pid
    pid_alive "$pidfile" && return
    log "starting app node $1 on 127.0.0.1:$2 ($NODE_WORKERS workers)"
    (cd "$ROOT" && with_env "$VENV/bin/gunicorn" --daemon --chdir "$ROOT" \
        --bind "127.0.0.1:$2" --workers "$NODE_WORKERS" --timeout "${NODE_TIMEOUT:-30}" \
        --graceful-timeout 10 --pid "$pidfile" --error-logfile "$CLUSTER_DIR/node$1.log" \
        --capture-output "wsgi:app" </dev/null >/dev/null 2>&1)
    wait_for 60 "app node $1" curl -fsS -o /dev/null "http://127.0.0.1:$2/healthz"
}

start_worker() {
    pid_alive "$CLUSTER_DIR/worker.pid" && return
    log "starting the worker"
    (cd "$ROOT" && with_env nohup "$VENV/bin/flask" --app wsgi worker >"$CLUSTER_DIR/worker.log" 2>&1 &
        echo $! >"$CLUSTER_DIR/worker.pid")
}

start_nginx() {
    pid_alive "$CLUSTER_DIR/nginx/nginx.pid" && return
    mkdir -p "$CLUSTER_DIR/nginx" "$CLUSTER_DIR/tls"
    if [ ! -f "$CLUSTER_DIR/tls/cert.pem" ]; then
        log "making a self-signed certificate for 127.0.0.1"
        openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=127.0.0.1" \
            -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
            -keyout "$CLUSTER_DIR/tls/key.pem" -out "$CLUSTER_DIR/tls/cert.pem" 2>/dev/null
    fi
    local user=""
    # As root, nginx's worker runs as nobody: it must be able to read static/ (it can) and
    # write its temporary files.
    if [ "$(id -u)" = 0 ]; then
        user="user nobody nogroup;"
        mkdir -p "$CLUSTER_DIR/nginx/body" "$CLUSTER_DIR/nginx/proxy"
        chown nobody: "$CLUSTER_DIR/nginx/body" "$CLUSTER_DIR/nginx/proxy"
    fi
    sed -e "s#@DIR@#$CLUSTER_DIR#g" -e "s#@STATIC@#$ROOT/static#g" -e "s#@USER@#$user#" \
        -e "s#@HTTPS_PORT@#$HTTPS_PORT#g" -e "s#@HTTP_PORT@#$HTTP_PORT#g" \
        -e "s#@NODE1_PORT@#$NODE1_PORT#g" -e "s#@NODE2_PORT@#$NODE2_PORT#g" \
        "$ROOT/deploy/nginx.conf.in" >"$CLUSTER_DIR/nginx/nginx.conf"
    /usr/sbin/nginx -t -q -p "$CLUSTER_DIR/nginx" -e "$CLUSTER_DIR/nginx/error.log" \
        -c "$CLUSTER_DIR/nginx/nginx.conf"
    log "starting nginx on https://127.0.0.1:$HTTPS_PORT (http://127.0.0.1:$HTTP_PORT redirects)"
    /usr/sbin/nginx -p "$CLUSTER_DIR/nginx" -e "$CLUSTER_DIR/nginx/error.log" \
        -c "$CLUSTER_DIR/nginx/nginx.conf" </dev/null >/dev/null 2>&1
    wait_for 20 nginx curl -fsSk -o /dev/null "https://127.0.0.1:$HTTPS_PORT/readyz"
}

# -- commands -------------------------------------------------------------------------------
up() {
    install_missing
    [ "${1:-}" = --fresh ] && down_all && rm -rf "$CLUSTER_DIR"
    mkdir -p "$CLUSTER_DIR"
    chmod 755 "$CLUSTER_DIR"
    start_postgres
    start_redis
    start_clamd
    start_smtp
    write_environment
    prepare_database
    start_node 1 "$NODE1_PORT"
    start_node 2 "$NODE2_PORT"
    start_worker
    start_nginx
    log "up: https://127.0.0.1:$HTTPS_PORT (self-signed; curl -k). Environment: $CLUSTER_DIR/env"
}

stop_pidfile() { # stop_pidfile NAME FILE [SIGNAL]
    local file=$2
    if pid_alive "$file"; then
        local pid
        pid=$(head -n 1 "$file")
        log "stopping $1 (pid $pid)"
        kill "-${3:-TERM}" "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    fi
    rm -f "$file"
}

down_all() {
    [ -d "$CLUSTER_DIR" ] || return 0
    stop_pidfile nginx "$CLUSTER_DIR/nginx/nginx.pid" QUIT
    stop_pidfile worker "$CLUSTER_DIR/worker.pid"
    stop_pidfile "app node 1" "$CLUSTER_DIR/node1.pid"
    stop_pidfile "app node 2" "$CLUSTER_DIR/node2.pid"
    stop_pidfile "the SMTP server" "$CLUSTER_DIR/smtp.pid"
    stop_pidfile clamd "$CLUSTER_DIR/clamd.pid"
    stop_pidfile Redis "$CLUSTER_DIR/redis.pid"
    if pid_alive "$CLUSTER_DIR/pg/data/postmaster.pid"; then
        log "stopping PostgreSQL"
        as_db "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/pg/data" -m fast -w stop >/dev/null
    fi
}

status() {
    local state=0 name file
    for name in nginx:nginx/nginx.pid node1:node1.pid node2:node2.pid worker:worker.pid \
        postgres:pg/data/postmaster.pid redis:redis.pid clamd:clamd.pid smtp:smtp.pid; do
        file=$CLUSTER_DIR/${name#*:}
        if pid_alive "$file"; then
            printf '%-9s up   (pid %s)\n' "${name%%:*}" "$(head -n 1 "$file")"
        else
            printf '%-9s down\n' "${name%%:*}"
            state=1
        fi
    done
    return $state
}

case "${1:-}" in
    up) up "${2:-}" ;;
    down) down_all ;;
    status) status ;;
    env) cat "$CLUSTER_DIR/env" ;;
    *) echo "usage: $0 up [--fresh] | down | status | env" >&2; exit 2 ;;
esac
