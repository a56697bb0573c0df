# zktui — see README.md. `make` builds ./zktui; `make test` runs every suite.
VERSION   := 0.1.0
BUILD     ?= build
PREFIX    ?= /usr/local
CC        ?= cc

PKGS      := ncursesw yaml-0.1
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null)
# libzookeeper-mt-dev ships no .pc file.
ZK_LIBS   := -lzookeeper_mt

WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
OPT       ?= -O2 -g
SAN       ?=
ifeq ($(SAN),1)
  BUILD   := build-asan
  OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
endif
CPPFLAGS  += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DZKTUI_VERSION=\"$(VERSION)\" \
             -DZKTUI_DATADIR=\"$(PREFIX)/share/zktui\" -Isrc
CFLAGS    += -std=c11 $(WARN) $(OPT) -MMD -MP
LDFLAGS   += $(filter -fsanitize=%,$(OPT))
LDLIBS    += $(PKG_LIBS) $(ZK_LIBS) -lpthread

MODEL_SRC := $(wildcard src/model/*.c)
ZK_SRC    := $(wildcard src/zk/*.c)
UI_SRC    := $(wildcard src/ui/*.c)
TOP_SRC   := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_SRC   := $(MODEL_SRC) $(ZK_SRC) $(UI_SRC) $(TOP_SRC)
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
ITEST_SRC := $(wildcard tests/integration/test_*.c)
ITEST_BIN := $(ITEST_SRC:tests/integration/%.c=$(BUILD)/itests/%)
TOOL_SRC  := $(wildcard tests/tools/*.c)
TOOL_BIN  := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/%)
# The demo workload (tools/zkdemo.c): part of the product, not of the tests.
DEMO_SRC  := $(wildcard tools/*.c)
DEMO_BIN  := $(DEMO_SRC:tools/%.c=$(BUILD)/%)
# The benchmark's own clients (bench/): not linked with zktui's code.
BENCH_BIN := $(BUILD)/bench/rawwalk $(BUILD)/bench/seed $(BUILD)/bench/churn
STOREMEM  := $(BUILD)/bench/storemem

ifeq ($(SAN),1)
ZKTUI_BIN := $(BUILD)/zktui
else
ZKTUI_BIN := zktui
endif

.PHONY: all deps demo test unit test-asan lint clean install uninstall tools bench fuzz fuzz-bins faults
all: $(ZKTUI_BIN) tools

tools: $(TOOL_BIN) $(DEMO_BIN)

$(ZKTUI_BIN): $(BUILD)/src/main.o $(BUILD)/libzktui.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Made afresh: an object whose source was removed must not linger in it.
$(BUILD)/libzktui.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CMOCKA_CFLAGS) $(CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/libzktui.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LDLIBS)

$(BUILD)/itests/%.o: tests/integration/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DTHREADED $(CMOCKA_CFLAGS) $(CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(BUILD)/itests/%: $(BUILD)/itests/%.o $(BUILD)/libzktui.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LDLIBS)

# THREADED: the tools and integration tests may use the client's
# synchronous calls, which zookeeper.h declares only with it.
$(BUILD)/tools/%.o: tests/tools/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DTHREADED $(CFLAGS) -c -o $@ $<

$(BUILD)/%: $(BUILD)/tools/%.o $(BUILD)/libzktui.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# zkctl connects and waits as the bench tools do (bench/zkconn.c).
$(BUILD)/zkctl: $(BUILD)/bench/zkconn.o

$(BUILD)/demo/%.o: tools/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DTHREADED $(CFLAGS) -c -o $@ $<

$(DEMO_BIN): $(BUILD)/%: $(BUILD)/demo/%.o $(BUILD)/libzktui.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/bench/%.o: bench/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DTHREADED $(CFLAGS) -c -o $@ $<

$(BENCH_BIN): %: %.o $(BUILD)/bench/benchzk.o $(BUILD)/bench/zkconn.o
	$(CC) $(LDFLAGS) -o $@ $^ $(ZK_LIBS) -lpthread

# The store alone, no server: bytes per node and child insert/remove times.
$(STOREMEM): $(BUILD)/bench/storemem.o $(BUILD)/libzktui.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

deps:
	@sh scripts/deps.sh

demo:
	@bash scripts/demo.sh

unit: $(UNIT_BIN)
	@sh tests/lib/run_unit.sh $(UNIT_BIN)

# The whole suite: unit, integration (real ZooKeeper) and end-to-end (tmux),
# then the same again under AddressSanitizer + UndefinedBehaviorSanitizer.
test: all $(UNIT_BIN) $(ITEST_BIN)
	@bash tests/run.sh $(BUILD) ./zktui
	@$(MAKE) --no-print-directory test-asan

test-asan:
	@$(MAKE) --no-print-directory SAN=1 all unit-bins
	@bash tests/run.sh build-asan build-asan/zktui
	@$(MAKE) --no-print-directory fuzz

# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang over a library
# compiled for coverage + ASan + UBSan; run on their regression inputs, then
# for FUZZ_SECONDS each (tests/fuzz/run.sh).
FUZZ_BUILD := build-fuzz
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN   := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_OPT   := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
              -fno-sanitize-recover=undefined
fuzz: fuzz-bins
	@bash tests/fuzz/run.sh $(FUZZ_BUILD)

fuzz-bins:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang OPT="$(FUZZ_OPT)" $(FUZZ_BIN)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libzktui.a
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -fsanitize=fuzzer -o $@ $(filter %.c %.a,$^) $(LDLIBS)

unit-bins: $(UNIT_BIN) $(ITEST_BIN)

# Measurements, not pass/fail tests: see README.md, "Figures" and
# docs/BENCHMARKS.md, which tests/bench/run.sh writes.
bench: all $(BENCH_BIN) $(STOREMEM)
	@bash tests/bench/run.sh

# Faults against real servers (tests/faults/): expiry, restart, failover, a
# storm, hostile data, signals. Not in `make test` (about 6 minutes); it
# prints a table and writes docs/FAULTS.md. FAULTS=... picks some,
# STORM_SECONDS shortens the storm.
FAULTS_BIN := $(BUILD)/faults/storm
faults: all $(FAULTS_BIN) $(BUILD)/bench/seed
	@bash tests/faults/run.sh $(FAULTS)

$(BUILD)/faults/%.o: tests/faults/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DTHREADED $(CFLAGS) -c -o $@ $<

$(FAULTS_BIN): %: %.o $(BUILD)/bench/benchzk.o $(BUILD)/bench/zkconn.o
	$(CC) $(LDFLAGS) -o $@ $^ $(ZK_LIBS) -lpthread

# The model must build with neither curses nor the ZooKeeper client.
lint:
	@for h in src/model/*.h; do \
	  echo "#include \"$$h\"" | $(CC) -std=c11 $(WARN) -I. -x c -fsyntax-only - || exit 1; done
	@! grep -rnE '#include *[<"](n?curses|zookeeper)' src/model && \
	 ! grep -rnE '#include *[<"]n?curses' src/zk && echo "lint: rooms ok"

# The binary finds its themes in ../share/zktui/themes from where it is,
# so PREFIX and DESTDIR need no rebuild.
install: $(ZKTUI_BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/zktui/themes \
	  $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(ZKTUI_BIN) $(DESTDIR)$(PREFIX)/bin/zktui
	install -m 644 themes/*.yaml $(DESTDIR)$(PREFIX)/share/zktui/themes/
	install -m 644 config.yaml.example $(DESTDIR)$(PREFIX)/share/zktui/
	install -m 644 zktui.1 $(DESTDIR)$(PREFIX)/share/man/man1/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/zktui $(DESTDIR)$(PREFIX)/share/man/man1/zktui.1
	rm -rf $(DESTDIR)$(PREFIX)/share/zktui

clean:
	rm -rf build build-asan build-fuzz zktui

-include $(shell find build build-asan build-fuzz -name '*.d' 2>/dev/null)
