# bulletin — the district education bureau's nightly reporting pipeline.
# `make run` sets up, builds and publishes the sample day; `make test` runs the whole suite.

SWIFT        ?= swift
SAMPLE_DATE  ?= 2020-02-17
LANDING      ?= SampleData/landing
OUT          ?= out
# System packages the build and the bulletin need (Debian names).
APT_PACKAGES := libxml2-dev libssl-dev libfreexl-dev libdeflate-dev libreoffice-calc-nogui libsqlite3-dev libpangocairo-1.0-0 fonts-wqy-microhei poppler-utils pkg-config

.PHONY: run test deps build sample bench bench-smoke fuzz install clean

run: deps build
	.build/debug/bulletin run --landing $(LANDING) --date $(SAMPLE_DATE) --out $(OUT)
	@echo
	@echo "Outputs of $(SAMPLE_DATE) are in $(OUT)/$(SAMPLE_DATE)/ — open $(OUT)/$(SAMPLE_DATE)/bulletin.html for the bulletin."

test: deps
	$(SWIFT) test

# Installs the Debian packages that are missing (needs root, as on the project's machines).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

build:
	$(SWIFT) build

# Regenerates the committed sample landing folder and its truth.
sample: build
	.build/debug/bulletin-sample --out $(LANDING) --formats csv,xml,xlsx --people-scale 0.025

# The bench also needs /usr/bin/time (peak memory of each run) and xmllint (a peer).
bench: deps
	@dpkg -s time libxml2-utils >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time libxml2-utils >/dev/null)
	Benchmarks/run.sh

bench-smoke: deps
	@dpkg -s time libxml2-utils >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time libxml2-utils >/dev/null)
	SMOKE=1 Benchmarks/run.sh

# A release binary that runs without the Swift toolchain (static Swift standard library and Foundation),
# the default pipeline definition beside it, the docs and example service units.
PREFIX ?= /usr/local
install: deps
	$(SWIFT) build -c release --product bulletin --static-swift-stdlib
	install -d $(PREFIX)/bin $(PREFIX)/share/bulletin $(PREFIX)/share/doc/bulletin
	install -m 0755 .build/release/bulletin $(PREFIX)/bin/bulletin
	install -m 0644 Pipelines/daily.yaml $(PREFIX)/share/bulletin/daily.yaml
	install -m 0644 README.md CHANGELOG.md $(PREFIX)/share/doc/bulletin/
	install -m 0644 Deploy/bulletin-nightly.service Deploy/bulletin-nightly.timer Deploy/crontab.example $(PREFIX)/share/doc/bulletin/
	@echo "Installed $(PREFIX)/bin/bulletin; example units in $(PREFIX)/share/doc/bulletin/."

# libFuzzer over the CSV, SpreadsheetML, .xlsx and .xls readers, the store's decoder and the XML scanner
# against libxml2 (xmldiff; xlsxdiff for an .xlsx's worksheet or shared strings), FUZZ_SECONDS each
# (default 60), in the debug build or FUZZ_CONFIG=release; findings become regression files that
# `make test` replays.
fuzz: deps build
	Fuzz/run.sh

clean:
	rm -rf .build Fuzz/.build $(OUT) bench-data
