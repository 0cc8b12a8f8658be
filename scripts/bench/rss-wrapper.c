/* Stand-in for a provider binary in a dev_overrides directory: runs the real provider
 * ($BENCH_REAL) with the same arguments and environment, so Terraform talks to it directly
 * (stdout/stderr are inherited), and when it exits appends a line to $BENCH_RSS_LOG: its peak
 * RSS in KiB (wait4 ru_maxrss), then its user and system CPU time in microseconds. Signals are
 * forwarded. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t child;

static void forward(int sig) {
    if (child > 0) kill(child, sig);
}

int main(int argc, char **argv) {
    const char *real = getenv("BENCH_REAL");
    const char *log = getenv("BENCH_RSS_LOG");
    if (!real || !log) {
        fprintf(stderr, "rss-wrapper: BENCH_REAL and BENCH_RSS_LOG must be set\n");
        return 2;
    }
    (void)argc;
    child = fork();
    if (child < 0) {
        perror("rss-wrapper: fork");
        return 2;
    }
    if (child == 0) {
        argv[0] = (char *)real;
        execv(real, argv);
        perror("rss-wrapper: exec");
        _exit(127);
    }
    signal(SIGTERM, forward);
    signal(SIGINT, forward);
    signal(SIGHUP, forward);
    int status = 0;
    struct rusage usage;
    while (wait4(child, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            perror("rss-wrapper: wait4");
            return 2;
        }
    }
    FILE *out = fopen(log, "a");
    if (out) {
        fprintf(out, "%ld %lld %lld\n", usage.ru_maxrss,
                (long long)usage.ru_utime.tv_sec * 1000000 + usage.ru_utime.tv_usec,
                (long long)usage.ru_stime.tv_sec * 1000000 + usage.ru_stime.tv_usec);
        fclose(out);
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}
