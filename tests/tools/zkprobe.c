/* zkprobe: the ensemble prober (src/zk/probe.c) in a poll loop of its own,
 * printing each event as it comes, for the integration tests and by hand.
 *
 *   zkprobe [-i INTERVAL_MS] [-t TIMEOUT_MS] [-n SECONDS] [-s] HOSTS
 *
 * Prints every event as one line "<kind> <text>" ("online ONLINE
 * 127.0.0.1:2181 leader"), flushed, on stdout. Stops after SECONDS (0, the
 * default: at INT or TERM), then with -s prints on stderr one line
 * "rounds R wakeups W cpu_ms C" (W: how often poll returned) and a line
 * per member "name state mode zxid". Interval 2000 and timeout 1000 ms by
 * default. Exit 2 on bad usage. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "model/ensemble.h"
#include "model/events.h"
#include "zk/probe.h"

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static long long clock_ms(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int usage(void)
{
    fprintf(stderr, "usage: zkprobe [-i INTERVAL_MS] [-t TIMEOUT_MS] [-n SECONDS] [-s] HOSTS\n");
    return 2;
}

/* Prints the events added since *shown (a count of all ever added). */
static void print_new(const struct event_log *log, unsigned long long *shown)
{
    unsigned long long fresh = log->total - *shown;

    if (fresh > log->n)
        fresh = log->n; /* more than the ring holds came at once: the oldest are gone */
    for (size_t i = log->n - (size_t)fresh; i < log->n; i++) {
        const struct event *ev = events_get(log, i);
        printf("%s %s\n", event_kind_name(ev->kind), ev->text);
    }
    *shown = log->total;
    fflush(stdout);
}

static void print_stats(const struct probe *p, const struct ensemble *e, unsigned long wakeups)
{
    struct rusage ru;
    long long cpu_ms;

    getrusage(RUSAGE_SELF, &ru);
    cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000LL + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
    fprintf(stderr, "rounds %lu wakeups %lu cpu_ms %lld\n", probe_rounds(p), wakeups, cpu_ms);
    for (size_t i = 0; i < e->n; i++)
        fprintf(stderr, "%s %s %s 0x%llx\n", e->v[i].name, member_state_name(e->v[i].state),
                zk_mode_name(e->v[i].info.mode), (unsigned long long)e->v[i].info.zxid);
}

/* The loop the UI runs too: poll the probe sockets until the next due
 * thing, then let the prober handle what happened. */
static unsigned long run(struct probe *p, size_t members, struct event_log *log, int seconds)
{
    long long end = seconds > 0 ? clock_ms(CLOCK_MONOTONIC) + seconds * 1000LL : 0;
    unsigned long long shown = 0;
    unsigned long wakeups = 0;
    struct pollfd *fds = calloc(members, sizeof *fds);

    while (fds && !stopping) {
        long long now = clock_ms(CLOCK_MONOTONIC);
        int n = probe_pollfds(p, fds, (int)members), t = probe_timeout(p, now);
        if (end && now >= end)
            break;
        if (end && (t < 0 || end - now < t))
            t = (int)(end - now);
        if (poll(fds, (nfds_t)n, t) < 0 && errno != EINTR)
            break;
        wakeups++;
        probe_run(p, fds, n, clock_ms(CLOCK_MONOTONIC), clock_ms(CLOCK_REALTIME), log);
        print_new(log, &shown);
    }
    free(fds);
    return wakeups;
}

int main(int argc, char **argv)
{
    int interval = 2000, timeout = 1000, seconds = 0, opt;
    bool stats = false;
    struct ensemble e;
    struct event_log log;
    struct probe *p;
    struct sigaction sa = {0};
    char err[256];
    unsigned long wakeups;

    while ((opt = getopt(argc, argv, "i:t:n:s")) != -1) {
        switch (opt) {
        case 'i':
            interval = atoi(optarg);
            break;
        case 't':
            timeout = atoi(optarg);
            break;
        case 'n':
            seconds = atoi(optarg);
            break;
        case 's':
            stats = true;
            break;
        default:
            return usage();
        }
    }
    if (optind != argc - 1)
        return usage();
    if (!ensemble_init(&e, argv[optind], err, sizeof err)) {
        fprintf(stderr, "zkprobe: %s: %s\n", argv[optind], err);
        return 2;
    }
    if (!events_init(&log, 1024) || !(p = probe_new(&e, interval, timeout, err, sizeof err))) {
        fprintf(stderr, "zkprobe: %s\n", log.ring ? err : "out of memory");
        events_free(&log);
        ensemble_free(&e);
        return 2;
    }
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    wakeups = run(p, e.n, &log, seconds);
    if (stats)
        print_stats(p, &e, wakeups);
    probe_free(p);
    events_free(&log);
    ensemble_free(&e);
    return 0;
}
