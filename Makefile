# Winnow: `make run` to try it, `make test` for the whole suite. See README.md.
SHELL := /bin/bash
SWIFT ?= swift
DEMO ?= demo
PREFIX ?= /usr/local
DESTDIR ?=

# Debian packages the build needs (C libraries behind systemLibrary targets).
BUILD_PACKAGES := libyaml-dev libpcre2-dev pkg-config
# Extra packages `make bench` compares against.
BENCH_PACKAGES := yara ripgrep hyperfine time

.PHONY: all deps bench-deps build release run test bench check clean

all: build

# Installs missing Debian packages when root, otherwise prints the command to run.
deps:
	@missing=""; \
	for p in $(BUILD_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "missing packages:$$missing"; \
	    echo "run: sudo apt-get update && sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

bench-deps:
	@$(MAKE) --no-print-directory deps BUILD_PACKAGES="$(BUILD_PACKAGES) $(BENCH_PACKAGES)"

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Starts the daemon on ./demo with the shipped rules; drop files into demo/inbox.
run: build
	@mkdir -p $(DEMO)/inbox $(DEMO)/state
	@echo
	@echo "Winnow is watching $(CURDIR)/$(DEMO)/inbox with the rules in $(CURDIR)/rules"
	@echo "  drop a document:  cp ../shared/samples/aktobe-unrest.txt $(DEMO)/inbox/"
	@echo "  read the alerts:  tail -f $(DEMO)/state/alerts.jsonl"
	@echo "  stop with Ctrl-C: a summary block is appended to $(DEMO)/state/summary.log"
	@echo
	.build/debug/winnow run --inbox $(DEMO)/inbox --state $(DEMO)/state --rules rules

test: build
	$(SWIFT) build --build-tests
	.build/debug/winnow check --rules rules
	.build/debug/winnow test --rules rules
	$(SWIFT) test --skip-build --parallel

# Throughput and latency against YARA, ripgrep and pyahocorasick; not part of `make test`.
# Builds release in .build-bench (never touches .build); results in bench/out/results.md.
bench: bench-deps
	@python3 -c 'import yaml, ahocorasick' 2>/dev/null || \
	  python3 -m pip install -q pyyaml pyahocorasick 2>/dev/null || \
	  python3 -m pip install -q --break-system-packages pyyaml pyahocorasick || \
	  $(MAKE) --no-print-directory deps BUILD_PACKAGES="python3-yaml python3-ahocorasick"
	$(SWIFT) build -c release --scratch-path .build-bench
	BENCH_BUILT=1 bench/run.sh

check: build
	.build/debug/winnow check --rules rules

clean:
	rm -rf .build $(DEMO)
