#!/bin/bash
# PID 1 of the namespaces boot.sh makes, until it becomes systemd.  init.sh WORK
set -euo pipefail
work=$1
tree=$work/tree

mount --make-rprivate /

# The host's global kernel settings stay out of reach (systemd would raise fs.file-max and the
# like): /proc/sys and /sys read-only. The cgroup namespace makes our cgroup the root of the
# cgroup2 mounted here, so systemd runs in unified mode inside it and nowhere else.
mount --bind /proc/sys /proc/sys
mount -o remount,bind,ro /proc/sys
mount -o remount,bind,ro /sys
mount -t cgroup2 cgroup2 /sys/fs/cgroup

# The installed tree over the host's /etc, /usr and /var: writes land in the tree.
for d in etc usr var; do
    mkdir -p "$tree/$d" "$work/overlay-work/$d"
    mount -t overlay overlay -o "lowerdir=/$d,upperdir=$tree/$d,workdir=$work/overlay-work/$d" "/$d"
done

# A private /dev: no host /dev/kmsg, /dev/console or /dev/watchdog, and /dev/log is ours.
mount -t tmpfs -o mode=0755,nosuid,size=1m tmpfs /dev
for node in "null 1 3" "zero 1 5" "full 1 7" "random 1 8" "urandom 1 9" "tty 5 0"; do
    set -- $node
    mknod -m 0666 "/dev/$1" c "$2" "$3"
done
mkdir /dev/pts /dev/shm /dev/mqueue
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts /dev/pts
ln -s pts/ptmx /dev/ptmx
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
mount -t mqueue mqueue /dev/mqueue

# Private /run and /tmp (never the host's /tmp: see real-systemd.md). The work folder stays
# reachable at /run/winnow-test, as it is under the host's /tmp.
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mkdir /run/winnow-test
mount --bind "$work" /run/winnow-test
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp

# The tree's own snippets only.
systemd-sysusers /usr/lib/sysusers.d/winnow.conf
systemd-tmpfiles --create /usr/lib/tmpfiles.d/winnow.conf

export SYSTEMD_UNIT_PATH=/run/winnow-test/units
export SYSTEMD_GENERATOR_PATH=/run/winnow-test/generators
export SYSTEMD_ENVIRONMENT_GENERATOR_PATH=/run/winnow-test/generators
exec /lib/systemd/systemd --system --unit=multi-user.target --show-status=no --log-target=journal
