# Winnow: `make run` to try it, `make test` for the whole suite. See README.md.
SHELL := /bin/bash
SWIFT ?= swift
DEMO ?= demo
PREFIX ?= /usr/local
DESTDIR ?=

# Debian packages the build needs (C libraries behind systemLibrary targets), and poppler-utils,
# whose pdftotext reads PDF documents at run time.
BUILD_PACKAGES := libyaml-dev libpcre2-dev libuchardet-dev libarchive-dev libxml2-dev libxxhash-dev pkg-config poppler-utils
# Extra packages `make bench` compares against.
BENCH_PACKAGES := yara ripgrep hyperfine time
# Extra packages `make test` uses (strace: the test of the daemon's fsync and rename order, and
# fault injection into its system calls).
TEST_PACKAGES := strace

.PHONY: all deps bench-deps build release run test fuzz fuzz-build fuzz-smoke bench quality check install install-files uninstall clean

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

test: BUILD_PACKAGES += $(TEST_PACKAGES)
test: build
	$(SWIFT) build --build-tests
	.build/debug/winnow check --rules rules
	.build/debug/winnow test --rules rules
	$(SWIFT) test --skip-build --parallel
	@$(MAKE) --no-print-directory fuzz-smoke

# libFuzzer targets under AddressSanitizer (docs/design.md §Fuzzing), built in .build-fuzz.
# `make fuzz` runs each for FUZZ_SECONDS (FUZZ_TARGETS="yaml html" for some); `make test` runs
# fuzz-smoke, a fixed-seed pass of FUZZ_SMOKE_RUNS inputs per target.
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_RUNS ?= 3000
FUZZ_TARGETS ?=
fuzz-build: deps
	SWIFT=$(SWIFT) Fuzz/fuzz.sh build

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) Fuzz/fuzz.sh run $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	FUZZ_SMOKE_RUNS=$(FUZZ_SMOKE_RUNS) Fuzz/fuzz.sh smoke

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

# Tags, countries and titles against the labelled corpus in ../shared/corpus (docs/quality.md);
# a report, not a test: nothing asserts on it.
CORPUS ?= ../shared/corpus
quality: build
	@test -f $(CORPUS)/labels.tsv || { echo "quality: no labelled corpus at $(CORPUS) (set CORPUS=…)"; exit 1; }
	.build/debug/winnow eval --rules rules --labels $(CORPUS)/labels.tsv $(CORPUS)/docs

# Installs the binary, configuration, rules and systemd unit under DESTDIR/PREFIX. An existing
# /etc/winnow/winnow.yaml is kept (the new one goes beside it as winnow.yaml.new).
BINDIR = $(PREFIX)/bin
SYSTEMD_DIR ?= /usr/lib/systemd/system
SYSUSERS_DIR ?= /usr/lib/sysusers.d
TMPFILES_DIR ?= /usr/lib/tmpfiles.d
INSTALL_BIN ?= .build/release/winnow
# install-files runs after release, never beside it (make -j would copy a stale or missing binary).
install: release
	@$(MAKE) --no-print-directory install-files

# The copying part of `install`, for a binary built already (tests install the debug build).
install-files:
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)/etc/winnow $(DESTDIR)$(SYSTEMD_DIR) \
	  $(DESTDIR)$(SYSUSERS_DIR) $(DESTDIR)$(TMPFILES_DIR) $(DESTDIR)$(PREFIX)/share/doc/winnow
	install -m 0755 $(INSTALL_BIN) $(DESTDIR)$(BINDIR)/winnow
	if [ -e $(DESTDIR)/etc/winnow/winnow.yaml ]; then \
	  install -m 0644 etc/winnow/winnow.yaml $(DESTDIR)/etc/winnow/winnow.yaml.new; \
	else \
	  install -m 0644 etc/winnow/winnow.yaml $(DESTDIR)/etc/winnow/winnow.yaml; \
	fi
	rm -rf $(DESTDIR)/etc/winnow/rules.new && cp -r rules $(DESTDIR)/etc/winnow/rules.new
	if [ -e $(DESTDIR)/etc/winnow/rules ]; then \
	  echo "kept $(DESTDIR)/etc/winnow/rules; the shipped rules are in rules.new"; \
	else \
	  mv $(DESTDIR)/etc/winnow/rules.new $(DESTDIR)/etc/winnow/rules; \
	fi
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DOCDIR@|$(PREFIX)/share/doc/winnow|g' systemd/winnow.service > $(DESTDIR)$(SYSTEMD_DIR)/winnow.service
	chmod 0644 $(DESTDIR)$(SYSTEMD_DIR)/winnow.service
	install -m 0644 systemd/winnow.sysusers $(DESTDIR)$(SYSUSERS_DIR)/winnow.conf
	install -m 0644 systemd/winnow.tmpfiles $(DESTDIR)$(TMPFILES_DIR)/winnow.conf
	install -m 0644 README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/winnow/
	@echo "installed; as root: systemd-sysusers; systemd-tmpfiles --create; systemctl daemon-reload; systemctl enable --now winnow"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/winnow $(DESTDIR)$(SYSTEMD_DIR)/winnow.service \
	  $(DESTDIR)$(SYSUSERS_DIR)/winnow.conf $(DESTDIR)$(TMPFILES_DIR)/winnow.conf
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/winnow
	@echo "left /etc/winnow and /var/lib/winnow in place"

clean:
	rm -rf .build .build-fuzz $(DEMO)
