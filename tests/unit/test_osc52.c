/* The OSC 52 sequence, plain and wrapped for GNU screen, and the base64
 * it carries (sha1.c's, for binary bytes and every length: test_acl has
 * RFC 4648's vectors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/sha1.h"
#include "model/osc52.h"

static void b64(const char *in, size_t len, const char *want)
{
    char out[64];
    assert_int_equal(base64_encode((const unsigned char *)in, len, out, sizeof out),
                     strlen(want));
    assert_string_equal(out, want);
}

static void test_binary_bytes(void **state)
{
    (void)state;
    b64("\x00", 1, "AA==");
    b64("\xff\xff\xff", 3, "////");
    b64("\xfb\xef\xbe", 3, "++++");
    b64("\x00\x10\x83\x10\x51\x87", 6, "ABCDEFGH");
    b64("caf\xc3\xa9", 5, "Y2Fmw6k=");
}

/* Every byte value, encoded then decoded by a plain reference decoder. */
static void test_round_trip(void **state)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char in[256 + 2], back[sizeof in];
    char out[400];
    (void)state;
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (unsigned char)(i * 7 + 3);
    for (size_t len = 0; len <= sizeof in; len++) {
        size_t n = base64_encode(in, len, out, sizeof out), k = 0;
        unsigned long v = 0;
        int bits = 0;
        assert_int_equal(n % 4, 0);
        for (size_t i = 0; i < n && out[i] != '='; i++) {
            const char *p = strchr(abc, out[i]);
            assert_non_null(p);
            v = v << 6 | (unsigned long)(p - abc);
            if ((bits += 6) >= 8) {
                back[k++] = (unsigned char)(v >> (bits - 8));
                bits -= 8;
            }
        }
        assert_int_equal(k, len);
        assert_memory_equal(back, in, len);
    }
}

static void test_osc52_plain(void **state)
{
    struct strbuf b = { 0 };
    (void)state;
    assert_true(osc52_build("/app/x", 6, OSC52_PLAIN, &b));
    assert_string_equal(sb_str(&b), "\033]52;c;L2FwcC94\a");
    sb_free(&b);
}

static void test_osc52_screen(void **state)
{
    struct strbuf b = { 0 }, want = { 0 };
    char data[100], enc[200];
    (void)state;
    assert_true(osc52_build("hi", 2, OSC52_SCREEN, &b));
    assert_string_equal(sb_str(&b), "\033P\033]52;c;aGk=\033\\\033P\a\033\\");
    sb_reset(&b);
    /* 100 bytes: 136 base64 characters, in pieces of 76 and 60. */
    memset(data, 'x', sizeof data);
    base64_encode((const unsigned char *)data, sizeof data, enc, sizeof enc);
    assert_true(osc52_build(data, sizeof data, OSC52_SCREEN, &b));
    sb_adds(&want, "\033P\033]52;c;");
    sb_add(&want, enc, 76);
    sb_adds(&want, "\033\\\033P");
    sb_add(&want, enc + 76, 60);
    sb_adds(&want, "\033\\\033P\a\033\\");
    assert_string_equal(sb_str(&b), sb_str(&want));
    sb_reset(&b);
    assert_true(osc52_build("", 0, OSC52_SCREEN, &b));
    assert_string_equal(sb_str(&b), "\033P\033]52;c;\033\\\033P\a\033\\");
    sb_free(&b);
    sb_free(&want);
}

static void test_wrap_for(void **state)
{
    (void)state;
    assert_int_equal(osc52_wrap_for(NULL, NULL), OSC52_PLAIN);
    assert_int_equal(osc52_wrap_for("/tmp/tmux-1000/default,1,0", NULL), OSC52_PLAIN);
    assert_int_equal(osc52_wrap_for(NULL, "1234.pts-0.host"), OSC52_SCREEN);
    assert_int_equal(osc52_wrap_for("", "1234.pts-0.host"), OSC52_SCREEN);
    /* tmux inside screen: tmux takes it (set-clipboard on). */
    assert_int_equal(osc52_wrap_for("/tmp/tmux-1000/default,1,0", "1234.pts-0.host"),
                     OSC52_PLAIN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binary_bytes),
        cmocka_unit_test(test_round_trip),   cmocka_unit_test(test_osc52_plain),
        cmocka_unit_test(test_osc52_screen), cmocka_unit_test(test_wrap_for),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
