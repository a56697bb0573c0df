/* The loop: poll on the terminal, the queue's wake fd and the signal pipe;
 * apply what arrived; draw at most 30 frames a second, and only when
 * something changed. No timer runs while nothing happens. */
#include "ui/ui.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "ui/app_sessions.h"
#include "ui/clip.h"
#include "ui/draw.h"
#include "ui/keys.h"
#include "ui/trace.h"

/* One frame at most every FRAME_MS: 30 a second, counted over any second
 * (at 33 ms a window of one second can hold 31). */
#define FRAME_MS 34
#define TICK_MS 1000
/* Messages applied at a time before keys are read again: a bulk walk's
 * answers come by the thousand. */
#define DRAIN_US 8000
#define PROBE_FDS 64 /* ensemble members probed at once, at most */
#define MIN_COLS 40
#define MIN_ROWS 8

static int sig_pipe[2] = { -1, -1 };
static struct termios saved_tty;
static bool have_saved_tty;
static SCREEN *screen;

static void curses_stop(void)
{
    endwin();
    if (screen)
        delscreen(screen);
    screen = NULL;
}

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char c = (unsigned char)sig;
    if (write(sig_pipe[1], &c, 1) < 0) {
        /* nothing to do: the pipe is full, a wake-up is already pending */
    }
    errno = saved;
}

/* What a crash writes to give the terminal back: built from terminfo while
 * curses starts (keypad off, mouse reports off, attributes, cursor, the
 * main screen), since a signal handler may call nothing that builds it. */
static char fatal_reset[256] = "\033[0m\033[?25h\033[?1049l\r\n";
static size_t fatal_reset_len = sizeof "\033[0m\033[?25h\033[?1049l\r\n" - 1;

static void fatal_reset_add(size_t *n, const char *cap, const char *fallback)
{
    const char *s = cap ? tigetstr(cap) : NULL;
    size_t len;
    if (!s || s == (char *)-1)
        s = fallback;
    len = strlen(s);
    if (*n + len < sizeof fatal_reset) {
        memcpy(fatal_reset + *n, s, len);
        *n += len;
    }
}

static void fatal_reset_build(bool mouse)
{
    size_t n = 0;
    fatal_reset_add(&n, "rmkx", "");
    /* xterm's mouse modes, which curses turns on (no terminfo string turns
     * them off); a terminal without them ignores these. */
    if (mouse)
        fatal_reset_add(&n, NULL, "\033[?1000l\033[?1002l\033[?1003l\033[?1006l");
    fatal_reset_add(&n, "sgr0", "\033[0m");
    fatal_reset_add(&n, "cnorm", "\033[?25h");
    fatal_reset_add(&n, "rmcup", "\033[?1049l");
    fatal_reset_add(&n, NULL, "\r\n");
    fatal_reset_len = n;
}

/* Last resort on a crash: give the terminal back, then die as we would. */
static void on_fatal(int sig)
{
    if (have_saved_tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
    if (write(STDOUT_FILENO, fatal_reset, fatal_reset_len) < 0) {
        /* nothing more can be done */
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static bool signals_setup(void)
{
    struct sigaction sa;
    static const int quit_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH };
    static const int fatal_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
    if (pipe(sig_pipe) != 0)
        return false;
    for (int i = 0; i < 2; i++) {
        fcntl(sig_pipe[i], F_SETFL, O_NONBLOCK);
        fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
    }
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_signal;
    for (size_t i = 0; i < sizeof quit_sigs / sizeof *quit_sigs; i++)
        sigaction(quit_sigs[i], &sa, NULL);
    sa.sa_handler = on_fatal;
    for (size_t i = 0; i < sizeof fatal_sigs / sizeof *fatal_sigs; i++)
        sigaction(fatal_sigs[i], &sa, NULL);
    return true;
}

static void signals_teardown(void)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH };
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        signal(sigs[i], SIG_DFL);
    close(sig_pipe[0]);
    close(sig_pipe[1]);
    sig_pipe[0] = sig_pipe[1] = -1;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The keys in force: the defaults, rebound by the configuration. */
static struct keymap keys;
static bool keys_set;

void ui_keymap(const struct keymap *m)
{
    keys = *m;
    keys_set = true;
}

static enum action action_of(int key)
{
    return keymap_action(&keys, key);
}

/* The command line running $VISUAL/$EDITOR (default vi) on file, the file
 * name single-quoted for sh. */
static bool editor_command(const char *file, char *cmd, size_t len)
{
    const char *ed = getenv("VISUAL");
    size_t n;
    if (!ed || !ed[0])
        ed = getenv("EDITOR");
    if (!ed || !ed[0])
        ed = "vi";
    n = (size_t)snprintf(cmd, len, "%s '", ed);
    for (const char *p = file; *p && n + 5 < len; p++)
        n += (size_t)snprintf(cmd + n, len - n, *p == '\'' ? "'\\''" : "%c", *p);
    return n + 2 < len && snprintf(cmd + n, len - n, "'") == 1;
}

static bool write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t k = write(fd, buf, len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        buf += k;
        len -= (size_t)k;
    }
    return true;
}

/* Reads file (at most max bytes, one more tells it is too long). */
static char *read_file(const char *file, size_t max, size_t *len)
{
    FILE *f = fopen(file, "rb");
    char *buf = f ? malloc(max + 2) : NULL;
    if (buf)
        *len = fread(buf, 1, max + 1, f);
    if (f)
        fclose(f);
    return buf;
}

/* e: hands the terminal to the editor on a temp file with the node's data,
 * takes it back, and sends what changed with the version read before. */
static void run_editor(struct app *a)
{
    char file[512], cmd[1200];
    const char *tmp = getenv("TMPDIR");
    size_t len = 0;
    char *buf;
    int fd, rc;
    struct strbuf text = { 0 };
    app_edit_file_text(a, &text);
    snprintf(file, sizeof file, "%s/zktui-edit-XXXXXX", tmp && tmp[0] == '/' ? tmp : "/tmp");
    if (text.oom || (fd = mkstemp(file)) < 0 || !write_all(fd, sb_str(&text), text.len) ||
        close(fd) != 0 || !editor_command(file, cmd, sizeof cmd)) {
        app_error(a, "cannot write a temp file for the editor: %s", strerror(errno));
        app_edit_done(a, sb_str(&text), text.len, file); /* unchanged: nothing sent */
        unlink(file);
        sb_free(&text);
        return;
    }
    def_prog_mode();
    endwin();
    rc = system(cmd);
    reset_prog_mode();
    clearok(stdscr, TRUE);
    a->dirty = true;
    /* Room for 1 MB as hex (about 4.4 bytes a byte) and one byte more. */
    buf = read_file(file, 5 * 1024 * 1024, &len);
    if (rc != 0 || !buf) {
        app_error(a, "the editor (%s) %s: nothing saved; the text is in %s", cmd,
                  rc != 0 ? "failed" : "left no file", file);
        app_edit_done(a, sb_str(&text), text.len, file);
    } else if (!app_edit_done(a, buf, len, file))
        unlink(file);
    free(buf);
    sb_free(&text);
}

/* :theme NAME: loaded over the defaults and applied at once; a theme
 * that does not load leaves the old one. */
static void switch_theme(struct app *a)
{
    char file[PATH_MAX], err[512];
    struct theme t;
    theme_defaults(&t);
    if (!theme_find(a->theme_request, file, sizeof file))
        app_error(a, "no such theme: '%s'", a->theme_request);
    else if (!theme_load_file(&t, file, err, sizeof err))
        app_error(a, "%s", err);
    else {
        theme_apply(&t);
        clearok(stdscr, TRUE);
        snprintf(a->info, sizeof a->info, "theme %s (%s colours)", t.name, theme_mode_name());
        a->error[0] = '\0';
    }
    a->theme_request[0] = '\0';
    a->dirty = true;
}

/* A second press on the same cell within this is a double click. */
#define DOUBLE_CLICK_MS 400

static void read_mouse(struct app *a)
{
    static long long last_ms = -DOUBLE_CLICK_MS;
    static int last_y = -1, last_x = -1;
    MEVENT ev;
    long long now;
    if (getmouse(&ev) != OK)
        return;
    if (ev.bstate & BUTTON4_PRESSED)
        app_mouse(a, ev.y, ev.x, MOUSE_WHEEL_UP);
    else if (ev.bstate & BUTTON5_PRESSED)
        app_mouse(a, ev.y, ev.x, MOUSE_WHEEL_DOWN);
    else if (ev.bstate & BUTTON1_PRESSED) {
        now = now_ms();
        bool twice = now - last_ms < DOUBLE_CLICK_MS && ev.y == last_y && ev.x == last_x;
        app_mouse(a, ev.y, ev.x, twice ? MOUSE_DOUBLE : MOUSE_CLICK);
        /* A third press starts over. */
        last_ms = twice ? -DOUBLE_CLICK_MS : now;
        last_y = ev.y;
        last_x = ev.x;
    }
}

static void draw_frame(struct app *a);

/* Actions that take the line under a list's cursor (a->list_path). */
static bool acts_on_line(enum action act)
{
    return act == ACT_DELETE || act == ACT_COPY_PATH || act == ACT_COPY_DATA ||
           act == ACT_JUMP || act == ACT_EDIT || act == ACT_INLINE_EDIT || act == ACT_ACL;
}

static void read_keys(struct app *a)
{
    int ch;
    while ((ch = getch()) != ERR) {
        trace_key(ch, a->prompt.kind != PROMPT_NONE);
        if (ch == KEY_RESIZE) {
            a->dirty = true;
            continue;
        }
        if (ch == KEY_MOUSE) {
            read_mouse(a);
            continue;
        }
        if (a->prompt.kind != PROMPT_NONE) {
            app_prompt_key(a, ch == KEY_BACKSPACE || ch == 8 ? 127
                              : ch == KEY_ENTER || ch == '\r' ? '\n'
                              : ch == KEY_UP                 ? APP_KEY_UP
                              : ch == KEY_DOWN               ? APP_KEY_DOWN
                                                             : ch);
        } else {
            enum action act = action_of(ch);
            /* A list's line under the cursor is known once drawn: after j,
             * d must act on the new line, even when both came at once. */
            if (a->dirty && a->screen != SCREEN_TREE && acts_on_line(act))
                draw_frame(a);
            app_act(a, act);
        }
        if (a->theme_request[0])
            switch_theme(a);
        /* e, or r after a conflict: the editor's turn. */
        if (a->edit.path && !a->edit.in_prompt && a->prompt.kind == PROMPT_NONE)
            run_editor(a);
        if (a->clip)
            clip_write(a);
        if (a->quit)
            return;
    }
}

static void on_resize(struct app *a)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    clear();
    a->dirty = true;
}

static void read_signals(struct app *a)
{
    unsigned char c;
    while (read(sig_pipe[0], &c, 1) == 1) {
        if (c == SIGWINCH)
            on_resize(a);
        else
            a->quit = true;
    }
}

static void draw_header(struct app *a, int w)
{
    char buf[256];
    draw_fill(0, 0, w, theme_attr(THEME_HEADER));
    snprintf(buf, sizeof buf, " zktui %s  %s%s%s%s", ZKTUI_VERSION, a->cluster[0] ? "[" : "",
             a->cluster, a->cluster[0] ? "] " : "", zk_hosts(a->zk));
    draw_raw(0, 0, w, theme_attr(THEME_HEADER), buf, strlen(buf));
}

static bool any_lock_shown(const struct app *a)
{
    for (size_t i = 0; i < a->mon.nlocks; i++)
        if (a->mon.locks[i].shown)
            return true;
    return false;
}

/* The tree screen: tree left; detail right, with the locks under it once a
 * lock is known; the latest events in a strip across the bottom. */
static void draw_tree_screen(struct app *a, int h, int w)
{
    int tree_w = w * 2 / 5 < 24 ? 24 : w * 2 / 5;
    int ev_h = h >= 20 && a->log.n > 0 ? (h >= 40 ? 8 : 5) : 0;
    int main_h = h - 2 - ev_h;
    /* The locks under the detail take what they need, up to half: the
     * selected node's data must not be pushed off the screen by a few. */
    size_t lk_need = any_lock_shown(a) ? 1 + pane_locks_compact_lines(&a->mon) : 0;
    int lk_h = lk_need && main_h >= 14 ? main_h / 2 : 0;
    if (lk_h && (size_t)lk_h > (lk_need < 2 ? 2 : lk_need))
        lk_h = (int)(lk_need < 2 ? 2 : lk_need);
    struct rect tree = { 1, 0, main_h, tree_w };
    struct rect detail = { 1, tree_w + 1, main_h - lk_h, w - tree_w - 1 };
    struct rect locks = { 1 + main_h - lk_h, tree_w + 1, lk_h, w - tree_w - 1 };
    struct rect events = { 1 + main_h, 0, ev_h, w };
    pane_tree.draw(a, tree, a->focus == FOCUS_TREE);
    for (int y = 1; y < 1 + main_h; y++)
        draw_safe(y, tree_w, 1, theme_attr(THEME_BORDER), draw_glyph(GLYPH_VLINE));
    pane_detail.draw(a, detail, a->focus == FOCUS_DETAIL);
    if (lk_h)
        pane_locks.draw(a, locks, false);
    if (ev_h)
        pane_events.draw(a, events, false);
}

/* A text prompt longer than its line shows the label, "…" and the end of
 * the input, where the typing is. */
static void draw_prompt_text(const struct prompt *p, int y, int w)
{
    attr_t at = theme_attr(THEME_DIALOG);
    size_t ll = strlen(p->label);
    const char *tail = p->text + ll;
    int x;
    if (!ll || strncmp(p->text, p->label, ll) != 0 || text_width(p->text) <= w - 1 ||
        w < (int)ll + 8) {
        draw_safe(y, 1, w - 1, at, p->text);
        return;
    }
    x = 1 + draw_safe(y, 1, w - 1, at, p->label);
    x += draw_safe(y, x, 1, at, draw_glyph(GLYPH_MORE));
    while (*tail && text_width(tail) > w - x) {
        tail++;
        while ((*tail & 0xc0) == 0x80) /* to the start of the next character */
            tail++;
    }
    draw_safe(y, x, w - x, at, tail);
}

static void draw_frame(struct app *a)
{
    long long started = trace_on() ? trace_now_us() : 0;
    int h = LINES, w = COLS;
    struct rect status = { h - 1, 0, 1, w };
    struct rect whole = { 1, 0, h - 2, w };
    erase();
    if (w < MIN_COLS || h < MIN_ROWS) {
        char msg[80];
        snprintf(msg, sizeof msg, "terminal too small: %dx%d, need %dx%d", w, h, MIN_COLS, MIN_ROWS);
        draw_safe(0, 0, w, theme_attr(THEME_TOO_SMALL), msg);
        refresh();
        return;
    }
    app_sync_rows(a);
    draw_header(a, w);
    switch (a->screen) {
    case SCREEN_LOCKS: pane_locks.draw(a, whole, true); break;
    case SCREEN_SERVICES: pane_services.draw(a, whole, true); break;
    case SCREEN_ENSEMBLE: pane_ensemble.draw(a, whole, true); break;
    case SCREEN_EVENTS: pane_events.draw(a, whole, true); break;
    case SCREEN_HELP: pane_help.draw(a, whole, true); break;
    case SCREEN_SESSIONS: pane_sessions.draw(a, whole, true); break;
    case SCREEN_FIND: pane_find.draw(a, whole, true); break;
    default: draw_tree_screen(a, h, w); break;
    }
    if (a->prompt.kind != PROMPT_NONE) {
        /* Two lines: what it is about, then the question with its keys,
         * so the keys are never cut off. */
        draw_fill(status.y - 1, 0, w, theme_attr(THEME_DIALOG));
        draw_safe(status.y - 1, 1, w - 1, theme_attr(THEME_DIALOG), a->prompt.detail);
        draw_fill(status.y, 0, w, theme_attr(THEME_DIALOG));
        draw_prompt_text(&a->prompt, status.y, w);
    } else
        pane_status.draw(a, status, false);
    refresh();
    a->drawn_gen = a->store->gen;
    a->dirty = false;
    trace_frame(a, started);
    app_prefetch_visible(a);
}

static bool curses_start(const char *theme_file, char *err, size_t errlen)
{
    struct theme t;
    const char *term = getenv("TERM");
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, errlen, "the UI needs a terminal on stdin and stdout (--dump works without)");
        return false;
    }
    if (tcgetattr(STDIN_FILENO, &saved_tty) == 0)
        have_saved_tty = true;
    /* newterm, unlike initscr, returns instead of exiting on a bad TERM. */
    if (!term || !term[0] || !(screen = newterm(NULL, stdout, stdin))) {
        snprintf(err, errlen, "unknown terminal type '%s' (set TERM, e.g. TERM=xterm-256color)",
                 term ? term : "");
        return false;
    }
    if (!tigetstr("cup") || tigetstr("cup") == (char *)-1) {
        curses_stop();
        snprintf(err, errlen, "terminal type '%s' cannot move the cursor; zktui needs one that can",
                 term);
        return false;
    }
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    /* Presses only, reported at once (a double click is told apart here,
     * not by curses, which would hold every click back); the terminal's own
     * selection still works with Shift held. */
    fatal_reset_build(mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL) != 0);
    mouseinterval(0);
    theme_defaults(&t);
    if (theme_file && !theme_load_file(&t, theme_file, err, errlen)) {
        curses_stop();
        return false;
    }
    if (has_colors()) {
        start_color();
        use_default_colors();
    }
    theme_apply(&t);
    return true;
}

/* What made the screen dirty, for deciding when to draw it. */
struct dirt {
    long long since;   /* when it became dirty */
    uint64_t replies;  /* a->replies then */
    bool typed;        /* a key or signal is waiting to be seen */
};

/* When the next frame may be drawn. At most one frame per FRAME_MS; and
 * when the change came from the server with nothing answered yet (a watch
 * fired and its re-read is on the way), wait for the first answer, up to a
 * frame, so that one frame shows the event and its answer together instead
 * of the answer waiting a whole frame behind. Keys and signals never wait
 * for the server. */
static long long frame_due(const struct app *a, long long next_frame, const struct dirt *d)
{
    long long due = next_frame;
    if (!d->typed && zk_in_flight(a->zk) > 0 && a->replies == d->replies &&
        d->since + FRAME_MS > due)
        due = d->since + FRAME_MS;
    return due;
}

static bool any_contender_shown(const struct app *a)
{
    for (size_t i = 0; i < a->mon.nlocks; i++)
        if (a->mon.locks[i].shown && a->mon.locks[i].nrows > 0)
            return true;
    return false;
}

static bool any_member(const struct app *a)
{
    for (size_t i = 0; i < a->mon.nregs; i++)
        if (a->mon.regs[i].n > 0)
            return true;
    return false;
}

/* Ages on screen (held, waited, uptime, since) move by themselves: while
 * any is shown, a frame a second; none otherwise. */
static bool ticking(const struct app *a)
{
    switch (a->screen) {
    case SCREEN_LOCKS:
    case SCREEN_TREE: return any_contender_shown(a);
    case SCREEN_SERVICES: return any_member(a);
    case SCREEN_ENSEMBLE: return a->ens.n > 0;
    case SCREEN_SESSIONS: return app_sessions_ticking(a);
    default: return false;
    }
}

static void loop(struct app *a)
{
    long long next_frame = 0, last_draw = 0;
    struct dirt d = { 0, 0, false };
    while (!a->quit && !a->ctx_request[0]) {
        struct pollfd fds[3 + PROBE_FDS] = {
            { STDIN_FILENO, POLLIN, 0 },
            { queue_fd(a->q), POLLIN, 0 },
            { sig_pipe[0], POLLIN, 0 },
        };
        int timeout = -1, nprobe;
        long long now = now_ms(), due;
        bool was_dirty = a->dirty;
        if (a->dirty) {
            due = frame_due(a, next_frame, &d);
            timeout = due > now ? (int)(due - now) : 0;
        } else if (ticking(a)) {
            due = last_draw + TICK_MS;
            timeout = due > now ? (int)(due - now) : 0;
        }
        if (a->backlog)
            timeout = 0; /* messages wait: keys first, then more of them */
        nprobe = app_probe_fds(a, fds + 3, PROBE_FDS, &timeout);
        if (poll(fds, (nfds_t)(3 + nprobe), timeout) < 0 && errno != EINTR)
            break;
        app_probe_run(a, fds + 3, nprobe);
        if (fds[2].revents & POLLIN) {
            read_signals(a);
            d.typed = true;
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (fds[0].revents & (POLLHUP | POLLERR) && !(fds[0].revents & POLLIN))
                a->quit = true; /* the terminal went away */
            read_keys(a);
            d.typed = true;
        }
        if ((fds[1].revents & POLLIN) || a->backlog)
            app_drain_some(a, DRAIN_US);
        now = now_ms();
        if (!a->dirty && ticking(a) && now >= last_draw + TICK_MS)
            a->dirty = true;
        if (a->dirty && !was_dirty) {
            d.since = now;
            d.replies = a->replies;
        }
        if (a->dirty && !a->quit && now >= frame_due(a, next_frame, &d)) {
            draw_frame(a);
            last_draw = now;
            next_frame = now + FRAME_MS;
            d.typed = false;
        }
    }
}

bool ui_run(struct app *a, const char *theme_file, char *err, size_t errlen)
{
    if (!keys_set)
        keymap_defaults(&keys);
    a->keymap = &keys;
    if (!signals_setup()) {
        snprintf(err, errlen, "cannot create the signal pipe");
        return false;
    }
    if (!curses_start(theme_file, err, errlen)) {
        signals_teardown();
        return false;
    }
    app_history_load(a);
    loop(a);
    curses_stop();
    signals_teardown();
    app_history_save(a);
    return true;
}

bool ui_start(const char *theme_file, char *err, size_t errlen)
{
    if (!keys_set)
        keymap_defaults(&keys);
    if (!signals_setup()) {
        snprintf(err, errlen, "cannot create the signal pipe");
        return false;
    }
    if (!curses_start(theme_file, err, errlen)) {
        signals_teardown();
        return false;
    }
    return true;
}

void ui_loop(struct app *a)
{
    a->keymap = &keys;
    a->dirty = true;
    clearok(stdscr, TRUE);
    loop(a);
}

bool ui_theme(const char *theme_file, char *err, size_t errlen)
{
    struct theme t;
    theme_defaults(&t);
    if (theme_file && !theme_load_file(&t, theme_file, err, errlen))
        return false;
    theme_apply(&t);
    return true;
}

void ui_stop(void)
{
    curses_stop();
    signals_teardown();
}
