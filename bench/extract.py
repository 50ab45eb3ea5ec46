"""Message understanding on the labelled corpus: mailflow against two baselines.

    python bench/extract.py [CORPUS_DIR]

Prints, for each system, on the same parsed bodies in the same run:
  kind      share of messages whose kind is right
  start     share of interview messages (expected start set) whose start instant is exact
  start*    share of all messages whose start is right (null where none is expected)
  phone     share of all messages whose phone is right (null where none is expected)
  phone+    share of messages with an expected phone where it is found exactly
  false-inv share of non-interview messages taken for an invite or reschedule
  crashes   messages on which the system raised

Baselines:
  dateparser  `search_dates` over subject + body (languages en/de/fr/es, relative to the
              Date header, the user's zone), the first hit that has a time is the start;
              simple keyword rules for the kind; the first phonenumbers match as the phone.
  dateutil    `dateutil.parser.parse(text, fuzzy=True)` with the Date header as default; its
              result is the start (kind and phone from the same keyword rules).
"""

from __future__ import annotations

import json
import re
import sys
import time
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailflow import classify, messages, zones  # noqa: E402

DEFAULT_TZ = "America/New_York"
DEFAULT_ME = "alex.candidate@example.com"
INTERVIEW = ("invite", "reschedule")

Result = dict[str, object]


def mailflow_system(msg: messages.Message, tz: str, me: str) -> Result:
    return classify.understand(msg, me=[me], tz=tz).to_json()


# The keyword rules a quick script would use (the first version of classify.py).
_REJECT = re.compile(r"unfortunately|regret|not (?:be )?moving forward|other candidates|"
                     r"leider|malheureusement|lamentablemente", re.I)
_CANCEL = re.compile(r"cancel|annul|absag", re.I)
_RESCHED = re.compile(r"reschedul|moved|new time|verschoben|report", re.I)
_INVITE = re.compile(r"interview|phone screen|call|entretien|entrevista|gespräch", re.I)
_JOB = re.compile(r"recruit|position|role|application|candidate|hiring|bewerbung|candidature",
                  re.I)


def keyword_kind(text: str, has_time: bool) -> str:
    if _REJECT.search(text):
        return "rejection"
    if _CANCEL.search(text):
        return "cancel"
    if _INVITE.search(text) and has_time:
        return "reschedule" if _RESCHED.search(text) else "invite"
    if _JOB.search(text) or _INVITE.search(text):
        return "reply"
    return "other"


def first_phone(text: str, tz: str) -> str | None:
    import phonenumbers

    for match in phonenumbers.PhoneNumberMatcher(text, zones.region_for_zone(tz)):
        return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None


def _has_clock(s: str) -> bool:
    return bool(re.search(r"\d:\d\d|\d\s*(?:a\.?m|p\.?m)|\d\s*uhr|\d+h\d*|noon", s, re.I))


def dateparser_system(msg: messages.Message, tz: str, me: str) -> Result:
    from dateparser.search import search_dates

    text = f"{msg.subject}\n{msg.text}"
    base = (msg.date or datetime.now(ZoneInfo(tz))).astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    found = search_dates(
        text,
        languages=["en", "de", "fr", "es"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "TIMEZONE": tz,
                  "RETURN_AS_TIMEZONE_AWARE": True},
    ) or []
    start = next((d for s, d in found if _has_clock(s)), None)
    kind = keyword_kind(text, start is not None)
    if kind not in INTERVIEW:
        start = None
    return {"kind": kind, "start": start.isoformat() if start else None,
            "phone": first_phone(msg.text, tz) if kind in INTERVIEW else None}


def dateutil_system(msg: messages.Message, tz: str, me: str) -> Result:
    from dateutil import parser

    text = f"{msg.subject}\n{msg.text}"
    default = (msg.date or datetime.now(ZoneInfo(tz))).astimezone(ZoneInfo(tz))
    try:
        start: datetime | None = parser.parse(text, fuzzy=True, default=default)
    except (ValueError, OverflowError, parser.ParserError):
        start = None
    if start is not None and start.tzinfo is None:
        start = start.replace(tzinfo=ZoneInfo(tz))
    kind = keyword_kind(text, start is not None)
    if kind not in INTERVIEW:
        start = None
    return {"kind": kind, "start": start.isoformat() if start else None,
            "phone": first_phone(msg.text, tz) if kind in INTERVIEW else None}


def _same_instant(want: object, got: object) -> bool:
    if want is None or got is None:
        return want is got
    try:
        return datetime.fromisoformat(str(want)) == datetime.fromisoformat(str(got))
    except ValueError:
        return False


def evaluate(system: Callable[[messages.Message, str, str], Result],
             cases: list[tuple[Path, dict[str, object], messages.Message]]) -> dict[str, float]:
    n = len(cases)
    kind = start_all = phone_all = crashes = 0
    with_start = start_hit = with_phone = phone_hit = non_interview = false_inv = 0
    t0 = time.perf_counter()
    for _path, exp, msg in cases:
        tz = str(exp.get("tz", DEFAULT_TZ))
        me = str(exp.get("me", DEFAULT_ME))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = system(msg, tz, me)
        except Exception:
            crashes += 1
            got = {}
        kind += got.get("kind") == exp["kind"]
        ok_start = _same_instant(exp.get("start"), got.get("start"))
        start_all += ok_start
        if exp.get("start"):
            with_start += 1
            start_hit += ok_start
        phone_all += got.get("phone") == exp.get("phone")
        if exp.get("phone"):
            with_phone += 1
            phone_hit += got.get("phone") == exp.get("phone")
        if exp["kind"] not in INTERVIEW:
            non_interview += 1
            false_inv += got.get("kind") in INTERVIEW
    return {
        "kind": kind / n,
        "start": start_hit / max(with_start, 1),
        "start*": start_all / n,
        "phone": phone_all / n,
        "phone+": phone_hit / max(with_phone, 1),
        "false-inv": false_inv / max(non_interview, 1),
        "crashes": crashes,
        "ms/msg": 1000 * (time.perf_counter() - t0) / n,
    }


def load(corpus: Path) -> list[tuple[Path, dict[str, object], messages.Message]]:
    out = []
    for path in sorted(corpus.glob("*/*.eml")):
        exp = json.loads(path.with_suffix(".json").read_text())
        out.append((path, exp, messages.parse(path.read_bytes())))
    return out


def main(argv: list[str]) -> None:
    corpus = Path(argv[1]) if len(argv) > 1 else ROOT / "tests" / "corpus"
    cases = load(corpus)
    kinds: dict[str, int] = {}
    for _p, exp, _m in cases:
        kinds[str(exp["kind"])] = kinds.get(str(exp["kind"]), 0) + 1
    print(f"corpus: {len(cases)} messages  " + "  ".join(f"{k} {v}" for k, v in
                                                         sorted(kinds.items())))
    systems = {
        "mailflow": mailflow_system,
        "dateparser+kw": dateparser_system,
        "dateutil fuzzy": dateutil_system,
    }
    cols = ("kind", "start", "start*", "phone", "phone+", "false-inv", "crashes", "ms/msg")
    print(f"{'system':<16}" + "".join(f"{c:>10}" for c in cols))
    for name, system in systems.items():
        r = evaluate(system, cases)
        cells = []
        for c in cols:
            v = r[c]
            cells.append(f"{v:>10d}" if c == "crashes" else
                         f"{v:>10.1f}" if c == "ms/msg" else f"{100 * v:>9.1f}%")
        print(f"{name:<16}" + "".join(cells))


if __name__ == "__main__":
    main(sys.argv)
