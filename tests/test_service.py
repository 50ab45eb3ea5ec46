from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from mailflow.service import format_instant


def test_format_instant_shows_both_zones_when_they_differ():
    t = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
    ny = ZoneInfo("America/New_York")
    assert format_instant(t, ny) == "Tue 24 Nov 2026 15:00 EST"
    assert format_instant(t, ny, "America/Los_Angeles") == (
        "Tue 24 Nov 2026 15:00 EST (12:00 PST there)")
    assert format_instant(t, ny, "America/New_York") == "Tue 24 Nov 2026 15:00 EST"
    # Same offset, different name: nothing to add.
    assert format_instant(t, ny, "America/Toronto") == "Tue 24 Nov 2026 15:00 EST"


def test_format_instant_in_summer_time():
    t = datetime(2026, 7, 1, 13, 30, tzinfo=UTC)
    assert format_instant(t, ZoneInfo("Europe/Berlin"), "America/Chicago") == (
        "Wed 01 Jul 2026 15:30 CEST (08:30 CDT there)")


# ---- the planner over a real store ----------------------------------------------------------

import mailbox  # noqa: E402
from datetime import timedelta  # noqa: E402

from conftest import INVITE_ID, INVITED, NOW, PRIYA  # noqa: E402

from mailflow import service  # noqa: E402
from mailflow.settings import load  # noqa: E402
from mailflow.store import Store  # noqa: E402

from factories import mail, settings_text  # noqa: E402

M = timedelta(minutes=1)


def make(tmp_path):
    box = mailbox.Maildir(tmp_path / "Maildir", factory=None, create=True)
    box.add(mail("Phone screen", "Can we do a phone interview on Tuesday, November 24 at 3:00 "
                 "PM ET? I'll call you at +1 212-555-0142.", sender=f"Priya Shah <{PRIYA}>",
                 date=INVITED, message_id=INVITE_ID))
    path = tmp_path / "s.ini"
    path.write_text(settings_text(f"source = maildir:{tmp_path / 'Maildir'}", tmp_path / "state"))
    settings = load(path.read_text(), path)
    service.poll(settings, NOW - timedelta(days=2))
    return settings, box


def kinds(settings, include_done=True):
    return sorted((d["kind"], d["state"]) for d in service.list_drafts(settings, include_done))


def test_a_thousand_planner_runs_make_each_draft_once(tmp_path):
    settings, _box = make(tmp_path)
    with service.session(settings) as store:
        for _ in range(1000):
            service.plan_with(store, settings, NOW)
    assert kinds(settings) == [("confirmation", "pending")]


def test_drafts_appear_inside_their_windows_and_expire(tmp_path):
    settings, _box = make(tmp_path)
    start = NOW + 180 * M  # 15:00 New York
    service.plan(settings, start - timedelta(days=1) - M)
    assert kinds(settings) == []
    service.plan(settings, start - timedelta(days=1))
    assert kinds(settings) == [("confirmation", "pending")]
    service.plan(settings, start - 30 * M)
    assert kinds(settings) == [("confirmation", "expired")]
    service.plan(settings, start + 15 * M)
    assert kinds(settings) == [("confirmation", "expired"), ("missed_call", "pending")]


def test_a_reply_since_the_start_makes_the_missed_call_note_obsolete(tmp_path):
    settings, box = make(tmp_path)
    start = NOW + 180 * M
    service.plan(settings, start + 20 * M)
    box.add(mail("Re: Phone screen", "So sorry, running 10 minutes late!",
                 sender=f"Priya Shah <{PRIYA}>", date=start + 22 * M, in_reply_to=INVITE_ID))
    service.poll(settings, start + 25 * M)
    service.plan(settings, start + 25 * M)
    assert ("missed_call", "obsolete") in kinds(settings)


def test_a_reschedule_moves_every_pending_draft(tmp_path):
    settings, box = make(tmp_path)
    service.plan(settings, NOW)
    box.add(mail("Re: Phone screen", "Could we move our call to Wednesday, November 25 at "
                 "3:00 PM ET instead?", sender=f"Priya Shah <{PRIYA}>", date=NOW + M,
                 in_reply_to=INVITE_ID))
    service.poll(settings, NOW + 2 * M)
    service.plan(settings, NOW + 2 * M)
    assert kinds(settings) == [("confirmation", "obsolete")]
    service.plan(settings, NOW + timedelta(days=1))
    drafts = service.list_drafts(settings)
    assert [d["key"] for d in drafts] == ["confirmation:2026-11-25T20:00:00+00:00"]


def test_mark_held_discards_the_missed_call_note_and_thank_you_follows(tmp_path):
    settings, _box = make(tmp_path)
    start = NOW + 180 * M
    service.plan(settings, start + 20 * M)
    state = service.mark(settings, 1, "held", start + 40 * M)
    assert state.value == "held"
    assert ("missed_call", "discarded") in kinds(settings)
    (thanks,) = [d for d in service.list_drafts(settings) if d["kind"] == "thank_you"]
    assert "[[" in thanks["body"]  # the line only the user can write


def test_marks_that_make_no_sense_are_one_line_usage_errors(tmp_path):
    import pytest

    from mailflow.errors import UsageError

    settings, _box = make(tmp_path)
    with pytest.raises(UsageError, match="respond-by needs a date"):
        service.mark(settings, 1, "respond-by", NOW)
    with pytest.raises(UsageError, match="there is no thread 9"):
        service.mark(settings, 9, "held", NOW)
    service.mark(settings, 1, "offer", NOW)
    with pytest.raises(UsageError, match="cannot be marked held"):
        service.mark(settings, 1, "held", NOW)


def test_the_bundled_example_tells_its_story(tmp_path):
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "examples"
    shutil.copytree(root, tmp_path / "examples", ignore=shutil.ignore_patterns(".state"))
    settings = load((tmp_path / "examples" / "settings.ini").read_text(),
                    tmp_path / "examples" / "settings.ini")
    now = NOW  # Tuesday 24 November 2026, noon in New York
    with service.session(settings) as store:
        service.poll_with(store, settings, now)
        service.plan_with(store, settings, now)
    by_company = {}
    store = Store.open(settings.state_dir)
    for d in store.drafts():
        by_company.setdefault(store.thread(d["thread_id"])["company"], []).append(d["kind"])
    assert by_company == {
        "Northwind": ["confirmation"],  # the call is at 15:00 today
        "Contoso": ["missed_call"],  # the 10:00 call never came
        "Fabrikam": ["thank_you"],  # "thanks for your time today!" yesterday
        "Litware": ["follow_up"],  # promised a decision by 17 November
    }
