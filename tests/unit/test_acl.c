/* SHA-1 and base64 against published vectors; ACL text (zkCli setAcl form)
 * parsed, checked and formatted; digest ids; credentials checked and shown
 * without their secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/acl.h"
#include "model/sha1.h"

static void hex_of(const unsigned char *h, char *out)
{
    for (int i = 0; i < SHA1_LEN; i++)
        sprintf(out + 2 * i, "%02x", h[i]);
}

static void check_sha1(const void *data, size_t len, const char *want)
{
    unsigned char h[SHA1_LEN];
    char hex[2 * SHA1_LEN + 1];
    sha1(data, len, h);
    hex_of(h, hex);
    assert_string_equal(hex, want);
}

static void test_sha1_vectors(void **state)
{
    char *million = malloc(1000000);
    char x[128];
    (void)state;
    /* FIPS 180-2 appendix A and the empty message. */
    check_sha1("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    check_sha1("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
    check_sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
               "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    assert_non_null(million);
    memset(million, 'a', 1000000);
    check_sha1(million, 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    free(million);
    /* Every way the padding can fall: one block, two, exactly full. */
    memset(x, 'x', sizeof x);
    check_sha1(x, 55, "cef734ba81a024479e09eb5a75b6ddae62e6abf1");
    check_sha1(x, 56, "901305367c259952f4e7af8323f480d59f81335b");
    check_sha1(x, 63, "0ddc4e0cccd9a12850deb5abb0853a4425559fec");
    check_sha1(x, 64, "bb2fa3ee7afb9f54c6dfb5d021f14b1ffe40c163");
    check_sha1(x, 65, "78c741ddc482e4cdf8c474a0876347a0905b6233");
    check_sha1(x, 119, "4300320394f7ee239bcdce7d3b8bcee173a0cd5c");
    check_sha1(x, 120, "ceb2821639c4b6dcb10bce0e522ca2e608ce056d");
}

static void test_base64(void **state)
{
    char out[16];
    (void)state;
    /* RFC 4648 section 10. */
    assert_int_equal(base64_encode((const unsigned char *)"", 0, out, sizeof out), 0);
    assert_string_equal(out, "");
    base64_encode((const unsigned char *)"f", 1, out, sizeof out);
    assert_string_equal(out, "Zg==");
    base64_encode((const unsigned char *)"fo", 2, out, sizeof out);
    assert_string_equal(out, "Zm8=");
    base64_encode((const unsigned char *)"foo", 3, out, sizeof out);
    assert_string_equal(out, "Zm9v");
    base64_encode((const unsigned char *)"foobar", 6, out, sizeof out);
    assert_string_equal(out, "Zm9vYmFy");
    assert_int_equal(base64_encode((const unsigned char *)"foobar", 6, out, 8), 0); /* no room */
    base64_encode((const unsigned char *)"\xfb\xff", 2, out, sizeof out);
    assert_string_equal(out, "+/8=");
}

static void test_digest_id(void **state)
{
    char id[64];
    (void)state;
    /* The superDigest example of the ZooKeeper admin guide. */
    assert_true(acl_digest_id("super:test", 10, id, sizeof id));
    assert_string_equal(id, "super:D/InIHSb7yEEbrWz8b9l71RjZJU=");
    assert_true(acl_digest_id("alice:secret", 12, id, sizeof id));
    assert_string_equal(id, "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=");
    /* The user ends at the first ':'; the password may hold more. */
    assert_true(acl_digest_id("bob:pa:ss", 9, id, sizeof id));
    assert_string_equal(id, "bob:ZLnpyJBWh1VZxyRoQkI2cRg/9PM=");
    assert_false(acl_digest_id("nocolon", 7, id, sizeof id));
    assert_false(acl_digest_id("alice:secret", 12, id, 20));
    assert_true(acl_is_digest_hash("aYXlLOpEooaV1cRAvUL1fp9Qt7E="));
    assert_false(acl_is_digest_hash("aYXlLOpEooaV1cRAvUL1fp9Qt7E"));
    assert_false(acl_is_digest_hash("aYXlLOpEooaV1cRAvUL1fp9Qt7=="));
    assert_false(acl_is_digest_hash("secret"));
}

static void test_perms(void **state)
{
    char p[6];
    (void)state;
    acl_perms_text(31, p);
    assert_string_equal(p, "cdrwa");
    acl_perms_text(ACL_READ | ACL_ADMIN, p);
    assert_string_equal(p, "ra");
    acl_perms_text(0, p);
    assert_string_equal(p, "");
    assert_string_equal(acl_perm_name(ACL_DELETE), "DELETE");
    assert_string_equal(acl_perm_name(3), "?");
}

/* Parses text, formats it back, compares with want. */
static void round_trip(const char *text, const char *want)
{
    struct acl_list l;
    struct strbuf b = { 0 };
    char why[256] = "";
    if (!acl_parse(text, &l, why, sizeof why))
        fail_msg("'%s' refused: %s", text, why);
    acl_format(l.v, l.n, &b);
    assert_string_equal(sb_str(&b), want);
    sb_free(&b);
    acl_list_free(&l);
}

static void test_parse_and_format(void **state)
{
    struct acl_list l;
    char why[256];
    (void)state;
    round_trip("world:anyone:cdrwa", "world:anyone:cdrwa");
    round_trip(" world:anyone:r , ip:10.0.0.0/8:rw,ip:127.0.0.1:a", "world:anyone:r,ip:10.0.0.0/8:rw,"
               "ip:127.0.0.1:a");
    round_trip("digest:alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=:adwrc",
               "digest:alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=:cdrwa");
    round_trip("auth::cdrwa", "auth::cdrwa");
    round_trip("ip:fe80::1/64:r,ip:2001:db8:0:0:0:0:0:1:r,ip:::1:r",
               "ip:fe80::1/64:r,ip:2001:db8:0:0:0:0:0:1:r,ip:::1:r");
    round_trip("sasl:zk@EXAMPLE.COM:cdrwa", "sasl:zk@EXAMPLE.COM:cdrwa");
    /* A password is hashed, and counted. */
    assert_true(acl_parse("digest:alice:secret:rw,digest:bob:pa:ss:r", &l, why, sizeof why));
    assert_int_equal(l.n, 2);
    assert_int_equal(l.hashed, 2);
    assert_string_equal(l.v[0].id, "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=");
    assert_int_equal(l.v[0].perms, ACL_READ | ACL_WRITE);
    assert_string_equal(l.v[1].id, "bob:ZLnpyJBWh1VZxyRoQkI2cRg/9PM=");
    acl_list_free(&l);
}

static void refused(const char *text, const char *want)
{
    struct acl_list l;
    char why[256] = "";
    assert_false(acl_parse(text, &l, why, sizeof why));
    assert_int_equal(l.n, 0);
    assert_null(l.v);
    if (!strstr(why, want))
        fail_msg("'%s': '%s' lacks '%s'", text, why, want);
}

static void test_refused_before_sending(void **state)
{
    (void)state;
    refused("", "no entries");
    refused("   ", "no entries");
    refused("world:anyone:r,", "entry 2 is empty");
    refused("world:anyone:r,,ip:1.2.3.4:r", "entry 2 is empty");
    refused("world:anyone", "entry 1 (world): wants scheme:id:perms");
    refused("nonsense", "entry 1: wants scheme:id:perms");
    refused("world:anyone:rx", "entry 1 (world): the part after the last ':' must be letters of cdrwa");
    refused("world:anyone:", "no permission letters");
    refused("world:everyone:r", "world's only id is anyone");
    refused(":x:r", "no scheme");
    refused("ip:10.0.0.256:r", "entry 1 (ip:10.0.0.256): not an address");
    refused("ip:10.0.0:r", "not an address");
    refused("ip:10.0.0.0/33:r", "not an address");
    refused("ip:10.0.0.0/:r", "not an address");
    refused("ip:1.2.3.4.5:r", "not an address");
    refused("ip:fe80:::1:r", "not an address");
    refused("ip:1:2:3:4:5:6:7:8:9:r", "not an address");
    refused("ip:12345::1:r", "not an address");
    refused("ip:::1/129:r", "not an address");
    refused("digest:alice:r", "digest wants user:HASH");
    refused("digest::secret:r", "digest wants user:HASH");
    refused("digest:alice:x:cdrwa", "hidden by the server");
    refused("sasl::r", "an empty id");
    refused("world:anyone:r,digest:alice:x:r", "entry 2 (digest:alice)");
}

static void test_errors_never_quote_a_password(void **state)
{
    struct acl_list l;
    char why[256];
    (void)state;
    /* Perms forgotten: the password stands where the letters should. */
    assert_false(acl_parse("digest:alice:hunter2", &l, why, sizeof why));
    assert_null(strstr(why, "hunter2"));
    assert_false(acl_parse("digest:alice:hunter2:rq", &l, why, sizeof why));
    assert_null(strstr(why, "hunter2"));
    assert_non_null(strstr(why, "digest:alice"));
    assert_false(acl_parse("hunter2", &l, why, sizeof why));
    assert_null(strstr(why, "hunter2"));
}

static void test_hidden_and_admin(void **state)
{
    struct acl_entry hidden = { ACL_READ, "digest", "alice:x" };
    struct acl_entry shown = { ACL_READ, "digest", "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=" };
    struct acl_entry v[] = {
        { ACL_READ, "world", "anyone" },
        { ACL_ALL, "digest", "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=" },
        { ACL_ADMIN, "ip", "10.0.0.0/8" },
    };
    const char *mine[] = { "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=" };
    const char *other[] = { "bob:ZLnpyJBWh1VZxyRoQkI2cRg/9PM=" };
    struct acl_entry world_admin = { ACL_ADMIN | ACL_READ, "world", "anyone" };
    struct acl_entry auth_admin = { ACL_ALL, "auth", "" };
    (void)state;
    assert_true(acl_entry_hidden(&hidden));
    assert_false(acl_entry_hidden(&shown));
    assert_int_equal(acl_admin_after(v, 3, mine, 1), ACL_ADMIN_KEPT);
    assert_int_equal(acl_admin_after(v, 3, other, 1), ACL_ADMIN_UNKNOWN); /* the ip entry */
    assert_int_equal(acl_admin_after(v, 2, other, 1), ACL_ADMIN_LOST);
    assert_int_equal(acl_admin_after(v, 2, NULL, 0), ACL_ADMIN_LOST);
    assert_int_equal(acl_admin_after(v, 1, mine, 1), ACL_ADMIN_LOST);
    assert_int_equal(acl_admin_after(&world_admin, 1, NULL, 0), ACL_ADMIN_KEPT);
    assert_int_equal(acl_admin_after(&auth_admin, 1, mine, 1), ACL_ADMIN_KEPT);
}

static void bad_cred(const char *cred, const char *want)
{
    char why[256] = "";
    assert_false(auth_check(cred, why, sizeof why));
    if (!strstr(why, want))
        fail_msg("'%s': '%s' lacks '%s'", cred, why, want);
    if (strstr(why, "s3cret"))
        fail_msg("'%s': the secret is quoted: '%s'", cred, why);
}

static void test_credentials(void **state)
{
    char why[256], shown[64];
    (void)state;
    assert_true(auth_check("digest:alice:s3cret", why, sizeof why));
    assert_true(auth_check("digest:alice:", why, sizeof why)); /* an empty password is legal */
    assert_true(auth_check("ip:", why, sizeof why));
    assert_true(auth_check("x509:whatever", why, sizeof why));
    bad_cred("s3cret", "wants scheme:credential");
    bad_cred(":alice:s3cret", "wants scheme:credential");
    bad_cred("digest:s3cret", "digest wants user:password");
    bad_cred("digest::s3cret", "the user is empty");
    bad_cred("dig est:alice:s3cret", "blank");
    bad_cred("world:anyone", "not a way to authenticate");
    auth_shown("digest:alice:s3cret", shown, sizeof shown);
    assert_string_equal(shown, "digest:alice");
    auth_shown("x509:s3cret", shown, sizeof shown);
    assert_string_equal(shown, "x509");
    auth_shown("digest:s3cret", shown, sizeof shown); /* malformed: the scheme only */
    assert_string_equal(shown, "digest");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha1_vectors),
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_digest_id),
        cmocka_unit_test(test_perms),
        cmocka_unit_test(test_parse_and_format),
        cmocka_unit_test(test_refused_before_sending),
        cmocka_unit_test(test_errors_never_quote_a_password),
        cmocka_unit_test(test_hidden_and_admin),
        cmocka_unit_test(test_credentials),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
