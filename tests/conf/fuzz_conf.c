/* SPDX-License-Identifier: MIT */
/* libFuzzer harness for the config reader: any bytes in, no crash, no leak,
 * no unbounded time. Includes are off (the input must not read the disk).
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *     -DCONFIG_VRRP_V3=1 -DCONFIG_IPV6=1 -Isrc -o fuzz_conf \
 *     tests/conf/fuzz_conf.c src/addr.c src/conf_*.c
 *   ./fuzz_conf -max_len=4096 CORPUS_DIR tests/conf/corpus tests/conf/bad */
#include "conf.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void quiet(int level, const struct conf_pos *pos, const char *msg)
{
	(void)level;
	(void)pos;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct conf_opts o = { .config_id = "node1", .diag = quiet, .no_include = true };
	char *text = malloc(size + 1);
	struct config *c;
	FILE *null;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	c = conf_load_string("fuzz.conf", text, &o);
	null = fopen("/dev/null", "w");
	if (c && null)
		conf_dump(c, null);
	if (null)
		fclose(null);
	conf_free(c);
	free(text);
	return 0;
}
