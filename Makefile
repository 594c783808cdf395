# CaloForge — every target runs scripts/bootstrap first (idempotent, quiet when nothing is missing).
SHELL := /bin/bash
SWIFT ?= swift
JOBS ?= $(shell nproc)

.PHONY: bootstrap build release test demo bench device-binary clean

bootstrap:
	@./scripts/bootstrap

build: bootstrap
	$(SWIFT) build -j $(JOBS)

release: bootstrap
	$(SWIFT) build -c release -j $(JOBS)

# The test suite: CPU only, no downloads, no real datasets.
test: bootstrap
	$(SWIFT) build --build-tests -j $(JOBS)
	# Tests run in parallel in one process; passive OpenMP waiting keeps LibTorch threads from spinning against each other.
	OMP_WAIT_POLICY=PASSIVE CALOFORGE_PYTHONPATH="$(CURDIR)/.deps/python" $(SWIFT) test --skip-build

# The main job on the built-in default data/model (for now: the engine report and demonstration).
demo: release
	./scripts/demo

# Speed figures recorded in docs/benchmarks.md.
bench: release
	./scripts/bench

# A release binary with the Swift standard library linked statically, for the GPU machine
# (which has LibTorch but no Swift). Run it there through scripts/device-env.sh.
device-binary: bootstrap
	./scripts/device-binary

clean:
	rm -rf .build dist
