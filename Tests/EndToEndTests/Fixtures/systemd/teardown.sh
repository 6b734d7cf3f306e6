#!/bin/bash
# Ends what boot.sh started:  teardown.sh WORK
# SIGKILL to the namespace's PID 1 (the kernel ends every process of the PID namespace and the
# mounts go with the mount namespace), then whatever is left in its cgroup, then the cgroup.
# Exits non-zero if anything stays behind (a cgroup that cannot be removed still holds a live
# process). Safe to run twice and from the guard.
set -uo pipefail
work=$1
cg=$(cat "$work/cgroup" 2>/dev/null || true)
pid1=$(cat "$work/pid1" 2>/dev/null || true)
unshare_pid=$(cat "$work/unshare.pid" 2>/dev/null || true)
rm -f "$work/pid1"

# Only a process that still lives in our cgroup is ours (PIDs are reused).
ours() { [ -n "$cg" ] && [ -n "$1" ] && grep -qs "/$(basename "$cg")\(/\|$\)" "/proc/$1/cgroup"; }
ours "$pid1" && kill -KILL "$pid1"
[ -n "$cg" ] && [ -e "$cg/cgroup.kill" ] && echo 1 > "$cg/cgroup.kill" 2>/dev/null
ours "$unshare_pid" && kill -KILL "$unshare_pid"

status=0
if [ -n "$cg" ] && [ -d "$cg" ]; then
    for _ in $(seq 100); do
        find "$cg" -depth -mindepth 1 -type d -exec rmdir {} + 2>/dev/null
        rmdir "$cg" 2>/dev/null && break
        sleep 0.05
    done
    if [ -d "$cg" ]; then
        echo "teardown.sh: cgroup $cg is still there: $(find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null | tr '\n' ' ')" >&2
        status=1
    fi
fi
exit $status
