# arroyo-c top-level Makefile.
#   make            build bin/arroyo-compile and bin/arroyo-worker
#   make test       build, then run unit, golden and peer tests (prints "N passed, M failed")
#   make check      scripts/setup.sh (install packages), build, then every test (= CI)
#   make demo       scripts/setup.sh, build, then compile and run the queries in demo/
#   make peer       build, then only the peer suite (PEER_DIR, PEER_ARGS)
#   make asan       the same tests with AddressSanitizer + UndefinedBehaviorSanitizer
#   make fuzz       build the libFuzzer target for lexer/parser/binder (clang)
#   make bench      run the benchmarks in bench/
# Variables: BUILD (object dir), BIN (binary dir), SAN (sanitizer flags).

BUILD ?= build
BIN ?= bin
CC ?= cc
OPT ?= -O2
SAN ?=
CFLAGS_BASE = -std=gnu11 -g $(OPT) -Wall -Wextra -Werror -Wno-unused-parameter \
  -Wno-missing-field-initializers -D_GNU_SOURCE -fno-strict-aliasing -pthread $(SAN)
CFLAGS += $(CFLAGS_BASE) -DARROYO_RUNTIME_DIR=\"$(CURDIR)/runtime\"
LDLIBS_RT = -lpthread -ldl -lm -lzstd -lcurl
LDLIBS_CC = -ltcc -ldl -lm -lpthread

RUNTIME_SRC := $(filter-out runtime/main.c,$(wildcard runtime/*.c)) \
               $(filter-out connectors/registry.c,$(wildcard connectors/*.c))
COMPILER_SRC := $(filter-out compiler/main.c,$(wildcard compiler/*.c codegen/*.c)) connectors/registry.c \
                runtime/arena.c runtime/timefmt.c runtime/numfmt.c
UNIT_SRC := $(wildcard tests/unit/test_*.c)

RUNTIME_OBJ := $(RUNTIME_SRC:%.c=$(BUILD)/%.o)
COMPILER_OBJ := $(COMPILER_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

all: $(BIN)/arroyo-compile $(BIN)/arroyo-worker $(UNIT_BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libruntime.a: $(RUNTIME_OBJ)
	@rm -f $@; ar rcs $@ $^

$(BUILD)/libcompiler.a: $(COMPILER_OBJ)
	@rm -f $@; ar rcs $@ $^

$(BIN)/arroyo-worker: $(BUILD)/runtime/main.o $(BUILD)/libruntime.a $(BUILD)/connectors/registry.o
	@mkdir -p $(BIN)
	$(CC) $(CFLAGS) -rdynamic -o $@ $^ $(LDLIBS_RT)

$(BIN)/arroyo-compile: $(BUILD)/compiler/main.o $(BUILD)/libcompiler.a
	@mkdir -p $(BIN)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS_CC)

# Unit tests link both layers; each tests/unit/test_X.c is one binary.
$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/libcompiler.a $(BUILD)/libruntime.a \
                  $(BUILD)/connectors/registry.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Iruntime -Icompiler -o $@ $< $(BUILD)/connectors/registry.o \
	  $(BUILD)/libcompiler.a $(BUILD)/libruntime.a $(LDLIBS_CC) $(LDLIBS_RT)

test: all
	BUILD=$(BUILD) BIN=$(BIN) tests/run_all.sh

asan:
	$(MAKE) BUILD=build-asan BIN=build-asan/bin OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" test

fuzz:
	$(MAKE) -f tests/fuzz/Makefile

bench: all
	bench/run.sh

# Entry points for a fresh Debian machine (README.md): install the packages, build, then run
# the demo queries or every test suite. PEER_DIR is the Arroyo peer suite; PEER_ARGS adds
# run_peer.py options (e.g. PEER_ARGS="--only select_star --verbose").
PEER_DIR ?= ../shared/peer-tests/arroyo
PEER_ARGS ?=

demo:
	scripts/setup.sh
	$(MAKE) all
	@mkdir -p $(BUILD)/demo
	@echo "== demo/demo.sql: plain SELECT over the impulse generator, rows on stdout"
	$(BIN)/arroyo-compile demo/demo.sql -o $(BUILD)/demo/demo.so
	$(BIN)/arroyo-worker $(BUILD)/demo/demo.so
	@echo "== demo/cars.sql: pickups from demo/cars.json into a stdout sink"
	$(BIN)/arroyo-compile demo/cars.sql -o $(BUILD)/demo/cars.so
	$(BIN)/arroyo-worker $(BUILD)/demo/cars.so

check:
	scripts/setup.sh
	$(MAKE) all
	BUILD=$(BUILD) BIN=$(BIN) tests/run_all.sh

peer: all
	python3 tests/peer/run_peer.py --suite $(PEER_DIR) --label peer \
	  --expected tests/peer/expected_pass.txt $(PEER_ARGS)

clean:
	rm -rf build build-asan bin

.PHONY: all test asan fuzz bench clean demo check peer
-include $(RUNTIME_OBJ:.o=.d) $(COMPILER_OBJ:.o=.d)
