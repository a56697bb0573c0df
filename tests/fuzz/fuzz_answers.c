/* libFuzzer: what zktui reads from the outside besides the tree: ACL text
 * typed by the operator (parsed, formatted back, parsed again to the same
 * entries) and the server's `cons` answers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/acl.h"
#include "model/sessions.h"
#include "model/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1), why[256];
    struct acl_list l = { 0 }, again = { 0 };
    struct cons_answer c;
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    if (acl_parse(s, &l, why, sizeof why)) {
        struct strbuf f = { 0 };
        acl_format(l.v, l.n, &f);
        /* What zktui shows must read back as the same entries. */
        if (!f.oom && (!acl_parse(sb_str(&f), &again, why, sizeof why) || again.n != l.n))
            abort();
        for (int32_t i = 0; i < again.n; i++)
            if (again.v[i].perms != l.v[i].perms || strcmp(again.v[i].scheme, l.v[i].scheme) ||
                strcmp(again.v[i].id, l.v[i].id))
                abort();
        sb_free(&f);
    }
    acl_list_free(&l);
    acl_list_free(&again);
    memset(&c, 0, sizeof c);
    cons_parse((const char *)data, size, &c);
    cons_answer_free(&c);
    free(s);
    return 0;
}
