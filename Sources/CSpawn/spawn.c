// Fork and exec with limits, in C because nothing but async-signal-safe system calls may run
// between fork and exec in a multi-threaded process (Swift's runtime would allocate, lock, and
// could deadlock on a lock another thread held at fork time).
#define _GNU_SOURCE
#include "CSpawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/// Descriptors at or above this are free in the child for moving the caller's descriptors out
/// of the way of 0, 1, 2 and 3.
#define HIGH_FD 10

__attribute__((noreturn))
static void fail(int status_fd, int stage) {
    struct winnow_spawn_status s = { stage, errno };
    ssize_t ignored = write(status_fd, &s, sizeof s);
    (void)ignored;
    _exit(127);
}

static int limit(int resource, rlim_t soft, rlim_t hard) {
    struct rlimit r = { soft, hard };
    // glibc implements setrlimit with the prlimit64 system call.
    return setrlimit(resource, &r);
}

/// Closes every descriptor from `first` on: close_range when the kernel (5.9+) and the
/// seccomp filter allow it, else one close per possible descriptor.
static int close_from(int first) {
    if (syscall(SYS_close_range, (unsigned)first, ~0U, 0) == 0) return 0;
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) != 0) return -1;
    rlim_t top = r.rlim_cur == RLIM_INFINITY || r.rlim_cur > (1 << 20) ? (1 << 20) : r.rlim_cur;
    for (rlim_t fd = (rlim_t)first; fd < top; fd++) close((int)fd);
    return 0;
}

/// Undoes what exec would carry over from the daemon: a blocked signal mask and ignored
/// signals (an ignored SIGPIPE would make the tool write on after its reader is gone).
static int reset_signals(void) {
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, 0) != 0) return -1;
    struct sigaction dfl = { 0 };
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        // Fails harmlessly for the signals glibc reserves for itself.
        (void)sigaction(sig, &dfl, 0);
    }
    return 0;
}

__attribute__((noreturn))
static void child(const char *path, char *const argv[], char *const envp[],
                  int in, int out, int err, int status, pid_t parent,
                  const struct winnow_spawn_limits *limits) {
    // Its own group, so one kill(-pid) reaches whatever the tool starts.
    if (setpgid(0, 0) != 0) fail(status, WINNOW_SPAWN_SETPGID);
    // Dies when the thread that forked it does; that thread waits for it, so only when the
    // daemon dies.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) fail(status, WINNOW_SPAWN_PDEATHSIG);
    // The parent may have died before prctl took effect.
    if (getppid() != parent) { errno = ESRCH; fail(status, WINNOW_SPAWN_PARENT_GONE); }
    if (limits->address_space_bytes
        && limit(RLIMIT_AS, limits->address_space_bytes, limits->address_space_bytes) != 0)
        fail(status, WINNOW_SPAWN_RLIMIT_AS);
    // At the soft limit the kernel sends SIGXCPU, at the hard limit SIGKILL.
    if (limits->cpu_seconds && limit(RLIMIT_CPU, limits->cpu_seconds, limits->cpu_seconds + 1) != 0)
        fail(status, WINNOW_SPAWN_RLIMIT_CPU);
    if (limit(RLIMIT_FSIZE, 0, 0) != 0) fail(status, WINNOW_SPAWN_RLIMIT_FSIZE);
    if (limit(RLIMIT_CORE, 0, 0) != 0) fail(status, WINNOW_SPAWN_RLIMIT_CORE);
    // Move every given descriptor above 0..3 first, so no dup2 below overwrites another.
    int in2 = fcntl(in, F_DUPFD, HIGH_FD), out2 = fcntl(out, F_DUPFD, HIGH_FD);
    int err2 = fcntl(err, F_DUPFD, HIGH_FD), status2 = fcntl(status, F_DUPFD_CLOEXEC, HIGH_FD);
    if (in2 < 0 || out2 < 0 || err2 < 0 || status2 < 0) fail(status, WINNOW_SPAWN_DUP);
    status = status2;
    if (dup2(in2, 0) < 0 || dup2(out2, 1) < 0 || dup2(err2, 2) < 0) fail(status, WINNOW_SPAWN_DUP);
    if (dup2(status2, 3) < 0 || fcntl(3, F_SETFD, FD_CLOEXEC) != 0) fail(status, WINNOW_SPAWN_DUP);
    status = 3;
    if (close_from(4) != 0) fail(status, WINNOW_SPAWN_CLOSE_FDS);
    if (reset_signals() != 0) fail(status, WINNOW_SPAWN_SIGNALS);
    execve(path, argv, envp ? envp : environ);
    fail(status, WINNOW_SPAWN_EXEC);
}

pid_t winnow_spawn(const char *path, char *const argv[], char *const envp[],
                   int stdin_fd, int stdout_fd, int stderr_fd, int status_fd,
                   const struct winnow_spawn_limits *limits) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0) {
        // Also from the parent, so the group exists before the caller can signal it.
        if (pid > 0) (void)setpgid(pid, pid);
        return pid;
    }
    child(path, argv, envp, stdin_fd, stdout_fd, stderr_fd, status_fd, parent, limits);
}

int winnow_child_ended(pid_t pid) {
    siginfo_t info = { 0 };
    if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0) return -1;
    return info.si_pid == pid ? 1 : 0;
}

int winnow_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
