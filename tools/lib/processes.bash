# Starting and stopping the processes of a run: software Alphas, a muxd, a client.
# Sourced by tools/demo and tools/hil (which set -euo pipefail). Every process started here is
# a child of the sourcing script, recorded in STARTED_PIDS, and stopped by stop_started by its
# PID, newest first: nothing is ever stopped by name.

STARTED_PIDS=()

# A child that outlives this script (which SIGKILL alone can cause) gets SIGTERM from the
# kernel: the emulators by their own --exit-with-parent, everything else through setpriv.
WITH_PARENT=()
if setpriv --help 2>/dev/null | grep -q -- --pdeathsig; then
    WITH_PARENT=(setpriv --pdeathsig TERM --)
fi

# die MESSAGE: a failure (exit 1). usage_error MESSAGE: a bad option or a board that is not
# there (exit 2).
die() {
    echo "$(basename "$0"): $*" >&2
    exit 1
}

usage_error() {
    echo "$(basename "$0"): $*" >&2
    exit 2
}

# read_pin: the boards' user PIN into CRYPTECH_PIN (exported for the client): from the
# environment, else typed on the terminal without echo.
read_pin() {
    if [ -z "${CRYPTECH_PIN:-}" ]; then
        { exec 3</dev/tty; } 2>/dev/null || die "set the boards' user PIN in CRYPTECH_PIN (there is no terminal to ask on)"
        read -r -s -p "user PIN of the boards: " CRYPTECH_PIN <&3 2>/dev/tty
        exec 3<&-
        echo >&2
    fi
    export CRYPTECH_PIN
}

# start_alphas BIN_DIR RUN_DIR PIN NAME...: one cryptech-emulator per NAME, state in
# RUN_DIR/alpha-NAME, its RPC tty linked at RUN_DIR/NAME.tty, the user PIN set to PIN, the
# firmware $ALPHA_FIRMWARE (sx1, the default, or reference: the stock firmware), and with
# $ALPHA_FAULT set, that --fault on every link (each board its own seed after the given one).
# The PIN reaches each emulator in its environment (--init-pin-env), never on a command line,
# which every local user can read. Returns once every emulator has printed its tty.
start_alphas() {
    local bin=$1 dir=$2 pin=$3 name seed=0
    shift 3
    for name in "$@"; do
        local fault=()
        seed=$((seed + 1))
        [ -z "${ALPHA_FAULT:-}" ] || fault=(--fault "$ALPHA_FAULT,seed=$seed")
        CRYPTECH_EMULATOR_INIT_PINS="user=$pin" \
            "$bin/cryptech-emulator" --state-dir "$dir/alpha-$name" --link "$dir/$name.tty" \
            --init-pin-env CRYPTECH_EMULATOR_INIT_PINS --wrong-pin-delay 0 --exit-with-parent \
            --firmware "${ALPHA_FIRMWARE:-sx1}" "${fault[@]}" >"$dir/alpha-$name.out" 2>"$dir/alpha-$name.log" </dev/null &
        STARTED_PIDS+=("$!")
    done
    local index=$((${#STARTED_PIDS[@]} - $#))
    for name in "$@"; do
        wait_for "software Alpha $name" "${STARTED_PIDS[$index]}" "$dir/alpha-$name.log" \
            test -s "$dir/alpha-$name.out" -a -L "$dir/$name.tty"
        index=$((index + 1))
    done
}

# start_muxd BIN_DIR RUN_DIR NAME...: one cryptech-muxd serving each NAME's tty on its own
# socket RUN_DIR/NAME.rpc. Returns once every socket exists.
start_muxd() {
    local bin=$1 dir=$2 name
    shift 2
    local boards=()
    for name in "$@"; do
        boards+=(--board "name=$name,rpc-device=$dir/$name.tty,rpc-socket=$dir/$name.rpc")
    done
    # Without these variables the muxd serves only the --board ports given.
    env -u CRYPTECH_RPC_CLIENT_SERIAL_DEVICE -u CRYPTECH_CTY_CLIENT_SERIAL_DEVICE -u CRYPTECH_RPC_CLIENT_SOCKET_NAME \
        "${WITH_PARENT[@]}" "$bin/cryptech-muxd" "${boards[@]}" --log-file "$dir/muxd.log" </dev/null &
    STARTED_PIDS+=("$!")
    local pid=$!
    for name in "$@"; do
        wait_for "cryptech-muxd socket for $name" "$pid" "$dir/muxd.log" test -S "$dir/$name.rpc"
    done
}

# run_client COMMAND...: runs a client to its end. It runs in the background, so that an
# interrupt reaches this script's trap at once (bash runs traps only between commands) and
# stop_started stops the client too. Returns the client's exit status.
run_client() {
    "${WITH_PARENT[@]}" "$@" </dev/null &
    local pid=$!
    STARTED_PIDS+=("$pid")
    local status=0
    wait "$pid" || status=$?
    forget "$pid"
    return "$status"
}

# forget PID: drops a reaped PID from STARTED_PIDS (its number may be reused).
forget() {
    local kept=() each
    for each in "${STARTED_PIDS[@]}"; do
        [ "$each" = "$1" ] || kept+=("$each")
    done
    STARTED_PIDS=("${kept[@]}")
}

# wait_for WHAT PID LOG CONDITION...: polls CONDITION until it holds; fails with the log's
# tail if the process PID exits first or 30 s pass.
wait_for() {
    local what=$1 pid=$2 log=$3
    shift 3
    local tries=0
    until "$@"; do
        if ! is_running "$pid"; then
            tail -n 20 "$log" >&2 2>/dev/null || true
            die "$what exited during start-up (log above)"
        fi
        tries=$((tries + 1))
        [ "$tries" -lt 600 ] || die "$what not ready after 30 s (log: $log)"
        sleep 0.05
    done
}

# is_running PID: whether PID is a live child of this script. Bash reaps a child that exits in
# the background, after which its PID may be given to an unrelated process: the parent field
# in /proc tells the two apart. A zombie counts as stopped.
is_running() {
    local stat fields
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    # Fields after the command name, which sits in parentheses and may hold spaces:
    # state, parent PID, ...
    read -r -a fields <<<"${stat##*) }"
    [ "${fields[0]}" != Z ] && [ "${fields[1]}" = "$$" ]
}

# stop_started: SIGTERM to every process started here, newest first; SIGKILL to one still
# running 10 s later; each is reaped.
stop_started() {
    local index pid tries
    for ((index = ${#STARTED_PIDS[@]} - 1; index >= 0; index--)); do
        pid=${STARTED_PIDS[$index]}
        is_running "$pid" || { wait "$pid" 2>/dev/null || true; continue; }
        kill -TERM "$pid" 2>/dev/null || true
        tries=0
        while is_running "$pid" && [ "$tries" -lt 200 ]; do
            sleep 0.05
            tries=$((tries + 1))
        done
        if is_running "$pid"; then
            echo "$(basename "$0"): process $pid did not stop on SIGTERM; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    STARTED_PIDS=()
}
