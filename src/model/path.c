/* ZooKeeper path helpers; see path.h. The rules follow the server's own
 * PathUtils.validatePath, so anything we accept it accepts too. */
#include "path.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static bool refused_code_point(unsigned c)
{
    return c <= 0x1f || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) ||
           (c >= 0xfff0 && c <= 0xffff);
}

static bool fail(const char **why, const char *msg)
{
    if (why)
        *why = msg;
    return false;
}

bool path_is_valid(const char *p, const char **why)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t n, i, seg;

    if (!p || !*p)
        return fail(why, "the path is empty");
    if (p[0] != '/')
        return fail(why, "a path must start with /");
    n = strlen(p);
    if (n == 1)
        return true;
    if (p[n - 1] == '/')
        return fail(why, "a path must not end with /");
    for (i = 1, seg = 1; i <= n; i++) {
        if (i == n || p[i] == '/') {
            size_t len = i - seg;
            if (len == 0)
                return fail(why, "a path must not have empty segments (//)");
            if ((len == 1 && p[seg] == '.') || (len == 2 && p[seg] == '.' && p[seg + 1] == '.'))
                return fail(why, "a path must not have . or .. segments");
            seg = i + 1;
        }
    }
    for (i = 0; i < n;) {
        unsigned cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (len == 0)
            return fail(why, "the path is not valid UTF-8");
        if (refused_code_point(cp))
            return fail(why, "the path holds a character ZooKeeper refuses");
        i += len;
    }
    return true;
}

char *path_join(const char *parent, const char *name)
{
    size_t pl = strlen(parent), nl = strlen(name);
    bool root = pl == 1 && parent[0] == '/';
    char *r = malloc(pl + nl + 2);

    if (!r)
        return NULL;
    if (root) {
        r[0] = '/';
        memcpy(r + 1, name, nl + 1);
    } else {
        memcpy(r, parent, pl);
        r[pl] = '/';
        memcpy(r + pl + 1, name, nl + 1);
    }
    return r;
}

size_t path_parent_len(const char *p)
{
    const char *slash = strrchr(p, '/');

    if (!slash || (slash == p && p[1] == '\0'))
        return 0; /* "/" (or not a path) has no parent */
    if (slash == p)
        return 1;
    return (size_t)(slash - p);
}

const char *path_basename(const char *p)
{
    const char *slash = strrchr(p, '/');

    return slash ? slash + 1 : p;
}

int path_depth(const char *p)
{
    int d = 0;

    if (p[0] == '/' && p[1] == '\0')
        return 0;
    for (; *p; p++)
        if (*p == '/')
            d++;
    return d;
}

size_t name_seq_len(const char *name, long long *seq)
{
    size_t n = strlen(name), len = 10, i;
    long long v = 0;
    bool neg = false;

    /* The server appends %010d of its signed 32-bit counter: ten digits,
     * and after the counter wraps "-000000001" (ten with the sign) down to
     * "-2147483648" (eleven). A wrapped number comes after every positive
     * one, so the order key is the counter read as unsigned. */
    if (n < 10)
        return 0;
    if (name[n - 10] == '-') {
        neg = true;
        for (i = n - 9; i < n; i++)
            if (name[i] < '0' || name[i] > '9')
                return 0;
    } else {
        for (i = n - 10; i < n; i++)
            if (name[i] < '0' || name[i] > '9')
                return 0;
    }
    for (i = n - (neg ? 9 : 10); i < n; i++)
        v = v * 10 + (name[i] - '0');
    if (!neg && v > 2147483647LL) {
        if (v != 2147483648LL || n < 11 || name[n - 11] != '-')
            return 0;
        neg = true; /* INT_MIN: the one eleven-character form */
        len = 11;
    }
    if (neg)
        v = 4294967296LL - v;
    if (seq)
        *seq = v;
    return len;
}

bool name_seq_suffix(const char *name, long long *seq)
{
    return name_seq_len(name, seq) > 0;
}

/* One "host:port" of n bytes at s. */
static bool host_port_valid(const char *s, size_t n, const char **why)
{
    const char *colon;
    size_t hostlen, i;
    long port = 0;

    if (n == 0)
        return fail(why, "an empty server in the list");
    if (s[0] == '[') {
        const char *close = memchr(s, ']', n);
        if (!close || close == s + 1)
            return fail(why, "an IPv6 address needs [brackets]");
        colon = close + 1 < s + n && close[1] == ':' ? close + 1 : NULL;
    } else {
        colon = memchr(s, ':', n);
        if (colon && memchr(colon + 1, ':', (size_t)(s + n - colon - 1)))
            return fail(why, "an IPv6 address needs [brackets]");
        for (const char *c = s; c < (colon ? colon : s + n); c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' || *c == '_'))
                return fail(why, "a host name holds a character names cannot have");
    }
    if (!colon)
        return fail(why, "a server needs a port (host:port)");
    hostlen = (size_t)(colon - s);
    if (hostlen == 0)
        return fail(why, "a server needs a host (host:port)");
    if (colon + 1 == s + n)
        return fail(why, "a server needs a port (host:port)");
    for (i = (size_t)(colon - s) + 1; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || port > 65535)
            return fail(why, "a port is a number from 1 to 65535");
        port = port * 10 + (s[i] - '0');
    }
    if (port < 1 || port > 65535)
        return fail(why, "a port is a number from 1 to 65535");
    return true;
}

bool connect_string_valid(const char *s, const char **why)
{
    const char *chroot = strchr(s, '/'), *end = chroot ? chroot : s + strlen(s), *p = s;

    if (p == end)
        return fail(why, "no server before the chroot");
    while (p <= end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        if (!host_port_valid(p, (size_t)(stop - p), why))
            return false;
        p = stop + 1;
    }
    if (chroot && !path_is_valid(chroot, why))
        return false;
    return true;
}
