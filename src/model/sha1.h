/* SHA-1 (FIPS 180-4), for ZooKeeper's digest scheme only: its ids are
 * user:base64(sha1("user:password")). Not for anything that needs a
 * secure hash. Pure functions, any thread. */
#ifndef ZKTUI_MODEL_SHA1_H
#define ZKTUI_MODEL_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_LEN 20

/* The digest of len bytes at data into out. */
void sha1(const void *data, size_t len, unsigned char out[SHA1_LEN]);

/* Standard base64 (A-Z a-z 0-9 + /, '=' padding) of len bytes into out,
 * NUL-terminated; out needs 4 * ((len + 2) / 3) + 1 bytes. Returns the
 * length written, or 0 when outlen is too small. */
size_t base64_encode(const unsigned char *in, size_t len, char *out, size_t outlen);

#endif
