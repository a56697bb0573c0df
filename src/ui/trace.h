/* --trace FILE: a timestamped line for every key, message from the server
 * and frame drawn, for measuring where time goes (event → frame) without
 * looking at the screen. UI thread only. Off (and free) unless a file is
 * given. */
#ifndef ZKTUI_UI_TRACE_H
#define ZKTUI_UI_TRACE_H

#include <stdbool.h>
#include <stdio.h>

struct app;
struct msg;

/* Starts tracing to f (owned from now on: closed by trace_stop), or stops
 * with NULL. Writes a first line saying what the columns are. */
void trace_start(FILE *f);
void trace_stop(void);
bool trace_on(void);

/* "<monotonic µs> msg KIND PATH rc=RC [n=NAMES] [ver=VERSION] [tag=TAG]" */
void trace_msg(const struct msg *m);
/* "<µs> key CODE", or "key prompt" for keys typed into a prompt (they
 * may be a password or data: never written). */
void trace_key(int code, bool in_prompt);
/* "<µs> frame N took=µs screen=S sel=PATH ver=V mzxid=Z nodes=N rows=R
 * watches=W inflight=F [expanding=K]": after the frame is on the terminal;
 * expanding= while a * walk runs (K: lists read so far; its reads are not
 * in inflight=). */
void trace_frame(const struct app *a, long long started_us);

long long trace_now_us(void);

#endif
