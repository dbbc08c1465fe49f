"""Live messages leave from services only, after the commit: every call of a publishing function, read with `ast`.

The convention (realtime/publish.py, docs/realtime.md): a service calls `publish_on_commit` inside
its transaction. `send_now` sends at once, so only code that already runs after a commit on a thread
of its own may call it; `send_to_channel` hands work to a background worker. A view, consumer,
selector, model signal or task that publishes fails here: move the publication into the service
that makes the change, or add the module below with the reason it needs to differ.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("config", "events", "matching", "checkin", "realtime")
PUBLISHER = "realtime.publish"
# Where the functions are defined; its own calls are the machinery, not call sites.
DEFINING = "realtime/publish.py"

# Each publishing function, and the modules that may call it (with why).
ALLOWED: dict[str, dict[str, str]] = {
    "publish_on_commit": {
        "events/services.py": "registrations (the dashboard snapshot, read after the commit) and event changes",
        "events/sessions.py": "every change of a session: session.changed and session.withdrawn",
        "events/live.py": "announcement_send, the announcements service",
        "events/actions.py": "every change of an action item: action.changed / action.removed on the roadmap streams",
        "matching/meetings.py": "meeting requests and meetings, to both sides",
        "matching/timetable.py": "a timetable run, to everyone whose meetings it planned",
        "checkin/live.py": "checkin.arrival, called by the door's service inside the scan's transaction",
    },
    "send_now": {
        # Coalesced publications (realtime.coalesce): the service schedules `add()` after its commit;
        # the send runs later on the coalescer's thread (or in that on-commit callback at interval 0).
        "checkin/live.py": "the coalesced check-in counts (dashboard, gates) and the lobby's head count",
        "matching/live_counts.py": "the coalesced meeting figures of the control room",
        # The check-in hook's batches (checkin/hooks.py) run after the scans commit, on the hook's
        # worker thread, outside any transaction; they reach the boards through the same coalescer.
        "matching/board/pushes.py": "the coalesced board pushes, from the check-in hook's worker and services",
    },
    "send_to_channel": {
        "matching/live_worker.py": "the check-in hook's batches handed to the matching-live worker (after commit)",
    },
}
PUBLISHING = frozenset(ALLOWED) | {"publish"}  # `publish` was the on-commit function's old name


@dataclass(frozen=True)
class CallSite:
    path: str
    line: int
    function: str  # the publishing function called

    def __str__(self) -> str:
        return f"{self.path}:{self.line} calls {self.function}"


def _publishing_names(tree: ast.Module) -> tuple[dict[str, str], set[str]]:
    """Local names bound to publishing functions (name -> function) and to the module itself."""
    functions: dict[str, str] = {}
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == PUBLISHER:
            for alias in node.names:
                if alias.name in PUBLISHING:
                    functions[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module == "realtime":
            modules.update(alias.asname or alias.name for alias in node.names if alias.name == "publish")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PUBLISHER:
                    modules.add(alias.asname or PUBLISHER)
    return functions, modules


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def call_sites(source: str, path: str) -> list[CallSite]:
    """Every call of a publishing function in this source, through whatever name it was imported."""
    tree = ast.parse(source, filename=path)
    functions, modules = _publishing_names(tree)
    sites = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = _dotted(node.func)
        if called in functions:
            sites.append(CallSite(path, node.lineno, functions[called]))
            continue
        owner, _dot, attr = called.rpartition(".")
        if owner in modules and attr in PUBLISHING:
            sites.append(CallSite(path, node.lineno, attr))
    return sites


def project_call_sites() -> list[CallSite]:
    sites = []
    for package in PACKAGES:
        for file in sorted((ROOT / package).rglob("*.py")):
            path = file.relative_to(ROOT).as_posix()
            if path != DEFINING:
                sites += call_sites(file.read_text(encoding="utf-8"), path)
    return sites


def refused(sites: list[CallSite]) -> list[str]:
    return [str(site) for site in sites if site.path not in ALLOWED.get(site.function, {})]


def test_live_messages_are_published_only_from_the_allowed_modules():
    assert refused(project_call_sites()) == [], "publish from a service with publish_on_commit, or list the module"


def test_every_allowed_module_still_publishes():
    """A module that stopped publishing leaves the list, so the list stays the map of who publishes."""
    used = {(site.function, site.path) for site in project_call_sites()}
    stale = [(function, path) for function, paths in ALLOWED.items() for path in paths if (function, path) not in used]
    assert stale == []


def test_the_reader_finds_calls_through_every_kind_of_import():
    source = """
from realtime.publish import send_now as push, publish_on_commit
from realtime import publish as rt
import realtime.publish

def view(request):
    push("s", "t", {})
    publish_on_commit("s", "t", {})
    rt.send_now("s", "t", {})
    realtime.publish.send_to_channel("c", {})
    rt.current_seq("s")  # reading a seq publishes nothing

def unrelated(publish):
    publish("not realtime's")
"""
    found = [(site.line, site.function) for site in call_sites(source, "matching/views.py")]
    assert found == [(7, "send_now"), (8, "publish_on_commit"), (9, "send_now"), (10, "send_to_channel")]


def test_a_view_or_a_signal_that_publishes_is_refused():
    view = "from realtime.publish import publish_on_commit\n\ndef page(request):\n    publish_on_commit('s', 't', {})\n"
    signal = "from realtime.publish import send_now\n\ndef saved(sender, **kw):\n    send_now('s', 't', {})\n"
    sites = call_sites(view, "events/views.py") + call_sites(signal, "events/services.py")
    assert refused(sites) == ["events/views.py:4 calls publish_on_commit", "events/services.py:4 calls send_now"]
