"""Dependencies point one way: cli -> service -> adapters -> core -> errors.

The functional core (parsing, classification, the thread state machine, the policy) must
stay a set of pure functions that a test can feed values: it may not import an adapter, the
CLI, or a library that does I/O. This test reads the imports, so an arrow pointing the
wrong way fails here before it spreads.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "mailflow"

CORE = {"errors", "messages", "classify", "extract", "invites", "zones", "threads", "policy",
        "drafts", "outbox", "tone", "schedule"}
FORBIDDEN_IN_CORE = {
    # our adapters and shells
    "mailflow.imap", "mailflow.maildir", "mailflow.smtp", "mailflow.store", "mailflow.cli",
    "mailflow.service", "mailflow.poller", "mailflow.wizard", "mailflow.credentials",
    # libraries that do I/O or read the clock for you
    "imapclient", "imaplib", "smtplib", "socket", "sqlite3", "click", "yagmail", "keyring",
    "subprocess", "requests", "urllib.request",
}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_core_modules_do_no_io():
    checked = 0
    for path in sorted(PACKAGE.glob("*.py")):
        if path.stem not in CORE:
            continue
        checked += 1
        bad = {name for name in imports(path)
               if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IN_CORE)}
        assert not bad, f"{path.name} imports {sorted(bad)}"
    assert checked >= 4


def test_core_never_reads_the_clock():
    for path in sorted(PACKAGE.glob("*.py")):
        if path.stem not in CORE:
            continue
        text = path.read_text()
        for call in ("datetime.now(", "date.today(", "time.time(", "datetime.utcnow("):
            assert call not in text, f"{path.name} reads the clock ({call}); take `now`"


def test_adapters_do_not_import_the_cli():
    for path in sorted(PACKAGE.glob("*.py")):
        if path.stem in ("cli", "__main__"):
            continue
        assert "mailflow.cli" not in imports(path), path.name


def test_every_module_has_a_test_file():
    tests = Path(__file__).resolve().parent
    missing = [p.stem for p in PACKAGE.glob("*.py")
               if not p.stem.startswith("_") and p.stem not in ("wizard", "credentials")
               and not (tests / f"test_{p.stem}.py").exists()]
    # wizard is covered by test_cli (init), credentials by test_cli (password_command)
    assert missing == [], missing
