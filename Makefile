# Thin wrapper over CMake. The README's two commands are `make demo` and `make test`.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)

.PHONY: deps build demo test test-asan bench format tidy clean

deps:
	scripts/install-deps

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSUNSHINE_WERROR=ON
	cmake --build $(BUILD) -j $(JOBS)

# Installs what is needed, builds, and runs the nightly job and a Sunshine request on examples/.
demo: build
	scripts/demo $(BUILD)/engine/sunshine

# Installs what is needed, builds, and runs every test.
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The same tests built with AddressSanitizer and UndefinedBehaviorSanitizer.
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSUNSHINE_SANITIZE=ON -DSUNSHINE_WERROR=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

bench: deps
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DSUNSHINE_BUILD_BENCH=ON -DSUNSHINE_BUILD_TESTS=OFF
	cmake --build build-bench -j $(JOBS)

format:
	scripts/format

tidy: build
	scripts/tidy $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-bench
