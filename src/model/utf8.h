/* Strict UTF-8 decoding. Pure, any thread. */
#ifndef ZKTUI_MODEL_UTF8_H
#define ZKTUI_MODEL_UTF8_H

#include <stddef.h>

/* Decodes one sequence at s (n > 0 bytes left). Returns its length and
 * stores the code point in *cp, or returns 0 when the bytes are not valid
 * UTF-8 (overlong forms, surrogates and values above U+10FFFF included). */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

#endif
