# A throwaway etcd cluster on loopback for tools/demo --sites: members started like every other
# process of a run (tools/lib/processes.bash: recorded, stopped by PID, SIGTERM with the parent).
# Sourced after processes.bash. The etcd and etcdctl binaries come from tools/bootstrap.

# Heartbeat and election timeout in ms, as the etcd test clusters use them: 2.5x etcd's defaults,
# so that a member starved of CPU on a loaded machine does not set off elections.
ETCD_HEARTBEAT_MS=250
ETCD_ELECTION_MS=2500

# start_etcd_cluster DIR COUNT: COUNT members on free loopback ports, data and logs under DIR
# (which the caller removes). Sets ETCD_ENDPOINTS (host:port,… in member order). Returns once
# every member serves a linearizable read. A port the kernel handed out can be taken by another
# process before etcd binds it: a member that fails to start ends the attempt, and the next one
# draws new ports.
start_etcd_cluster() {
    local dir=$1 count=$2 attempt
    for attempt in 1 2 3; do
        if start_etcd_members "$dir/attempt-$attempt" "$count"; then
            return 0
        fi
        echo "$(basename "$0"): etcd cluster attempt $attempt failed (logs in $dir/attempt-$attempt); drawing new ports" >&2
    done
    die "could not start an etcd cluster (member logs under $dir)"
}

# start_etcd_members DIR COUNT: one attempt of start_etcd_cluster. On failure its members are
# stopped and it returns 1.
start_etcd_members() {
    local dir=$1 count=$2 member
    mkdir -p "$dir"
    local ports
    read -r -a ports < <(free_loopback_ports $((2 * count)))
    local initial=() endpoints=()
    for ((member = 0; member < count; member++)); do
        initial+=("m$member=http://127.0.0.1:${ports[$((count + member))]}")
        endpoints+=("127.0.0.1:${ports[$member]}")
    done
    local pids=()
    for ((member = 0; member < count; member++)); do
        local client="http://${endpoints[$member]}" peer="http://127.0.0.1:${ports[$((count + member))]}"
        # The token is unique per attempt: members of two clusters that met by a reused port
        # refuse each other.
        "${WITH_PARENT[@]}" etcd --name "m$member" --data-dir "$dir/m$member" \
            --listen-client-urls "$client" --advertise-client-urls "$client" \
            --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
            --initial-cluster "$(IFS=,; echo "${initial[*]}")" --initial-cluster-state new \
            --initial-cluster-token "$(basename "$(dirname "$dir")")-$(basename "$dir")" \
            --heartbeat-interval "$ETCD_HEARTBEAT_MS" --election-timeout "$ETCD_ELECTION_MS" \
            >"$dir/m$member.log" 2>&1 </dev/null &
        pids+=("$!")
        STARTED_PIDS+=("$!")
    done
    local tries
    for ((member = 0; member < count; member++)); do
        tries=0
        until etcd_serves "${endpoints[$member]}"; do
            tries=$((tries + 1))
            if ! is_running "${pids[$member]}" || [ "$tries" -ge 600 ]; then
                tail -n 5 "$dir/m$member.log" >&2 2>/dev/null || true
                stop_pids "${pids[@]}"
                return 1
            fi
            sleep 0.1
        done
    done
    ETCD_ENDPOINTS=$(IFS=,; echo "${endpoints[*]}")
}

# etcd_serves HOST:PORT: whether the member answers a linearizable read (which needs a leader
# and a quorum).
etcd_serves() {
    etcdctl --endpoints "$1" --dial-timeout 1s --command-timeout 5s get /cryptech-demo/ready >/dev/null 2>&1
}

# free_loopback_ports N: N distinct TCP ports on 127.0.0.1 the kernel hands out for port 0, all
# held at once while drawn, on one line.
free_loopback_ports() {
    python3 -c '
import socket, sys
held = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in held: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in held))' "$1"
}

# stop_pids PID...: SIGKILL to these started processes (members of a failed attempt), reaped
# and forgotten.
stop_pids() {
    local pid
    for pid in "$@"; do
        ! is_running "$pid" || kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        forget "$pid"
    done
}
