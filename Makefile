# Two commands do everything on a fresh Debian 12 machine:
#   make demo   install what is missing, build, import the bundled sample data, serve the dashboard
#   make test   the same, then the whole test suite
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
FUZZ_SECONDS ?= 20

.PHONY: all setup build demo test asan-test fuzz fuzz-smoke bench clean

all: build

setup:
	@scripts/setup --check 2>/dev/null || scripts/setup

build: setup
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

# The demo ends by serving the dashboard on the demo database (Ctrl-C stops
# it); DEMO_SERVE=0 skips that.
DEMO_SERVE ?= 1
demo: build
	$(BUILD)/apps/medtwin/medtwin --db $(BUILD)/medtwin-demo.db demo
ifeq ($(DEMO_SERVE),1)
	$(BUILD)/apps/medtwin/medtwin --db $(BUILD)/medtwin-demo.db serve
endif

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# Unit tests under AddressSanitizer + UndefinedBehaviorSanitizer.
# Debug (assertions on) at -O1: the sanitizers' usual level, and several times
# faster than -O0 for the simulation-heavy tests (cell models paced 1000 beats).
# GCC 12 at -O1 with the sanitizers reports maybe-uninitialized inside
# libstdc++'s <regex> (a false positive); the release build keeps the warning.
asan-test: setup
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_FLAGS) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g -Wno-maybe-uninitialized" \
	  -DMEDTWIN_SANITIZE=ON -DMEDTWIN_BENCH=OFF
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS) -L unit

# libFuzzer targets (clang).
fuzz: setup
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) $(CMAKE_FLAGS) -DMEDTWIN_FUZZ=ON -DMEDTWIN_BENCH=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers

# Each fuzzer for FUZZ_SECONDS on its seed corpus.
fuzz-smoke: fuzz
	scripts/fuzz-smoke $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	scripts/bench $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
