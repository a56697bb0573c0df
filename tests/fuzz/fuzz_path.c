/* libFuzzer: znode path checks and joins, sequence-number parsing, connect
 * strings and durations, on any bytes (as one NUL-terminated string). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/datafmt.h"
#include "model/path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    const char *why;
    long long seq, ms;
    char *j;
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    if (path_is_valid(s, &why)) {
        /* A valid path's pieces are consistent. */
        size_t plen = path_parent_len(s);
        if (plen > strlen(s) || path_depth(s) < 0)
            abort();
        (void)path_basename(s);
        if ((j = path_join(s, "x")))
            free(j);
    }
    (void)name_seq_len(s, &seq);
    (void)name_seq_suffix(s, &seq);
    (void)connect_string_valid(s, &why);
    (void)duration_parse(s, 1LL << 40, &ms);
    free(s);
    return 0;
}
