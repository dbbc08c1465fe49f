# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test setup lint format migrate demo clean messages

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

# Daphne serves HTTP and WebSockets; a django-q2 cluster runs the background jobs beside it.
# Ctrl-C stops both (the trap kills the whole process group).
run: $(STAMP) demo
	$(BIN)/python manage.py collectstatic --noinput -v 0
	@echo "Serving on http://$(HOST):$(PORT)/ - sign in at http://$(HOST):$(PORT)/me/sign-in/?next=/me/ as any role, password explorers-demo:"
	@echo "  organiser   organiser@explorers.example     (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "  door staff  staff@explorers.example"
	@echo "  employer    aiste@nemunas-software.example  (admin of Nemunas Software UAB: board, members page)"
	@echo "  candidate   zainab.hussein@mail.example"
	@echo "  official    ruta.kazlauskiene@socmin.example"
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/python manage.py qcluster & \
	$(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application & \
	wait

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
