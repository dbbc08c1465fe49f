# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
# The demo's event happening today (events/management/commands/seed_demo.py), where the scanner accepts tickets.
DEMO_TODAY := demo-fair-today

.PHONY: run test setup lint format migrate demo clean messages mutation

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

messages: $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput -v 0

demo: migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py matching_demo
	$(BIN)/python manage.py dialogue_demo
	$(BIN)/python manage.py seed_programme
	$(BIN)/python manage.py seed_needs_assessment
	$(BIN)/python manage.py seed_training_cohort

# Daphne serves HTTP and WebSockets; two django-q2 clusters run the background jobs beside it (the
# urgent one sends sign-in links and confirmations ahead of bulk mail). config/devserver.py starts
# all three and stops them together on Ctrl-C. Links in emails and feeds follow HOST and PORT
# (`PORT=8101 make run`) unless SITE_URL is set; emails are written to var/mail/ as files.
run: $(STAMP) demo
	$(BIN)/python manage.py collectstatic --noinput -v 0
	@echo "Serving on http://$(HOST):$(PORT)/ - sign in at http://$(HOST):$(PORT)/me/sign-in/ as any role, password explorers-demo:"
	@echo "  organiser   organiser@explorers.example     (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "  door staff  staff@explorers.example         (today's scanner: http://$(HOST):$(PORT)/checkin/$(DEMO_TODAY)/scan)"
	@echo "  employer    aiste@nemunas-software.example  (admin of Nemunas Software UAB: board, members page)"
	@echo "  candidate   zainab.hussein@mail.example"
	@echo "  trainer     trainer@explorers.example       (the ICT training's grid: http://$(HOST):$(PORT)/checkin/digital-explorers-ict-training/training/)"
	@echo "  official    ruta.kazlauskiene@socmin.example"
	@exec $(BIN)/python -m config.devserver --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

# Mutation testing (docs/testing.md); not part of `make test` or CI, and slow (tens of minutes on two
# cores). mutmut 3 mutates one module at a time and runs its own test folder against each mutant
# (the other two folders and browser tests deselected; [tool.mutmut] in pyproject.toml). Each
# module's figures and surviving mutants go to var/mutation/<name>.txt; the last module's mutants/
# stays for `mutmut show <mutant>`. MUTATION=scorer runs one module; MUTATION_CHILDREN workers at once.
# Each run's workers copy one freshly migrated test database (tests/conftest.py), removed after it.
MUTATION ?= door scorer registration
MUTATION_CHILDREN ?= 2
MUTATION_FOLDERS := tests/checkin tests/matching tests/events
# The scorer is wherever `def score(` is defined under matching/ when the target runs (it may move
# again; pyproject.toml's only_mutate must list it).
MUTATION_SCORER_DEF := ^def score[(]
MUTATION_SCORER = $(firstword $(shell grep -rlE --include='*.py' '$(MUTATION_SCORER_DEF)' matching))

mutation: $(STAMP)
	@set -e; mkdir -p var/mutation; for name in $(MUTATION); do \
	  case $$name in \
	    door) module=checkin/door.py; folder=tests/checkin;; \
	    scorer) module="$(MUTATION_SCORER)"; folder=tests/matching;; \
	    registration) module=events/services.py; folder=tests/events;; \
	    *) echo "MUTATION: unknown module $$name (door, scorer, registration)" >&2; exit 2;; \
	  esac; \
	  test -f "$$module" || { echo "mutation $$name: no module found" >&2; exit 1; }; \
	  prefix=$$(echo "$${module%.py}" | tr / .); \
	  others=$$(for f in $(MUTATION_FOLDERS); do [ $$f = $$folder ] || printf -- '--deselect=%s/ ' $$f; done); \
	  echo "=== mutation: $$module against $$folder ==="; \
	  rm -rf mutants; \
	  PYTEST_ADDOPTS="$$others" $(BIN)/mutmut run --max-children $(MUTATION_CHILDREN) "$$prefix.*"; \
	  $(BIN)/mutmut results --all true | grep -F " $$prefix." > var/mutation/$$name.all || true; \
	  test -s var/mutation/$$name.all || { echo "mutation $$name: no mutants of $$module (is it in only_mutate?)" >&2; exit 1; }; \
	  { echo "$$module against $$folder (make mutation MUTATION=$$name)"; \
	    awk -F': ' '{n[$$NF]++; t++} END {for (s in n) printf "  %s %d\n", s, n[s]; printf "  killed %.1f %% of %d\n", 100*n["killed"]/t, t}' var/mutation/$$name.all; \
	    echo "not killed:"; grep -v ': killed$$' var/mutation/$$name.all || true; } > var/mutation/$$name.txt; \
	  cat var/mutation/$$name.txt; \
	  rm -f "$${TEST_DB_NAME:-mutants/var/test.sqlite3}".run*; \
	done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
