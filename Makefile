# Build, try and test the huaweicloud.vbs collection.
#
#   make demo    run the demo playbooks (examples/) twice each against the local VBS emulator
#   make test    every test tier in order; stops at the first tier that fails
#   make help    all targets
#
# Needs only Python 3 (3.11 or newer), make and git: everything else is
# installed into .venv from tests/requirements.txt.  Tests, docs checks and the
# demo use the collection as a user installs it: built with
# `ansible-galaxy collection build` and installed into build/collections.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

REPO := $(CURDIR)
PYTHON ?= python3
VENV := $(REPO)/.venv
BUILD := $(REPO)/build
COLLECTIONS := $(BUILD)/collections
INSTALLED := $(COLLECTIONS)/ansible_collections/huaweicloud/vbs

# The oldest ansible-core that meta/runtime.yml claims, for `make sanity-oldest`.
OLDEST_REQUIREMENTS := tests/requirements-ansible-oldest.txt
OLDEST_CORE := $(shell sed -n 's/^ansible-core==\([0-9]*\.[0-9]*\)\..*/\1/p' $(OLDEST_REQUIREMENTS))
PYTHON_OLDEST ?= $(PYTHON)
VENV_OLDEST := $(REPO)/.venv-ansible-$(OLDEST_CORE)

# The newest ansible-core, for `make sanity-newest`.  It needs Python 3.12 or
# newer: the newest such interpreter on the machine (pyenv's included) is used.
NEWEST_REQUIREMENTS := tests/requirements-ansible-newest.txt
NEWEST_CORE := $(shell sed -n 's/^ansible-core==\([0-9]*\.[0-9]*\)\..*/\1/p' $(NEWEST_REQUIREMENTS))
PYTHON_NEWEST ?= $(shell for minor in 14 13 12; do found=; \
	for exe in $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.$$minor.*/bin/python3.$$minor; do \
		[ -x "$$exe" ] && found=$$exe; done; \
	[ -n "$$found" ] && { echo $$found; break; }; \
	command -v python3.$$minor 2>/dev/null && break; done)
VENV_NEWEST := $(REPO)/.venv-ansible-$(NEWEST_CORE)

# Unit and integration tiers: a directory without test files fails the tier
# (ALLOW_NO_TESTS=1 reports it as skipped instead, for a tier still being
# written).  A tier that has test files but collects none (pytest exit 5)
# always fails: "no tests ran" is never a pass.
ALLOW_NO_TESTS ?= 0

# Test suites run by pytest, one tier each: tests/<name>.
PYTEST_TIERS := unit integration reliability
TIERS := $(PYTEST_TIERS) sanity lint changelog docs ee

# Everything runs with the tools of .venv and sees only the installed collection.
export PATH := $(VENV)/bin:$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# `make test` installs once, then runs each tier with NO_INSTALL=1.
ifeq ($(NO_INSTALL),1)
INSTALL_DEP := venv
else
INSTALL_DEP := install
endif

.PHONY: help venv venv-oldest venv-newest install build demo bench test check-tiers $(TIERS) sanity-latest sanity-oldest sanity-newest module-docs clean distclean

help:
	@echo "make demo           run examples/demo.yml and examples/protect_database.yml twice each against the local VBS emulator"
	@echo "make test           all test tiers in order: $(TIERS)"
	@echo "make bench          benchmark vbs_policy_resources against ansible.builtin.uri (docs/performance.md)"
	@echo
	@echo "make venv           create .venv (requirements.txt + tests/requirements.txt)"
	@echo "make install        build the collection tarball into build/ and install it into build/collections"
	@echo "make unit           pytest tests/unit"
	@echo "make integration    pytest tests/integration (playbooks against the emulator)"
	@echo "make reliability    pytest tests/reliability (faults, hostile answers, secrets never shown)"
	@echo "make sanity         ansible-test sanity with ansible-core $$(sed -n 's/^ansible-core==//p' tests/requirements.txt), $$(sed -n 's/^ansible-core==//p' $(OLDEST_REQUIREMENTS)) and $$(sed -n 's/^ansible-core==//p' $(NEWEST_REQUIREMENTS))"
	@echo "make sanity-latest  ansible-test sanity with the ansible-core of .venv"
	@echo "make sanity-oldest  ansible-test sanity with the oldest ansible-core meta/runtime.yml allows"
	@echo "make sanity-newest  ansible-test sanity with the newest ansible-core (on Python 3.12+)"
	@echo "make lint           ansible-lint, production profile"
	@echo "make changelog      antsibull-changelog lint"
	@echo "make docs           ansible-doc of every module, antsibull-docs lint-collection-docs, docs/modules/ up to date"
	@echo "make module-docs    regenerate the module reference pages in docs/modules/"
	@echo "make ee             ansible-builder: the collection's Python requirements reach an execution environment"
	@echo "make clean          remove build/;  make distclean: also the virtual environments"

# --- environments ---------------------------------------------------------

$(VENV)/.installed: requirements.txt tests/requirements.txt
	@echo "== creating $(VENV) with $$($(PYTHON) --version 2>&1)"
	@if [ ! -x "$(VENV)/bin/python" ]; then $(PYTHON) -m venv "$(VENV)"; fi
	"$(VENV)/bin/python" -m pip install --upgrade pip
	"$(VENV)/bin/python" -m pip install -r requirements.txt -r tests/requirements.txt
	@touch "$@"

venv: $(VENV)/.installed

# A virtual environment with one requirements file: $(1) directory, $(2) Python, $(3) requirements.
define make_venv
	@echo "== creating $(1) with $$($(2) --version 2>&1)"
	@if [ ! -x "$(1)/bin/python" ]; then $(2) -m venv "$(1)"; fi
	"$(1)/bin/python" -m pip install --upgrade pip
	"$(1)/bin/python" -m pip install -r $(3)
	@touch "$(1)/.installed"
endef

$(VENV_OLDEST)/.installed: $(OLDEST_REQUIREMENTS)
	$(call make_venv,$(VENV_OLDEST),$(PYTHON_OLDEST),$(OLDEST_REQUIREMENTS))

venv-oldest: $(VENV_OLDEST)/.installed

$(VENV_NEWEST)/.installed: $(NEWEST_REQUIREMENTS)
	@if [ -z "$(PYTHON_NEWEST)" ]; then \
		echo "sanity-newest: ansible-core $(NEWEST_CORE) needs Python 3.12 or newer and none was found; set PYTHON_NEWEST" >&2; \
		exit 1; \
	fi
	$(call make_venv,$(VENV_NEWEST),$(PYTHON_NEWEST),$(NEWEST_REQUIREMENTS))

venv-newest: $(VENV_NEWEST)/.installed

# --- build and install ----------------------------------------------------

build: venv
	@rm -f $(BUILD)/huaweicloud-vbs-*.tar.gz
	ansible-galaxy collection build --force --output-path $(BUILD)/ .

install: build
	ansible-galaxy collection install --force -p $(COLLECTIONS) $(BUILD)/huaweicloud-vbs-*.tar.gz

# --- demo -----------------------------------------------------------------

demo: install
	tools/run-demo

# --- benchmark ------------------------------------------------------------

# Not part of `make test`.  The full matrix takes about half an hour; for a
# quick look: make bench BENCH_ARGS="--sizes 10,100 --latencies 0 --runs 3 --no-doc"
BENCH_ARGS ?=

bench: install
	python tools/bench/run_bench.py $(BENCH_ARGS)

# --- tests ----------------------------------------------------------------

# The first failing tier stops the run.
test: check-tiers install
	@mkdir -p $(BUILD)/tiers && rm -f $(BUILD)/tiers/*
	@passed=0; skipped=0; \
	for tier in $(TIERS); do \
		echo; echo "==================== tier: $$tier"; \
		start=$$(date +%s); \
		if ! $(MAKE) $$tier NO_INSTALL=1; then \
			echo; echo "make test: tier '$$tier' FAILED after $$(( $$(date +%s) - start ))s" >&2; \
			echo "tiers: $$passed passed, 1 failed"; \
			exit 1; \
		fi; \
		if [ -e "$(BUILD)/tiers/$$tier.skipped" ]; then \
			skipped=$$((skipped + 1)); status="SKIPPED ($$(cat $(BUILD)/tiers/$$tier.skipped))"; \
		else \
			passed=$$((passed + 1)); status=passed; \
		fi; \
		echo "==================== tier $$tier: $$status in $$(( $$(date +%s) - start ))s"; \
		echo "$$tier $$status $$(( $$(date +%s) - start ))s" >> $(BUILD)/tiers/summary; \
	done; \
	echo; echo "make test: tier times"; sed 's/^/  /' $(BUILD)/tiers/summary; \
	if [ $$skipped -gt 0 ]; then echo "tiers: $$passed passed, 0 failed, $$skipped skipped"; \
	else echo "tiers: $$passed passed, 0 failed"; fi

# pytest on one directory.  Exit 5 (no tests collected) is a failure when the
# directory has test files; without any, see ALLOW_NO_TESTS above.
# `import ansible_collections.huaweicloud.vbs...` finds the installed copy.
define run_pytest
	@mkdir -p $(BUILD)/tiers; rm -f $(BUILD)/tiers/$(1).skipped
	@if [ -z "$$(find $(2) -type f \( -name 'test_*.py' -o -name '*_test.py' \) 2>/dev/null | head -n 1)" ]; then \
		if [ "$(ALLOW_NO_TESTS)" = 1 ]; then \
			echo "$(1): SKIPPED: no test files under $(2) yet"; \
			echo "no test files under $(2)" > $(BUILD)/tiers/$(1).skipped; \
			exit 0; \
		fi; \
		echo "$(1): FAILED: no test files under $(2)" >&2; exit 1; \
	fi; \
	rc=0; PYTHONPATH=$(COLLECTIONS)$${PYTHONPATH:+:$$PYTHONPATH} python -m pytest -ra $(2) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "$(1): FAILED: pytest collected no tests from $(2)" >&2; fi; \
	exit $$rc
endef

unit: $(INSTALL_DEP)
	$(call run_pytest,unit,tests/unit)

integration: $(INSTALL_DEP)
	$(call run_pytest,integration,tests/integration)

reliability: $(INSTALL_DEP)
	$(call run_pytest,reliability,tests/reliability)

# A test directory that no tier runs would never fail: refuse it.
check-tiers:
	@for dir in tests/*/; do \
		dir=$${dir%/}; name=$${dir#tests/}; \
		[ -n "$$(find "$$dir" -type f \( -name 'test_*.py' -o -name '*_test.py' \) | head -n 1)" ] || continue; \
		case " $(PYTEST_TIERS) " in *" $$name "*) ;; \
		*) echo "check-tiers: $$dir has tests that no tier of make test runs; add it to PYTEST_TIERS in the Makefile" >&2; exit 1;; \
		esac; \
	done

# Every run, even when one fails: their findings often differ.
sanity:
	@rc=0; \
	$(MAKE) sanity-latest || rc=1; \
	$(MAKE) sanity-oldest || rc=1; \
	$(MAKE) sanity-newest || rc=1; \
	exit $$rc

sanity-newest: venv-newest
	tools/run-sanity $(VENV_NEWEST)

sanity-latest: venv
	tools/run-sanity $(VENV)

# The pin in $(OLDEST_REQUIREMENTS) must follow meta/runtime.yml.
sanity-oldest: venv-oldest
	@claimed=$$(sed -n 's/^requires_ansible: *["'"'"']*>= *\([0-9]*\.[0-9]*\).*/\1/p' meta/runtime.yml); \
	if [ "$$claimed" != "$(OLDEST_CORE)" ]; then \
		echo "sanity-oldest: meta/runtime.yml requires_ansible starts at '$$claimed' but $(OLDEST_REQUIREMENTS) pins ansible-core $(OLDEST_CORE)" >&2; \
		exit 1; \
	fi
	tools/run-sanity $(VENV_OLDEST)

lint: $(INSTALL_DEP)
	ansible-lint --profile production

changelog: venv
	antsibull-changelog lint
	antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml

# Docs as a user gets them: ansible-doc from the installed collection, one call
# per module file, and the docsite linter on the collection's plugin docs.
docs: $(INSTALL_DEP)
	@shopt -s nullglob; modules=(plugins/modules/*.py); \
	count=0; \
	for path in "$${modules[@]}"; do \
		name=$$(basename "$$path" .py); \
		[ "$$name" = __init__ ] && continue; \
		echo "ansible-doc huaweicloud.vbs.$$name"; \
		out=$$(ansible-doc huaweicloud.vbs.$$name 2>&1) || { echo "$$out" >&2; exit 1; }; \
		if ! grep -q "huaweicloud.vbs.$$name" <<<"$$out" || grep -Eq '\[(WARNING|ERROR)\]' <<<"$$out"; then \
			echo "$$out" >&2; echo "docs: ansible-doc huaweicloud.vbs.$$name is not clean" >&2; exit 1; \
		fi; \
		count=$$((count + 1)); \
	done; \
	echo "docs: ansible-doc rendered $$count module(s)"
	antsibull-docs lint-collection-docs --plugin-docs .
	@rm -rf $(BUILD)/module-docs && mkdir -p $(BUILD)/module-docs
	@$(call generate_module_docs,$(BUILD)/module-docs)
	@if ! diff -r docs/modules $(BUILD)/module-docs; then \
		echo "docs: docs/modules/ is not what the modules' documentation produces; run 'make module-docs'" >&2; \
		exit 1; \
	fi
	@echo "docs: docs/modules/ matches the modules' documentation"

# The module reference pages in docs/modules/, generated from the installed collection.
define generate_module_docs
	antsibull-docs collection --use-current --squash-hierarchy --output-format simplified-rst \
		--no-add-antsibull-docs-version --fail-on-error --dest-dir $(1) huaweicloud.vbs
endef

module-docs: $(INSTALL_DEP)
	@rm -rf docs/modules && mkdir -p docs/modules
	$(call generate_module_docs,docs/modules)

ee: $(INSTALL_DEP)
	tools/check-execution-environment

# --- housekeeping ---------------------------------------------------------

clean:
	rm -rf $(BUILD) tests/output

distclean: clean
	rm -rf $(VENV) $(VENV_OLDEST) $(VENV_NEWEST)
