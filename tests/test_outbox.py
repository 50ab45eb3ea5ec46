from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from mailflow import outbox
from mailflow.outbox import DraftView, approval_refusal, approve, send_refusal
from mailflow.settings import Policy

RULES = Policy()
NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # Tue 12:00 in New York
M = timedelta(minutes=1)
PRIYA = "priya.shah@northwind.example"

DRAFT = DraftView(
    id=1, thread_id=1, kind="confirmation", state="pending", subject="Re: Phone screen",
    body="Hi Priya,\nConfirming our call today at 3:00 PM.\n", in_reply_to="<a@n>",
    references=("<a@n>",), not_before=NOW + 60 * M, expires_at=NOW + 150 * M,
    created_at=NOW - 60 * M,
)


def check(d=DRAFT, to=PRIYA, **kw):
    args = dict(participants=[PRIYA], typed_in_full=False, flagged=False, now=NOW, rules=RULES)
    args.update(kw)
    return approval_refusal(d, to=to, **args)


def test_a_calm_complete_draft_can_be_approved():
    assert check() is None


@pytest.mark.parametrize("change, name", [
    (dict(state="sent"), "not-pending"),
    (dict(expires_at=NOW), "expired"),
    (dict(body="Thanks for [[what you enjoyed]].\n"), "placeholder"),
])
def test_approval_refusals(change, name):
    assert check(replace(DRAFT, **change)).name == name


def test_heated_drafts_cool_off_after_their_last_edit():
    edited = replace(DRAFT, edited_at=NOW - 10 * M)
    refusal = check(edited, flagged=True, zone="America/New_York")
    assert refusal.name == "cool-off" and "12:20" in refusal.message
    assert check(edited, flagged=True, now=NOW + 20 * M) is None


def test_recipient_is_bound_last_and_outsiders_must_be_typed_in_full():
    assert check(to="someone@else.example").name == "outsider"
    assert check(to="someone@else.example", typed_in_full=True) is None
    assert check(to="a@b.example, c@d.example").name == "bad-recipient"
    assert check(to="x@y.example\r\nBcc: z@w").name == "bad-recipient"


def test_approval_binds_what_was_seen():
    seen = outbox.fingerprint(DRAFT, PRIYA)
    assert check(seen_fingerprint=seen) is None
    changed = replace(DRAFT, body=DRAFT.body + "PS\n")
    assert check(changed, seen_fingerprint=seen).name == "fingerprint"
    assert check(seen_fingerprint=outbox.fingerprint(DRAFT, "other@x.example")).name == "fingerprint"


def approved(d=DRAFT, at=NOW):
    a = approve(d, PRIYA, at, RULES, domain="example.com")
    return replace(d, state="approved", recipient=a.recipient, approved_at=a.approved_at,
                   approved_fingerprint=a.fingerprint, message_id=a.message_id,
                   send_after=a.send_after)


def sendable(d, **kw):
    args = dict(now=NOW + 70 * M, rules=RULES, recruiter_wrote_at=None,
                recruiter_zone="America/New_York", sent_this_run=0, sent_to_thread_today=0)
    args.update(kw)
    return send_refusal(d, **args)


def test_approval_waits_for_the_undo_window_and_the_drafts_time():
    a = approve(DRAFT, PRIYA, NOW, RULES, domain="example.com")
    assert a.send_after == DRAFT.not_before  # later than now + 2 min
    late = approve(DRAFT, PRIYA, NOW + 59 * M, RULES, domain="example.com")
    assert late.send_after == NOW + 61 * M
    assert a.message_id.endswith("@example.com>")
    assert approve(DRAFT, PRIYA, NOW, RULES, "example.com").message_id != a.message_id


def test_only_an_approved_unchanged_fresh_draft_may_leave():
    d = approved()
    assert sendable(d) is None
    assert sendable(DRAFT).name == "not-approved"
    assert sendable(replace(d, body="changed\n")).name == "edited"
    assert sendable(replace(d, recipient="other@x.example")).name == "edited"
    assert sendable(d, now=NOW + 150 * M).name == "expired"
    assert sendable(d, now=NOW + 30 * M).name == "undo-window"
    assert sendable(d, recruiter_wrote_at=NOW + 5 * M).name == "they-wrote"
    assert sendable(d, recruiter_wrote_at=NOW - 5 * M) is None  # before approval: known
    assert sendable(d, sent_this_run=5).name == "run-limit"
    assert sendable(d, sent_to_thread_today=2).name == "thread-limit"
    assert sendable(replace(d, next_attempt_at=NOW + 80 * M)).name == "backoff"


def test_follow_ups_leave_only_in_their_business_hours():
    d = approved(replace(DRAFT, kind="follow_up", not_before=NOW, expires_at=NOW + timedelta(days=7)))
    saturday = datetime(2026, 11, 28, 17, tzinfo=UTC)
    assert sendable(d, now=saturday).name == "after-hours"
    # 12:00 in New York is 9:00 in Los Angeles: inside; 10:00 NY is 7:00 LA: outside.
    assert sendable(d, now=NOW + 10 * M, recruiter_zone="America/Los_Angeles") is None
    assert sendable(d, now=NOW - 110 * M + timedelta(days=1),
                    recruiter_zone="America/Los_Angeles").name == "after-hours"


def test_backoff_grows_and_is_capped():
    assert [outbox.backoff(n) for n in (1, 2, 3)] == [5 * M, 10 * M, 20 * M]
    assert outbox.backoff(20) == timedelta(hours=4)


def test_cancel_only_an_approved_draft():
    assert outbox.cancel_refusal(approved(), NOW) is None
    assert outbox.cancel_refusal(DRAFT, NOW).name == "not-approved"
