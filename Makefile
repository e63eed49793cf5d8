# Build, try and test the huaweicloud.vbs collection.
#
#   make demo    run the demo playbooks (examples/) twice each against the local VBS emulator
#   make test    every test tier, the slow ones side by side; one line per tier,
#                full logs in build/logs/; stops at the first tier that fails
#   make help    all targets
#
# Needs only Python 3 (3.11 or newer), make and git.  `make demo` and `make
# install` create .venv with what a user needs to run the collection
# (requirements.txt and ansible-core); the test targets create .venv-tests with
# the test tools of tests/requirements.txt on first use.  pip's output goes to
# build/logs/pip-*.log.  Tests, docs checks and the demo use the collection as
# a user installs it: built with `ansible-galaxy collection build` and
# installed into build/collections.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

REPO := $(CURDIR)
PYTHON ?= python3
VENV := $(REPO)/.venv
TEST_VENV := $(REPO)/.venv-tests
TEST_REQUIREMENTS := tests/requirements.txt
# The ansible-core of .venv: the one the tests run with (tests/requirements.txt).
CORE_PIN := $(shell sed -n '/^ansible-core==/p' $(TEST_REQUIREMENTS))
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
PYTEST_TIERS := unit emulator integration reliability probe package

# The tiers of `make test`, run by tools/run-tests.py: TIER or TIER:NEEDS, in
# the order they start, up to JOBS at a time, each once the tiers it needs have
# passed (the tiers after it wait).  The cheap checks come first, so their
# findings come within a minute; then the long tiers, longest first.  Most tiers keep one core busy at
# most (pip, ansible-test, one module run at a time), and the reliability tier
# mostly waits on its timers (backoff, timeouts), so four at a time keep two
# cores busy.  KEEP_GOING=1 runs every tier that can run after a failure.
TEST_PLAN := install test-tools environments \
	lint:install,test-tools changelog:test-tools docs:install,test-tools package:install,test-tools \
	ee:install,test-tools emulator:install,test-tools reliability:install,test-tools \
	integration:install,test-tools probe:install,test-tools sanity-oldest:environments sanity-newest:environments \
	sanity-latest:install unit:install,test-tools unit-oldest:install,environments
SETUP_TIERS := install test-tools environments
TIERS := $(filter-out $(SETUP_TIERS),$(foreach item,$(TEST_PLAN),$(firstword $(subst :, ,$(item)))))
JOBS ?= 4
KEEP_GOING ?= 0

# The tests that ansible-test sanity runs once per Python version (compile,
# import) run with each ansible-core on the Python that runs it (3.11, 3.11,
# 3.13) and on these: every Python from 3.8 to 3.14 once, and the oldest and
# newest ansible-core at both ends of the range they support (docs/testing.md).
SANITY_PYTHONS_OLDEST ?= 3.8,3.12
SANITY_PYTHONS_LATEST ?= 3.10
SANITY_PYTHONS_NEWEST ?= 3.9,3.14
# Sanity tests whose verdict does not depend on the ansible-core version run
# once: pylint (the most expensive test) with the oldest and newest cores,
# whose pylint releases bracket the one of 2.19; ansible-test's changelog
# test (an older antsibull-changelog lint than the changelog tier's) with
# 2.19 only.  Set one empty to run every test: make sanity-latest SANITY_SKIP_LATEST=
SANITY_SKIP_OLDEST ?= changelog
SANITY_SKIP_LATEST ?= pylint
SANITY_SKIP_NEWEST ?= changelog

# The test tools that the unit tests need, installed from tests/requirements.txt
# (same pins) into the oldest ansible-core's environment for `make unit-oldest`.
UNIT_TOOLS := pytest hypothesis huaweicloudsdkcore cryptography

# The test targets run with the tools of .venv-tests (then .venv) and see only
# the installed collection; the demo and the build use .venv's by their path.
export PATH := $(TEST_VENV)/bin:$(VENV)/bin:$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# `make test` installs once, then runs each tier with NO_INSTALL=1.
ifeq ($(NO_INSTALL),1)
INSTALL_DEP := venv
else
INSTALL_DEP := install
endif

.PHONY: help venv test-tools venv-oldest venv-newest environments install build demo bench test check-tiers $(TIERS) sanity module-docs clean distclean

help:
	@echo "make demo           run the demo playbooks (listed in tools/run-demo) twice each against the local VBS emulator"
	@echo "make test           all test tiers: $(TIERS)"
	@echo "                    (JOBS=$(JOBS) tiers at a time; KEEP_GOING=1 to run all that can run after a failure)"
	@echo "make bench          benchmark vbs_policy_resources against ansible.builtin.uri (docs/performance.md)"
	@echo
	@echo "make venv           create .venv: requirements.txt and ansible-core $$(sed -n 's/^ansible-core==//p' $(TEST_REQUIREMENTS))"
	@echo "make test-tools     create .venv-tests: the test tools of tests/requirements.txt (the test targets do it)"
	@echo "make install        build the collection tarball into build/ and install it into build/collections"
	@echo "make unit           pytest tests/unit"
	@echo "make unit-oldest    pytest tests/unit with the oldest ansible-core meta/runtime.yml allows"
	@echo "make emulator       pytest tests/emulator (the VBS emulator against the API reference)"
	@echo "make integration    pytest tests/integration (playbooks against the emulator)"
	@echo "make reliability    pytest tests/reliability (faults, hostile answers, secrets never shown)"
	@echo "make probe          pytest tests/probe (tools/vbs-probe against the emulator, every switch it reports)"
	@echo "make sanity         ansible-test sanity with ansible-core $$(sed -n 's/^ansible-core==//p' tests/requirements.txt), $$(sed -n 's/^ansible-core==//p' $(OLDEST_REQUIREMENTS)) and $$(sed -n 's/^ansible-core==//p' $(NEWEST_REQUIREMENTS))"
	@echo "make sanity-latest  ansible-test sanity with the ansible-core of .venv"
	@echo "make sanity-oldest  ansible-test sanity with the oldest ansible-core meta/runtime.yml allows"
	@echo "make sanity-newest  ansible-test sanity with the newest ansible-core (on Python 3.12+)"
	@echo "                    (every test on every Python found: tools/run-sanity VENV)"
	@echo "make lint           ansible-lint, production profile"
	@echo "make changelog      antsibull-changelog lint"
	@echo "make docs           ansible-doc of every module, antsibull-docs lint-collection-docs, docs/modules/ up to date"
	@echo "make module-docs    regenerate the module reference pages in docs/modules/"
	@echo "make ee             ansible-builder: the collection's Python requirements reach an execution environment"
	@echo "make package        pytest tests/package: the tarball holds what users need and nothing else"
	@echo "make clean          remove build/;  make distclean: also the virtual environments"
	@echo
	@echo "pip's output goes to build/logs/pip-<environment>.log"

# --- environments ---------------------------------------------------------

# What a user needs to run the collection, and nothing else: README.md's
# "Use it with your own playbook" starts from here.
$(VENV)/.installed: requirements.txt $(TEST_REQUIREMENTS)
	@if [ -z "$(CORE_PIN)" ]; then echo "venv: $(TEST_REQUIREMENTS) pins no ansible-core" >&2; exit 1; fi
	@tools/make-venv $(VENV) $(PYTHON) -r requirements.txt "$(CORE_PIN)"

venv: $(VENV)/.installed

# The test tools (with the same ansible-core), in an environment of their own.
$(TEST_VENV)/.installed: requirements.txt $(TEST_REQUIREMENTS)
	@tools/make-venv $(TEST_VENV) $(PYTHON) -r requirements.txt -r $(TEST_REQUIREMENTS)
	@echo "test-tools: $$($(TEST_VENV)/bin/python -m pip list --format freeze 2>/dev/null | wc -l) packages in $(notdir $(TEST_VENV))"

test-tools: $(TEST_VENV)/.installed

$(VENV_OLDEST)/.installed: $(OLDEST_REQUIREMENTS)
	@tools/make-venv $(VENV_OLDEST) $(PYTHON_OLDEST) -r $(OLDEST_REQUIREMENTS)

venv-oldest: $(VENV_OLDEST)/.installed

$(VENV_NEWEST)/.installed: $(NEWEST_REQUIREMENTS)
	@if [ -z "$(PYTHON_NEWEST)" ]; then \
		echo "sanity-newest: ansible-core $(NEWEST_CORE) needs Python 3.12 or newer and none was found; set PYTHON_NEWEST" >&2; \
		exit 1; \
	fi
	@tools/make-venv $(VENV_NEWEST) $(PYTHON_NEWEST) -r $(NEWEST_REQUIREMENTS)

venv-newest: $(VENV_NEWEST)/.installed

# The unit test tools in the oldest ansible-core's environment, pinned as in
# tests/requirements.txt; ansible-core stays at the oldest release.
$(VENV_OLDEST)/.unit-tools: $(VENV_OLDEST)/.installed requirements.txt tests/requirements.txt
	@mkdir -p $(BUILD)
	@grep -E '^($(subst $(eval) ,|,$(strip $(UNIT_TOOLS))))==' tests/requirements.txt > $(BUILD)/unit-tools.txt
	@if [ "$$(wc -l < $(BUILD)/unit-tools.txt)" -ne $(words $(UNIT_TOOLS)) ]; then \
		echo "unit-oldest: tests/requirements.txt does not pin each of: $(UNIT_TOOLS)" >&2; exit 1; \
	fi
	@tools/make-venv --stamp unit-tools $(VENV_OLDEST) $(PYTHON_OLDEST) \
		-r requirements.txt -r $(BUILD)/unit-tools.txt -c $(OLDEST_REQUIREMENTS)

# Every environment a tier of `make test` needs besides .venv and .venv-tests, made before the
# tiers start (two tiers that made one at the same time would collide).
environments: $(VENV_OLDEST)/.unit-tools venv-newest
	@echo "environments: ansible-core $(OLDEST_CORE) with the unit test tools, ansible-core $(NEWEST_CORE)"

# --- build and install ----------------------------------------------------

build: venv
	@rm -f $(BUILD)/huaweicloud-vbs-*.tar.gz
	$(VENV)/bin/ansible-galaxy collection build --force --output-path $(BUILD)/ .

install: build
	$(VENV)/bin/ansible-galaxy collection install --force -p $(COLLECTIONS) $(BUILD)/huaweicloud-vbs-*.tar.gz

# --- demo -----------------------------------------------------------------

# With .venv's ansible only: the environment the README hands to the user.
# The collection is built and installed quietly: the demo shows the playbooks.
demo: venv
	@mkdir -p $(BUILD)/logs
	@echo "== building the collection and installing it into build/collections (build/logs/demo-install.log)"
	@$(MAKE) install >$(BUILD)/logs/demo-install.log 2>&1 || { \
		tail -n 40 $(BUILD)/logs/demo-install.log; echo "make demo: the install failed; build/logs/demo-install.log has it all" >&2; exit 1; }
	@PATH="$(VENV)/bin:$$PATH" tools/run-demo

# --- benchmark ------------------------------------------------------------

# Not part of `make test`.  The full matrix takes about a quarter of an hour on a
# shared 2-CPU machine (docs/performance.md); for a quick look:
# make bench BENCH_ARGS="--sizes 10,100 --latencies 0 --runs 3 --no-doc"
BENCH_ARGS ?=

bench: install test-tools
	python tools/bench/run_bench.py $(BENCH_ARGS)

# --- tests ----------------------------------------------------------------

# Every tier of TEST_PLAN; tools/run-tests.py prints one line per tier and a
# summary, and the tail of the log of a tier that fails.
test: check-tiers
	@$(PYTHON) tools/run-tests.py --jobs $(JOBS) $(if $(filter 1,$(KEEP_GOING)),--keep-going) $(TEST_PLAN)

# pytest on one directory: $(1) tier, $(2) directory, $(3) Python (default:
# .venv-tests'), $(4) more pytest options.  Exit 5 (no tests collected) is a failure when the directory has
# test files; without any, see ALLOW_NO_TESTS above.  tests/conftest.py points
# the tests at the installed collection and stops when it is not the working
# tree's.  The JUnit XML in build/logs/ gives `make test` its counts.
define run_pytest
	@mkdir -p $(BUILD)/tiers $(BUILD)/logs; rm -f $(BUILD)/tiers/$(1).skipped
	@if [ -z "$$(find $(2) -type f \( -name 'test_*.py' -o -name '*_test.py' \) 2>/dev/null | head -n 1)" ]; then \
		if [ "$(ALLOW_NO_TESTS)" = 1 ]; then \
			echo "$(1): SKIPPED: no test files under $(2) yet"; \
			echo "no test files under $(2)" > $(BUILD)/tiers/$(1).skipped; \
			exit 0; \
		fi; \
		echo "$(1): FAILED: no test files under $(2)" >&2; exit 1; \
	fi; \
	rc=0; $(or $(3),python) -m pytest -ra --junitxml=$(BUILD)/logs/$(1).xml $(4) $(2) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "$(1): FAILED: pytest collected no tests from $(2)" >&2; fi; \
	exit $$rc
endef

unit: $(INSTALL_DEP) test-tools
	$(call run_pytest,unit,tests/unit)

# The emulator's own tests do not depend on ansible-core: they run once, with .venv-tests.
emulator: $(INSTALL_DEP) test-tools
	$(call run_pytest,emulator,tests/emulator)

# The integration tests run ansible commands, about a CPU-second each: their
# files are spread over INTEGRATION_WORKERS processes (pytest-xdist, one file
# per process at a time, so a file's fixtures and order stay as they are).
INTEGRATION_WORKERS ?= 2

integration: $(INSTALL_DEP) test-tools
	$(call run_pytest,integration,tests/integration,,$(if $(filter-out 0 1,$(INTEGRATION_WORKERS)),-n $(INTEGRATION_WORKERS) --dist loadfile))

# The reliability tests mostly wait on backoff, timeouts and stalled answers:
# two processes (one file each at a time) halve the wait.
RELIABILITY_WORKERS ?= 2

reliability: $(INSTALL_DEP) test-tools
	$(call run_pytest,reliability,tests/reliability,,$(if $(filter-out 0 1,$(RELIABILITY_WORKERS)),-n $(RELIABILITY_WORKERS) --dist loadfile))

# The conformance probe (tools/vbs-probe) against the emulator: one probe process per case, most of
# them the combinations of the switches it reports; the cases spread over two processes.
PROBE_WORKERS ?= 2

probe: $(INSTALL_DEP) test-tools
	$(call run_pytest,probe,tests/probe,,$(if $(filter-out 0 1,$(PROBE_WORKERS)),-n $(PROBE_WORKERS)))

unit-oldest: $(INSTALL_DEP) $(VENV_OLDEST)/.unit-tools
	$(call run_pytest,unit-oldest,tests/unit,$(VENV_OLDEST)/bin/python)

# The published tarball and the installed copy.
package: $(INSTALL_DEP) test-tools
	$(call run_pytest,package,tests/package)

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
	tools/run-sanity $(VENV_NEWEST) --pythons $(SANITY_PYTHONS_NEWEST) $(addprefix --skip-test ,$(SANITY_SKIP_NEWEST))

sanity-latest: venv
	tools/run-sanity $(VENV) --pythons $(SANITY_PYTHONS_LATEST) $(addprefix --skip-test ,$(SANITY_SKIP_LATEST))

# The pin in $(OLDEST_REQUIREMENTS) must follow meta/runtime.yml.
sanity-oldest: venv-oldest
	@claimed=$$(sed -n 's/^requires_ansible: *["'"'"']*>= *\([0-9]*\.[0-9]*\).*/\1/p' meta/runtime.yml); \
	if [ "$$claimed" != "$(OLDEST_CORE)" ]; then \
		echo "sanity-oldest: meta/runtime.yml requires_ansible starts at '$$claimed' but $(OLDEST_REQUIREMENTS) pins ansible-core $(OLDEST_CORE)" >&2; \
		exit 1; \
	fi
	tools/run-sanity $(VENV_OLDEST) --pythons $(SANITY_PYTHONS_OLDEST) $(addprefix --skip-test ,$(SANITY_SKIP_OLDEST))

lint: $(INSTALL_DEP) test-tools
	ansible-lint --profile production

changelog: test-tools
	antsibull-changelog lint
	antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
	@echo "changelog: $$(find changelogs/fragments -type f -name '*.y*ml' | wc -l) fragments and changelogs/changelog.yaml are clean"

# Docs as a user gets them: ansible-doc from the installed collection, one call
# per module file, and the docsite linter on the collection's plugin docs.
docs: $(INSTALL_DEP) test-tools
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

module-docs: $(INSTALL_DEP) test-tools
	@rm -rf docs/modules && mkdir -p docs/modules
	$(call generate_module_docs,docs/modules)

ee: $(INSTALL_DEP) test-tools
	tools/check-execution-environment

# --- housekeeping ---------------------------------------------------------

# build/ also holds ansible-test's virtual environments (build/ansible-test/):
# the next sanity run after `make clean` creates them again.
clean:
	rm -rf $(BUILD) tests/output

distclean: clean
	rm -rf $(VENV) $(TEST_VENV) $(VENV_OLDEST) $(VENV_NEWEST)
