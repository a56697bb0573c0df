/* ACL text and credentials; see acl.h. */
#include "acl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha1.h"

/* zkCli's order: the letter of each bit. */
static const struct {
    char letter;
    int32_t bit;
    const char *name;
} perm_letters[] = {
    { 'c', ACL_CREATE, "CREATE" }, { 'd', ACL_DELETE, "DELETE" }, { 'r', ACL_READ, "READ" },
    { 'w', ACL_WRITE, "WRITE" },   { 'a', ACL_ADMIN, "ADMIN" },
};
#define N_PERMS (sizeof perm_letters / sizeof perm_letters[0])

void acl_perms_text(int32_t perms, char buf[6])
{
    int k = 0;
    for (size_t i = 0; i < N_PERMS; i++)
        if (perms & perm_letters[i].bit)
            buf[k++] = perm_letters[i].letter;
    buf[k] = '\0';
}

const char *acl_perm_name(int32_t perm)
{
    for (size_t i = 0; i < N_PERMS; i++)
        if (perm == perm_letters[i].bit)
            return perm_letters[i].name;
    return "?";
}

void acl_list_free(struct acl_list *l)
{
    for (int32_t i = 0; i < l->n; i++) {
        free(l->v[i].scheme);
        free(l->v[i].id);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

void acl_format(const struct acl_entry *v, int32_t n, struct strbuf *out)
{
    for (int32_t i = 0; i < n; i++) {
        char perms[6];
        acl_perms_text(v[i].perms, perms);
        sb_addf(out, "%s%s:%s:%s", i ? "," : "", v[i].scheme, v[i].id, perms);
    }
}

static bool is_b64(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '/';
}

bool acl_is_digest_hash(const char *s)
{
    size_t n = strlen(s);
    if (n != 28 || s[27] != '=')
        return false;
    for (size_t i = 0; i < 27; i++)
        if (!is_b64(s[i]))
            return false;
    return true;
}

bool acl_entry_hidden(const struct acl_entry *e)
{
    const char *c = strchr(e->id, ':');
    return strcmp(e->scheme, "digest") == 0 && c && strcmp(c, ":x") == 0;
}

bool acl_digest_id(const char *cred, size_t len, char *out, size_t outlen)
{
    const char *colon = memchr(cred, ':', len);
    unsigned char h[SHA1_LEN];
    size_t ulen;
    if (!colon)
        return false;
    ulen = (size_t)(colon - cred);
    if (outlen < ulen + 1 + 29)
        return false;
    sha1(cred, len, h);
    memcpy(out, cred, ulen);
    out[ulen] = ':';
    return base64_encode(h, sizeof h, out + ulen + 1, outlen - ulen - 1) == 28;
}

/* ---- checking ids -------------------------------------------------------- */

/* "/bits" at the end of s (0..max), cut off; true when there is none. */
static bool cut_bits(char *s, int max)
{
    char *slash = strchr(s, '/');
    int bits = 0;
    if (!slash)
        return true;
    *slash = '\0';
    if (!slash[1] || strlen(slash + 1) > 3)
        return false;
    for (const char *p = slash + 1; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        bits = bits * 10 + (*p - '0');
    }
    return bits <= max;
}

static bool ipv4_valid(const char *s)
{
    int parts = 0;
    while (parts < 4) {
        int v = 0, digits = 0;
        for (; *s >= '0' && *s <= '9' && digits < 4; s++, digits++)
            v = v * 10 + (*s - '0');
        if (digits == 0 || digits > 3 || v > 255)
            return false;
        parts++;
        if (*s != '.')
            break;
        s++;
    }
    return parts == 4 && !*s;
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Groups of 1-4 hex digits split by ':', at most one "::" standing for
 * the zero groups left out. */
static bool ipv6_valid(const char *s)
{
    int groups = 0;
    bool gap = false;
    if (s[0] == ':' && s[1] == ':') {
        gap = true;
        s += 2;
    }
    while (*s) {
        int digits = 0;
        for (; is_hex(*s); s++)
            if (++digits > 4)
                return false;
        if (digits == 0)
            return false;
        groups++;
        if (!*s)
            break;
        if (*s != ':')
            return false;
        s++;
        if (*s == ':') {
            if (gap)
                return false;
            gap = true;
            s++;
        } else if (!*s)
            return false; /* a single ':' at the end */
    }
    return gap ? groups < 8 : groups == 8;
}

static bool ip_valid(const char *id)
{
    char buf[64];
    bool v6 = strchr(id, ':') != NULL;
    if (strlen(id) >= sizeof buf)
        return false;
    memcpy(buf, id, strlen(id) + 1);
    if (!cut_bits(buf, v6 ? 128 : 32))
        return false;
    return v6 ? ipv6_valid(buf) : ipv4_valid(buf);
}

/* ---- parsing --------------------------------------------------------------- */

struct entry_text {
    int index;       /* 1-based, for messages */
    char *scheme;    /* each NUL-terminated, pointing into a copy */
    char *id;
    char *perms;
    char label[96];  /* "digest:alice", "ip:10.0.0.0/8", "world" */
};

static bool entry_fail(const struct entry_text *e, char *why, size_t whylen, const char *what)
{
    snprintf(why, whylen, "entry %d (%s): %s", e->index, e->label, what);
    return false;
}

static bool perms_parse(const struct entry_text *e, int32_t *out, char *why, size_t whylen)
{
    int32_t perms = 0;
    if (!e->perms[0])
        return entry_fail(e, why, whylen, "no permission letters after the last ':' (cdrwa)");
    for (const char *p = e->perms; *p; p++) {
        size_t i;
        for (i = 0; i < N_PERMS && perm_letters[i].letter != *p; i++)
            ;
        if (i == N_PERMS)
            return entry_fail(e, why, whylen,
                              "the part after the last ':' must be letters of cdrwa (create, "
                              "delete, read, write, admin)");
        perms |= perm_letters[i].bit;
    }
    *out = perms;
    return true;
}

/* Checks the id for its scheme; a digest password becomes its hash (the
 * new id in *id_out, owned). */
static bool id_check(struct entry_text *e, struct acl_list *out, char **id_out, char *why,
                     size_t whylen)
{
    const char *s = e->scheme, *id = e->id;
    if (strcmp(s, "world") == 0) {
        if (strcmp(id, "anyone") != 0)
            return entry_fail(e, why, whylen, "world's only id is anyone (world:anyone:…)");
    } else if (strcmp(s, "digest") == 0) {
        const char *colon = strchr(id, ':');
        if (!colon || colon == id)
            return entry_fail(e, why, whylen,
                              "digest wants user:HASH (or user:password, hashed here)");
        if (strcmp(colon + 1, "x") == 0)
            return entry_fail(e, why, whylen,
                              "its hash was hidden by the server (you lack ADMIN on the node): "
                              "give the hash, or the password to hash");
        if (!acl_is_digest_hash(colon + 1)) {
            size_t cap = strlen(id) + 32;
            char *h = malloc(cap);
            if (!h || !acl_digest_id(id, strlen(id), h, cap)) {
                free(h);
                return entry_fail(e, why, whylen, "out of memory");
            }
            out->hashed++;
            *id_out = h;
            return true;
        }
    } else if (strcmp(s, "ip") == 0) {
        if (!ip_valid(id))
            return entry_fail(e, why, whylen,
                              "not an address: ip wants a.b.c.d or a.b.c.d/bits (0-32), or an "
                              "IPv6 address (/0-128)");
    } else if (strcmp(s, "auth") != 0 && !id[0])
        return entry_fail(e, why, whylen, "an empty id");
    *id_out = strdup(id);
    return *id_out != NULL || entry_fail(e, why, whylen, "out of memory");
}

static void label_of(struct entry_text *e)
{
    if (strcmp(e->scheme, "digest") == 0) {
        const char *colon = strchr(e->id, ':');
        int ulen = colon ? (int)(colon - e->id) : (int)strlen(e->id);
        snprintf(e->label, sizeof e->label, "digest:%.*s", ulen > 40 ? 40 : ulen, e->id);
    } else if (strcmp(e->scheme, "world") == 0 || strcmp(e->scheme, "auth") == 0 || !e->id[0])
        snprintf(e->label, sizeof e->label, "%.40s", e->scheme);
    else
        snprintf(e->label, sizeof e->label, "%.30s:%.40s", e->scheme, e->id);
}

/* One entry (blanks already trimmed; cut up in place), appended to out. */
static bool entry_parse(char *text, int index, struct acl_list *out, char *why, size_t whylen)
{
    struct entry_text e = { .index = index };
    char *first = strchr(text, ':'), *last = strrchr(text, ':'), *id = NULL;
    struct acl_entry *v;
    int32_t perms;
    if (!first || first == last) {
        /* Not even scheme:id:perms: name the scheme only (the rest may be
         * a password). */
        if (first)
            *first = '\0';
        snprintf(why, whylen, "entry %d%s%.30s%s: wants scheme:id:perms, e.g. world:anyone:r",
                 index, first ? " (" : "", first ? text : "", first ? ")" : "");
        return false;
    }
    *first = '\0';
    *last = '\0';
    e.scheme = text;
    e.id = first + 1;
    e.perms = last + 1;
    label_of(&e);
    if (!e.scheme[0])
        return entry_fail(&e, why, whylen, "no scheme before the first ':'");
    if (!perms_parse(&e, &perms, why, whylen) || !id_check(&e, out, &id, why, whylen))
        return false;
    v = realloc(out->v, ((size_t)out->n + 1) * sizeof *v);
    if (!v || !(v[out->n].scheme = strdup(e.scheme))) {
        if (v)
            out->v = v;
        free(id);
        snprintf(why, whylen, "out of memory");
        return false;
    }
    out->v = v;
    v[out->n].id = id;
    v[out->n].perms = perms;
    out->n++;
    return true;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

bool acl_parse(const char *text, struct acl_list *out, char *why, size_t whylen)
{
    char *copy = strdup(text), *p;
    int index = 0;
    bool ok = true;
    memset(out, 0, sizeof *out);
    if (!copy) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    for (p = copy; ok;) {
        char *end = strchr(p, ','), *a = p, *b;
        if (end)
            *end = '\0';
        b = a + strlen(a);
        while (is_blank(*a))
            a++;
        while (b > a && is_blank(b[-1]))
            *--b = '\0';
        index++;
        if (!*a) {
            snprintf(why, whylen, index == 1 && !end ? "no entries: an ACL needs at least one "
                                                       "(e.g. world:anyone:r)"
                                                     : "entry %d is empty (two commas, or one at "
                                                       "an end)", index);
            ok = false;
        } else
            ok = entry_parse(a, index, out, why, whylen);
        if (!end)
            break;
        p = end + 1;
    }
    free(copy);
    if (!ok)
        acl_list_free(out);
    return ok;
}

enum acl_admin acl_admin_after(const struct acl_entry *v, int32_t n, const char *const *ids,
                               size_t nids)
{
    bool unknown = false;
    for (int32_t i = 0; i < n; i++) {
        if (!(v[i].perms & ACL_ADMIN))
            continue;
        if (strcmp(v[i].scheme, "world") == 0 || strcmp(v[i].scheme, "auth") == 0)
            return ACL_ADMIN_KEPT;
        if (strcmp(v[i].scheme, "digest") == 0) {
            for (size_t k = 0; k < nids; k++)
                if (strcmp(v[i].id, ids[k]) == 0)
                    return ACL_ADMIN_KEPT;
        } else
            unknown = true;
    }
    return unknown ? ACL_ADMIN_UNKNOWN : ACL_ADMIN_LOST;
}

/* ---- credentials ------------------------------------------------------------- */

bool auth_check(const char *cred, char *why, size_t whylen)
{
    const char *colon = strchr(cred, ':');
    if (!colon || colon == cred) {
        snprintf(why, whylen, "wants scheme:credential, e.g. digest:alice:secret");
        return false;
    }
    for (const char *p = cred; p < colon; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f) {
            snprintf(why, whylen, "the scheme (before the first ':') has a blank or control "
                                  "character");
            return false;
        }
    if ((colon - cred == 5 && strncmp(cred, "world", 5) == 0) ||
        (colon - cred == 4 && strncmp(cred, "auth", 4) == 0)) {
        snprintf(why, whylen, "%.*s is an ACL scheme, not a way to authenticate (digest is)",
                 (int)(colon - cred), cred);
        return false;
    }
    if (colon - cred == 6 && strncmp(cred, "digest", 6) == 0) {
        const char *user = colon + 1, *sep = strchr(user, ':');
        if (!sep || sep == user) {
            snprintf(why, whylen, "digest wants user:password after 'digest:'%s",
                     sep ? " (the user is empty)" : "");
            return false;
        }
    }
    return true;
}

void auth_shown(const char *cred, char *buf, size_t len)
{
    const char *colon = strchr(cred, ':'), *sep;
    int slen = colon ? (int)(colon - cred) : (int)strlen(cred);
    if (colon && slen == 6 && strncmp(cred, "digest", 6) == 0 && (sep = strchr(colon + 1, ':')))
        snprintf(buf, len, "digest:%.*s", (int)(sep - colon - 1), colon + 1);
    else
        snprintf(buf, len, "%.*s", slen, cred);
}
