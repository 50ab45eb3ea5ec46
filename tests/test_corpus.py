"""The labelled corpus: every tests/corpus/<kind>/NAME.eml against its NAME.json.

Fails when accuracy drops below the levels reached (see THRESHOLDS) and prints every
miss, so a misread mail becomes a corpus file, not new test code. The expectations hold
kind, start, end, medium, phone, respond_by, auto_reply, back_on, plus optional "tz"
(default America/New_York), "me" (default alex.candidate@example.com), "call_held"
(checked where the JSON has it; false by default for every kind but reply) and
"callee_phone" (the candidate's own number the interviewer will call them at, which is
never `phone`; checked where the JSON has it).
"""

from __future__ import annotations

import json
import sysconfig
from datetime import datetime
from pathlib import Path

import pytest

from mailflow import classify, messages

CORPUS = Path(__file__).parent / "corpus"
DEFAULT_TZ = "America/New_York"
DEFAULT_ME = "alex.candidate@example.com"
FIELDS = ("kind", "start", "end", "medium", "phone", "respond_by", "auto_reply", "back_on",
          "call_held")

# Levels reached on this corpus (raise them when the corpus gets better, never lower
# them to make a change pass).
THRESHOLDS = {
    "kind": 0.995,
    "start": 0.995,
    "end": 0.985,
    "medium": 0.99,
    "phone": 0.995,
    "respond_by": 0.99,
    "auto_reply": 0.995,
    "back_on": 0.99,
    "call_held": 1.0,
}
# Over the messages whose JSON states callee_phone.
CALLEE_PHONE_THRESHOLD = 1.0
MAX_FALSE_INVITE_RATE = 0.002


def cases() -> list[Path]:
    return sorted(CORPUS.glob("*/*.eml"))


def run_case(path: Path) -> tuple[dict[str, object], dict[str, object]]:
    expected = json.loads(path.with_suffix(".json").read_text())
    msg = messages.parse(path.read_bytes())
    u = classify.understand(
        msg, me=[expected.get("me", DEFAULT_ME)], tz=expected.get("tz", DEFAULT_TZ)
    )
    return expected, u.to_json()


def same(field: str, want: object, got: object) -> bool:
    if field in ("start", "end") and want and got:
        # The instant matters, not the offset it is written with.
        return datetime.fromisoformat(str(want)) == datetime.fromisoformat(str(got))
    return want == got


def test_corpus_size_and_mix() -> None:
    paths = cases()
    kinds = [p.parent.name for p in paths]
    assert len(paths) >= 140
    assert kinds.count("other") >= len(paths) // 4
    for path in paths:
        assert path.with_suffix(".json").exists(), path


def test_corpus_accuracy() -> None:
    paths = cases()
    hits = dict.fromkeys(FIELDS, 0)
    misses: list[str] = []
    non_interview = false_invites = 0
    callee_n = callee_hits = 0
    for path in paths:
        expected, got = run_case(path)
        if "call_held" not in expected and expected["kind"] != "reply":
            expected = {**expected, "call_held": False}
        for f in FIELDS:
            if f not in expected and f == "call_held":
                hits[f] += 1  # a reply whose JSON does not say
                continue
            if same(f, expected.get(f), got.get(f)):
                hits[f] += 1
            else:
                misses.append(f"{path.parent.name}/{path.stem}: {f} want {expected.get(f)!r} "
                              f"got {got.get(f)!r}")
        if "callee_phone" in expected:
            callee_n += 1
            if expected["callee_phone"] == got.get("callee_phone"):
                callee_hits += 1
            else:
                misses.append(f"{path.parent.name}/{path.stem}: callee_phone want "
                              f"{expected['callee_phone']!r} got {got.get('callee_phone')!r}")
        if expected["kind"] not in ("invite", "reschedule"):
            non_interview += 1
            false_invites += got["kind"] in ("invite", "reschedule")
    n = len(paths)
    rates = {f: hits[f] / n for f in FIELDS}
    print("\n".join(misses))
    print({f: round(r, 3) for f, r in rates.items()},
          f"callee_phone {callee_hits}/{callee_n}", f"false-invite {false_invites}/{non_interview}")
    for f, floor in THRESHOLDS.items():
        assert rates[f] >= floor, f"{f}: {rates[f]:.3f} < {floor}\n" + "\n".join(
            m for m in misses if f": {f} " in m)
    assert callee_n and callee_hits / callee_n >= CALLEE_PHONE_THRESHOLD, "\n".join(
        m for m in misses if ": callee_phone " in m)
    assert false_invites <= MAX_FALSE_INVITE_RATE * non_interview + 1e-9


def _stdlib_email_corpus() -> list[Path]:
    data = Path(sysconfig.get_paths()["stdlib"]) / "test" / "test_email" / "data"
    return sorted(p for p in data.glob("*") if p.is_file()) if data.is_dir() else []


@pytest.mark.skipif(not _stdlib_email_corpus(), reason="CPython's test data is not installed")
def test_cpython_email_corpus_never_crashes() -> None:
    for path in _stdlib_email_corpus():
        msg = messages.parse(path.read_bytes())
        u = classify.understand(msg, me=[DEFAULT_ME], tz=DEFAULT_TZ)
        assert u.kind in classify.Kind
        classify.describe(u, DEFAULT_TZ)
        json.dumps(u.to_json())


HOLDOUT = Path(__file__).parent / "corpus_holdout11"
# Blind sets ao (US, Canada, UK), ap (continental Europe, India, Asia-Pacific; a third in
# German, French or Spanish), aq (scheduling tools and ATS mail) and ar (many industries),
# 60 messages each, measured once, on first sight, before any rule looked at them
# (2026-11-24, after sets h-an were folded into tests/corpus): kind 235/240 (97.9%), start
# 115/116 (99.1%), phone 237/240 (98.8%), false invites 0/124, no crash: every aim of the
# issue met on this sample. The rounds before it, each measured after the previous one was
# fixed (kind / start / false invites): m+n 90.0 / 84.5 / 4.8%, o+p 93.3 / 94.8 / 3.2%, q-t
# 94.6 / 94.9 / 2.5%, u-x 95.4 / 96.6 / 3.2%, y-ab 97.1 / 98.3 / 2.4%, ac-af 96.7 / 97.4 /
# 0%, ag-aj 95.8 / 95.7 / 2.4%, ak-an 97.5 / 94.8 / 0.8%. This guards the level reached;
# the misses the test prints are the next work (fix them with general rules, fold the sets
# into tests/corpus, and have someone who never read the rules write the next ones; the
# prompt is tests/corpus/WRITING_A_BLIND_SET.md).
HOLDOUT_FIRST_SIGHT = {"n": 240, "kind": 235, "start": 115, "phone": 237, "false_invites": 0}


@pytest.mark.skipif(not HOLDOUT.is_dir(),
                    reason="tests/corpus_holdout11 (the next blind corpus) is not written yet; "
                           "the lead sets its thresholds after the first measurement")
def test_the_untouched_blind_corpus_stays_at_its_first_measured_level() -> None:
    """tests/corpus_holdout11 is written by people who never saw the rules, and no rule is
    tuned on it. Its predecessors (holdout1-3 and blind sets a-an) were each measured once on
    first sight, then fixed with general rules and folded into tests/corpus."""
    paths = sorted(HOLDOUT.rglob("*.eml"))
    if not paths:
        pytest.skip("tests/corpus_holdout11 holds no messages yet")
    n = len(paths)
    kind = start = start_n = phone = invites_wrong = negatives = 0
    for path in paths:
        want, got = run_case(path)
        if want["kind"] not in ("invite", "reschedule"):
            negatives += 1
            invites_wrong += got["kind"] in ("invite", "reschedule")
        if same("kind", want["kind"], got["kind"]):
            kind += 1
        else:
            print(f"miss {path.relative_to(HOLDOUT)}: kind {got['kind']} (want {want['kind']})")
        if want["start"] is not None:
            start_n += 1
            start += same("start", want["start"], got["start"])
        phone += same("phone", want["phone"], got["phone"])
    print(f"blind corpus: kind {kind}/{n}, start {start}/{start_n}, phone {phone}/{n}, "
          f"false invites {invites_wrong}/{negatives}")
    assert n == HOLDOUT_FIRST_SIGHT["n"]
    assert kind >= HOLDOUT_FIRST_SIGHT["kind"]
    assert start >= HOLDOUT_FIRST_SIGHT["start"]
    assert phone >= HOLDOUT_FIRST_SIGHT["phone"]
    assert invites_wrong <= HOLDOUT_FIRST_SIGHT["false_invites"]
