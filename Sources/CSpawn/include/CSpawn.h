#ifndef WINNOW_CSPAWN_H
#define WINNOW_CSPAWN_H

#include <sys/types.h>

/// Where a child stopped before its program ran, as written to the status pipe.
enum winnow_spawn_stage {
    WINNOW_SPAWN_SETPGID = 1,
    WINNOW_SPAWN_PDEATHSIG = 2,
    WINNOW_SPAWN_PARENT_GONE = 3,
    WINNOW_SPAWN_RLIMIT_AS = 4,
    WINNOW_SPAWN_RLIMIT_CPU = 5,
    WINNOW_SPAWN_RLIMIT_FSIZE = 6,
    WINNOW_SPAWN_RLIMIT_CORE = 7,
    WINNOW_SPAWN_DUP = 8,
    WINNOW_SPAWN_CLOSE_FDS = 9,
    WINNOW_SPAWN_SIGNALS = 10,
    WINNOW_SPAWN_EXEC = 11,
};

/// What the child writes to the status pipe when it cannot run the program (then it exits
/// with 127). Nothing is written when exec succeeds: the pipe is close-on-exec.
struct winnow_spawn_status {
    int stage;  /* enum winnow_spawn_stage */
    int error;  /* errno */
};

/// Limits the child sets on itself before exec. Zero means "leave as inherited".
struct winnow_spawn_limits {
    unsigned long long address_space_bytes;  /* RLIMIT_AS */
    unsigned long long cpu_seconds;          /* RLIMIT_CPU soft; hard is one second more */
};

/// Forks a child that becomes leader of a new process group, dies with its parent thread
/// (PR_SET_PDEATHSIG), takes `limits` plus RLIMIT_FSIZE 0 and RLIMIT_CORE 0, reads `stdin_fd`
/// and writes `stdout_fd`/`stderr_fd` as its 0/1/2, closes every other descriptor except
/// `status_fd` (which must be close-on-exec), and execs `path` (absolute; no PATH search)
/// with `argv` (NULL-terminated) and `envp` (NULL: the caller's environment).
///
/// Between fork and exec the child calls only async-signal-safe functions (raw system calls):
/// the parent may be multi-threaded. Returns the child's pid, or -1 with errno set when fork
/// fails. The caller reads `status_fd`'s other end: EOF means exec succeeded, a
/// `struct winnow_spawn_status` says where the child stopped.
pid_t winnow_spawn(const char *path, char *const argv[], char *const envp[],
                   int stdin_fd, int stdout_fd, int stderr_fd, int status_fd,
                   const struct winnow_spawn_limits *limits);

/// pipe2(fds, O_CLOEXEC): a pipe no other child inherits (Swift cannot see pipe2 without
/// _GNU_SOURCE). Returns 0, or -1 with errno.
int winnow_pipe_cloexec(int fds[2]);

/// Whether child `pid` has ended, without reaping it (waitid with WNOWAIT): 1 ended, 0 still
/// running, -1 with errno on error. Its process group stays valid to signal until it is reaped.
int winnow_child_ended(pid_t pid);

#endif
