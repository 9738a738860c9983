# Convenience targets over CMake; the README's two commands are scripts/demo and scripts/test.
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
demo:
	scripts/demo

# Installs what is needed, builds, and runs every test.
test:
	scripts/test

# The same tests built with AddressSanitizer and UndefinedBehaviorSanitizer.
test-asan:
	scripts/test --asan

bench: deps
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DSUNSHINE_BUILD_BENCH=ON -DSUNSHINE_BUILD_TESTS=OFF
	cmake --build build-bench -j $(JOBS)

format:
	scripts/format

tidy: build
	scripts/tidy $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-bench
