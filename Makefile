# The two commands: `make demo` and `make test`. Both install missing Debian packages first.
BUILD      ?= build
TEST_BUILD ?= build-test
JOBS       ?= $(shell nproc)
DEMO_DIR   ?= demo-out
DEMO_ROWS  ?= 200000
CMAKE_FLAGS ?=
# The test build's compiler: clang compiles this code at -O0 with ASan in about half GCC's time,
# which keeps a clean-clone `make test` under 10 minutes on 2 cores; `make build` stays on GCC.
TEST_CXX   ?= clang++
PREFIX     ?= /usr/local

.PHONY: all deps build install demo test test-fast bench format clean reference fuzz

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DCUSTLENS_TESTS=OFF $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# `make install PREFIX=DIR`: the Release build, then DIR/bin/custlens and DIR/share/custlens/
# (the playbooks, category map and example schemes the binary finds beside itself).
install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

demo: build
	@mkdir -p $(DEMO_DIR)
	@$(BUILD)/custlens gen orders --rows $(DEMO_ROWS) --customers 4000 --seed 42 -o $(DEMO_DIR)/orders.csv
	@$(BUILD)/custlens analyze $(DEMO_DIR)/orders.csv --out $(DEMO_DIR)/result
	@echo "demo: results in $(DEMO_DIR)/result (report.html, summary.json, customers.csv, customers.xlsx, rejects.csv)"

# Tests run in a debug build with AddressSanitizer + UBSan and warnings as errors; ctest runs the
# gtest binary as a few shards (CMakeLists.txt) beside the fuzz-corpus and browser tests.
test: deps
	@cmake -S . -B $(TEST_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCUSTLENS_WERROR=ON \
	  -DCUSTLENS_SANITIZE=ON -DCUSTLENS_E2E=ON -DCUSTLENS_POSTGRES_TESTS=ON -DCUSTLENS_PCH=ON -DCMAKE_CXX_COMPILER=$(TEST_CXX) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(TEST_BUILD) -j $(JOBS)
	@cd $(TEST_BUILD) && ctest --output-on-failure -j $(JOBS)

# libFuzzer targets (tests/fuzz, docs/fuzzing.md), built with clang into build-fuzz/; each runs
# FUZZ_SECONDS seconds (default 60) from its committed corpus.
FUZZ_SECONDS ?= 60
fuzz:
	@bash scripts/install-deps.sh
	@FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) bash scripts/fuzz.sh

bench: build
	@bash bench/rfm_vs_peers.sh

reference: deps
	@bash tests/reference/regenerate.sh

format:
	@find include src tests bench -name '*.h' -o -name '*.cpp' | xargs clang-format -i

clean:
	@rm -rf $(BUILD) $(TEST_BUILD) $(DEMO_DIR) build-fuzz
