#!/bin/bash
# Boots Debian's systemd as PID 1 of private namespaces, for SystemdTests (see
# /work/shared/notes/real-systemd.md). Needs root.
#
#   boot.sh WORK OWNER_PID
#
# WORK/tree is a `make install-files DESTDIR=…` tree; it becomes the upper layer of overlays over
# /etc, /usr and /var inside. WORK/units may already hold drop-ins (winnow.service.d/); the stub
# targets, journald's units and winnow.service are added here, and that folder is the whole unit
# path of the namespaced systemd: it never sees the host's units (whose
# systemd-tmpfiles-setup.service would empty the real /tmp).
#
# Prints the host PID of the namespace's PID 1 once `systemctl is-system-running` says running.
# Talk to it with `nsenter -t PID -m -p systemctl …`; end it with teardown.sh WORK. A guard
# process runs teardown.sh by itself if OWNER_PID (the test) goes away first.
set -euo pipefail
# Descriptors a caller leaked to us (Foundation's Process does) would stay open in the background
# processes below and make the caller wait for them: close everything above stderr.
for fd in $(ls /proc/$$/fd); do
    if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi
done
here=$(cd "$(dirname "$0")" && pwd)
work=$(cd "$1" && pwd)
owner=$2
fail() { echo "boot.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root"
[ -x "$work/tree/usr/local/bin/winnow" ] || fail "$work/tree has no usr/local/bin/winnow"

# A cgroup2 hierarchy to put the instance in: hybrid machines mount it on /sys/fs/cgroup/unified.
if [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
    cgroot=/sys/fs/cgroup/unified
elif [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
    cgroot=/sys/fs/cgroup
else
    fail "no cgroup2 hierarchy"
fi
cg=$cgroot/winnow-systemd-test-$(basename "$work")
mkdir "$cg"
echo "$cg" > "$work/cgroup"

# The unit path: stubs, journald's own units, and the unit under test as installed in the tree.
units=$work/units
mkdir -p "$units" "$work/generators"
cp "$here"/units/*.target "$units/"
ln -sf /lib/systemd/system/systemd-journald.service "$units/systemd-journald.service"
ln -sf /lib/systemd/system/systemd-journald.socket "$units/systemd-journald.socket"
ln -sf /usr/lib/systemd/system/winnow.service "$units/winnow.service"

# Started in its own session with no descriptor of ours, so the caller's pipes see EOF. The
# bounding set loses CAP_SYS_MODULE and CAP_SYS_TIME: that systemd believes it boots a machine
# and would otherwise load kernel modules and adjust the clock of the host.
setsid bash -c 'echo $$ > "$1/cgroup.procs" && exec setpriv --bounding-set -sys_module,-sys_time \
    unshare --pid --fork --mount --cgroup --uts --ipc --net --mount-proc --kill-child \
    bash "$2/init.sh" "$3"' boot "$cg" "$here" "$work" \
    </dev/null >"$work/namespace.log" 2>&1 &
unshare_pid=$!
echo "$unshare_pid" > "$work/unshare.pid"

pid1=""
for _ in $(seq 100); do
    pid1=$(cat "/proc/$unshare_pid/task/$unshare_pid/children" 2>/dev/null | awk '{print $1}') || true
    [ -n "$pid1" ] && break
    kill -0 "$unshare_pid" 2>/dev/null || break
    sleep 0.05
done
[ -n "$pid1" ] || { cat "$work/namespace.log" >&2; fail "the namespace did not start"; }
echo "$pid1" > "$work/pid1"

# The guard: cleans up if the test dies without its teardown, and then removes the work folder
# too (its owner cannot any more). It exits once teardown.sh ran (pid1 gone) and tears down by
# itself if PID 1 died or after 10 minutes.
(
    deadline=$((SECONDS + 600))
    while kill -0 "$owner" 2>/dev/null && [ -e "$work/pid1" ] && kill -0 "$pid1" 2>/dev/null \
          && [ $SECONDS -lt $deadline ]; do
        sleep 1
    done
    if [ -e "$work/pid1" ] && "$here/teardown.sh" "$work" && ! kill -0 "$owner" 2>/dev/null; then
        case "$(basename "$work")" in winnow-systemd-*) rm -rf "$work" ;; esac
    fi
) </dev/null >/dev/null 2>&1 &

state=""
for _ in $(seq 150); do
    state=$(nsenter -t "$pid1" -m -p systemctl is-system-running 2>/dev/null) || true
    case "$state" in running) break ;; degraded) break ;; esac
    kill -0 "$pid1" 2>/dev/null || break
    sleep 0.1
done
if [ "$state" != running ]; then
    echo "systemd state: '$state'" >&2
    nsenter -t "$pid1" -m -p systemctl --no-pager list-units --all >&2 2>&1 || true
    nsenter -t "$pid1" -m -p journalctl --no-pager -n 50 >&2 2>&1 || true
    cat "$work/namespace.log" >&2
    fail "the namespaced systemd is not running"
fi
echo "$pid1"
