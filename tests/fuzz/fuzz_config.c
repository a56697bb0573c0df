/* libFuzzer: the YAML loaders (config.yaml and themes) on any bytes. They
 * read files, so each input is written to one temp file first. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "ui/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char file[64];
    struct config c;
    struct theme t;
    char err[512];
    FILE *f;
    if (!file[0]) {
        int fd;
        snprintf(file, sizeof file, "%s/zktui-fuzz-XXXXXX",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
        if ((fd = mkstemp(file)) < 0)
            abort();
        close(fd);
    }
    if (!(f = fopen(file, "wb")) || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    config_defaults(&c);
    config_load_file(&c, file, err, sizeof err);
    theme_defaults(&t);
    theme_load_file(&t, file, err, sizeof err);
    return 0;
}
