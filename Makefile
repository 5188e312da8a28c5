# The two commands: `make run` and `make test`. Both set up what is missing first.
# See README.md for what each does.
SHELL := /bin/bash
PORT ?= 8080
DATABASE ?= data/loyalty.db
JOBS ?= $(shell nproc)
export NODE_PATH := /usr/share/nodejs

NATIVE_BUILD_DIR := build/native
WASM_BUILD_DIR := build/wasm

.PHONY: all setup build build-native build-wasm run test bench soak clean

all: build

setup:
	@bash scripts/setup.sh

build: setup
	@$(MAKE) --no-print-directory build-native build-wasm

build-native:
	@echo "==> build: native (core, loyalty command line, server, tests, benchmarks)"
	@mkdir -p build
	@cmake -S . -B $(NATIVE_BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DLOYALTY_OUTPUT_DIR=$(CURDIR)/build/bin > build/native.configure.log 2>&1 \
	  || { cat build/native.configure.log; exit 1; }
	@cmake --build $(NATIVE_BUILD_DIR) -j $(JOBS)

build-wasm:
	@echo "==> build: wasm (console, core unit tests, loyalty command line, benchmarks)"
	@mkdir -p build
	@emcmake cmake -S . -B $(WASM_BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DLOYALTY_OUTPUT_DIR=$(CURDIR)/build/wasm-bin \
	  -DLOYALTY_WEB_OUTPUT_DIR=$(CURDIR)/build/web > build/wasm.configure.log 2>&1 \
	  || { cat build/wasm.configure.log; exit 1; }
	@cmake --build $(WASM_BUILD_DIR) -j $(JOBS)

run: build
	@mkdir -p $(dir $(DATABASE))
	@echo "==> run: open http://127.0.0.1:$(PORT)/ (database: $(DATABASE)); Ctrl+C stops"
	@build/bin/loyalty-server --port $(PORT) --database $(DATABASE) --web-root build/web --demo-store assets/demo_store.jsonl

test: build
	@bash scripts/run_tests.sh $(SUITE)

bench: build
	@bash scripts/run_benchmarks.sh

# The differential soak (not part of make test): fresh random seeds until SECONDS pass.
SECONDS ?= 600
soak: setup
	@bash scripts/soak.sh $(SECONDS)

clean:
	rm -rf build
