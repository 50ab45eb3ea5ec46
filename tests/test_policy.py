from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailflow.policy import (
    ThreadFacts,
    add_business_days,
    business_moment,
    due_actions,
    due_transitions,
    find_clashes,
    next_step,
    phone_warning,
)
from mailflow.settings import Policy
from mailflow.threads import (
    AutoReplyReceived,
    DraftSent,
    InviteReceived,
    MarkedHeld,
    MarkedIMissed,
    MarkedMissed,
    ReplyReceived,
    RescheduleReceived,
    State,
    Thread,
    Withdrew,
    advance,
)

RULES = Policy()
NY = "America/New_York"
START = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)  # Tue 3:00 PM in New York
INVITED = datetime(2026, 11, 19, 15, 0, tzinfo=UTC)
H = timedelta(hours=1)
M = timedelta(minutes=1)


def thread(*events, now=START + timedelta(days=60)):
    t = Thread()
    for e in events:
        t = advance(t, e, now)
    return t


def actions(t, now, **facts):
    return due_actions([ThreadFacts(1, t, **facts)], now, RULES, user_zone=NY,
                       user_phone=facts.pop("user_phone", None) if "user_phone" in facts else None)


def kinds(t, now, **facts):
    return [a.kind for a in actions(t, now, **facts)]


SCHEDULED = thread(InviteReceived(INVITED, START))


# ---- confirmation ----------------------------------------------------------------------------

def test_confirmation_window():
    assert kinds(SCHEDULED, START - timedelta(days=1, minutes=1)) == []
    (a,) = actions(SCHEDULED, START - timedelta(days=1))
    assert a.kind == "confirmation"
    assert a.not_before == START - 2 * H and a.expires_at == START - 30 * M
    assert kinds(SCHEDULED, START - 31 * M) == ["confirmation"]
    assert kinds(SCHEDULED, START - 30 * M) == []  # stale: never after


def test_no_confirmation_once_sent_or_for_history():
    sent = advance(SCHEDULED, DraftSent(START - 90 * M, "confirmation"), START)
    assert sent.state is State.CONFIRMED
    assert "confirmation" not in kinds(sent, START - 60 * M)
    assert kinds(SCHEDULED, START - H, history=True) == []


def test_a_reschedule_changes_the_occasion():
    moved = advance(SCHEDULED, RescheduleReceived(START - 5 * H, START + timedelta(days=2)), START)
    (old,) = actions(SCHEDULED, START - H)
    (new,) = actions(moved, START + timedelta(days=2) - H)
    assert old.key != new.key and new.not_before == START + timedelta(days=2) - 2 * H


# ---- did the call happen? ----------------------------------------------------------------------

def test_missed_call_note_after_the_grace_period():
    assert kinds(SCHEDULED, START + 14 * M) == []
    (a,) = actions(SCHEDULED, START + 15 * M)
    assert a.kind == "missed_call" and a.not_before == START + 15 * M
    assert a.expires_at == START + 24 * H
    assert kinds(SCHEDULED, START + 24 * H) == []


def test_a_word_from_them_since_the_start_means_no_missed_call_note():
    wrote = advance(SCHEDULED, ReplyReceived(START + 5 * M), START + 20 * M)
    assert kinds(wrote, START + 20 * M) == []


def test_marking_missed_keeps_the_same_draft_and_a_second_miss_asks_them_to_call():
    (first,) = actions(SCHEDULED, START + 20 * M)
    missed = advance(SCHEDULED, MarkedMissed(START + 25 * M), START + 25 * M)
    (same,) = actions(missed, START + 30 * M)
    assert (same.kind, same.key) == (first.kind, first.key)
    later = START + timedelta(days=3)
    again = thread(InviteReceived(INVITED, START), MarkedMissed(START + 25 * M),
                   RescheduleReceived(START + 2 * H, later))
    (a,) = actions(again, later + 20 * M)
    assert a.kind == "missed_call_again"
    twice = advance(again, MarkedMissed(later + 30 * M), later + 30 * M)
    assert [x.kind for x in actions(twice, later + 40 * M)] == ["missed_call_again"]


def test_apology_when_i_missed_it():
    t = advance(SCHEDULED, MarkedIMissed(START + H), START + H)
    (a,) = actions(t, START + H)
    assert a.kind == "apology" and a.not_before == START + H


# ---- thank-you and follow-ups -----------------------------------------------------------------------

HELD = thread(InviteReceived(INVITED, START), MarkedHeld(START + 40 * M))


def test_thank_you_within_24h_of_the_call():
    end = START + RULES.call_duration
    (a,) = [x for x in actions(HELD, START + H) if x.kind == "thank_you"]
    assert a.not_before == START + 40 * M and a.expires_at == end + 24 * H
    assert "thank_you" not in kinds(HELD, end + 24 * H)


def test_follow_ups_two_business_days_after_the_promised_date_then_a_week_later():
    # Promised by Friday 4 December; the first follow-up goes Tuesday 8 December, 9:00 their time.
    t = advance(HELD, ReplyReceived(START + 2 * H, respond_by=date(2026, 12, 4)), START + 3 * H)
    la = "America/Los_Angeles"
    first = [a for a in actions(t, datetime(2026, 12, 8, 18, tzinfo=UTC), zone=la)
             if a.kind.startswith("follow")]
    assert [a.kind for a in first] == ["follow_up"]
    assert first[0].not_before == datetime(2026, 12, 8, 9, 0, tzinfo=ZoneInfo(la))
    sent = advance(t, DraftSent(datetime(2026, 12, 8, 18, tzinfo=UTC), "follow_up"),
                   datetime(2026, 12, 8, 18, tzinfo=UTC))
    (second,) = actions(sent, datetime(2026, 12, 15, 18, tzinfo=UTC), zone=la)
    assert second.kind == "follow_up_final"
    assert second.not_before == datetime(2026, 12, 15, 18, tzinfo=UTC)  # a Tuesday, 10:00 there
    done = advance(sent, DraftSent(datetime(2026, 12, 15, 18, tzinfo=UTC), "follow_up_final"),
                   datetime(2026, 12, 15, 18, tzinfo=UTC))
    facts = [ThreadFacts(1, done)]
    assert due_transitions(facts, datetime(2026, 12, 22, 17, tzinfo=UTC), RULES) == []
    ((tid, event),) = due_transitions(facts, datetime(2026, 12, 22, 18, tzinfo=UTC), RULES)
    assert advance(done, event, datetime(2026, 12, 23, tzinfo=UTC)).state is State.NO_RESPONSE


def test_without_a_promised_date_wait_five_business_days():
    (a,) = [x for x in actions(HELD, datetime(2026, 12, 7, tzinfo=UTC))
            if x.kind == "follow_up"] or [None]
    # held Tuesday 24 Nov -> basis Tuesday 1 Dec -> follow-up Thursday 3 Dec at 9:00 New York
    assert a.not_before == datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo(NY))


def test_a_reply_cancels_pending_follow_ups_and_the_wait_starts_again():
    t = advance(HELD, ReplyReceived(START + 2 * H, respond_by=date(2026, 12, 4)), START + 3 * H)
    (before,) = [a for a in actions(t, datetime(2026, 12, 9, tzinfo=UTC)) if a.kind == "follow_up"]
    t2 = advance(t, ReplyReceived(datetime(2026, 12, 7, 15, tzinfo=UTC)),
                 datetime(2026, 12, 7, 16, tzinfo=UTC))
    after = [a for a in actions(t2, datetime(2026, 12, 9, tzinfo=UTC)) if a.kind == "follow_up"]
    assert after == []  # not due any more on the 9th: the wait restarted from their message
    (later,) = [a for a in actions(t2, datetime(2026, 12, 20, tzinfo=UTC))
                if a.kind == "follow_up"]
    assert later.key != before.key


def test_an_out_of_office_postpones_follow_ups_past_its_return_date():
    t = advance(HELD, ReplyReceived(START + 2 * H, respond_by=date(2026, 12, 4)), START + 3 * H)
    t = advance(t, AutoReplyReceived(datetime(2026, 12, 8, 14, tzinfo=UTC), date(2026, 12, 14)),
                datetime(2026, 12, 8, 15, tzinfo=UTC))
    (a,) = [x for x in actions(t, datetime(2026, 12, 20, tzinfo=UTC)) if x.kind == "follow_up"]
    assert a.not_before == datetime(2026, 12, 15, 9, 0, tzinfo=ZoneInfo(NY))


def test_withdrawal():
    t = advance(SCHEDULED, Withdrew(START - timedelta(days=2)), START - timedelta(days=2))
    assert [a.kind for a in actions(t, START - timedelta(days=2))] == ["withdraw"]


# ---- flags -----------------------------------------------------------------------------------------

def test_clashing_interviews_are_flagged_in_both_confirmations():
    other = thread(InviteReceived(INVITED, START + 15 * M))
    facts = [ThreadFacts(1, SCHEDULED), ThreadFacts(2, other), ThreadFacts(3, thread(
        InviteReceived(INVITED, START + 2 * H)))]
    assert find_clashes(facts, RULES) == {1: [2], 2: [1]}
    acts = due_actions(facts, START - H, RULES, user_zone=NY)
    notes = {a.thread_id: a.notes for a in acts}
    assert notes[1] == ("clashes with the interview in thread 2",)
    assert notes[2] == ("clashes with the interview in thread 1",)
    assert notes[3] == ()


def test_phone_number_checks():
    f = ThreadFacts(1, SCHEDULED, phone="+12125550142", medium="phone")
    assert phone_warning(f, "+1 212-555-0142") is None
    assert "check which number" in phone_warning(f, "+1 646-555-0100")
    none = ThreadFacts(1, SCHEDULED, phone=None, medium="phone")
    assert "names no phone number" in phone_warning(none, "+1 212-555-0142")
    assert phone_warning(ThreadFacts(1, SCHEDULED, medium="video"), "+1 212 555 0100") is None


def test_next_step_reads_well():
    step = next_step(ThreadFacts(1, SCHEDULED), START - timedelta(days=3), RULES, NY)
    assert step.text == "send the confirmation" and step.due == START - 2 * H
    sent = advance(SCHEDULED, DraftSent(START - H, "confirmation"), START - H)
    step = next_step(ThreadFacts(1, sent), START - 50 * M, RULES, NY)
    assert step.text == "the interview" and step.due == START
    assert next_step(ThreadFacts(1, SCHEDULED), START + 5 * M, RULES, NY).text.startswith(
        "wait for the call")
    assert next_step(ThreadFacts(1, SCHEDULED, history=True), START, RULES, NY).text.startswith(
        "none")


# ---- business time ----------------------------------------------------------------------------------

@pytest.mark.parametrize("day, n, expected", [
    (date(2026, 12, 4), 2, date(2026, 12, 8)),  # Fri + 2 = Tue
    (date(2026, 12, 5), 1, date(2026, 12, 7)),  # Sat + 1 = Mon
    (date(2026, 12, 7), 5, date(2026, 12, 14)),
    (date(2026, 12, 7), 0, date(2026, 12, 7)),
])
def test_add_business_days(day, n, expected):
    assert add_business_days(day, n) == expected


def test_business_moment_in_the_recruiters_zone():
    la = ZoneInfo("America/Los_Angeles")
    # Monday 18:00 in New York is 15:00 in LA: inside LA's business hours.
    monday_ny_evening = datetime(2026, 12, 7, 18, 0, tzinfo=ZoneInfo(NY))
    assert business_moment(monday_ny_evening, "America/Los_Angeles", (9, 17)) == monday_ny_evening
    # Friday 17:30 in LA: next Monday 9:00 LA.
    assert business_moment(datetime(2026, 12, 11, 17, 30, tzinfo=la), "America/Los_Angeles",
                           (9, 17)) == datetime(2026, 12, 14, 9, 0, tzinfo=la)
    # Saturday: Monday.  Early Tuesday: Tuesday 9:00.
    assert business_moment(datetime(2026, 12, 12, 12, tzinfo=la), "America/Los_Angeles",
                           (9, 17)) == datetime(2026, 12, 14, 9, 0, tzinfo=la)
    assert business_moment(datetime(2026, 12, 8, 6, tzinfo=la), "America/Los_Angeles",
                           (9, 17)) == datetime(2026, 12, 8, 9, 0, tzinfo=la)


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 1, 1),
                    timezones=st.just(UTC)),
       st.sampled_from(["America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata", NY]))
def test_business_moment_is_never_earlier_and_always_inside_hours(moment, zone):
    result = business_moment(moment, zone, (9, 17))
    local = result.astimezone(ZoneInfo(zone))
    assert result >= moment
    assert local.weekday() < 5 and 9 <= local.hour < 17
    assert result - moment < timedelta(days=4)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-48 * 60, max_value=30 * 24 * 60))
def test_every_action_is_inside_its_window(minutes):
    now = START + timedelta(minutes=minutes)
    for t in (SCHEDULED, HELD, advance(SCHEDULED, MarkedMissed(START + 20 * M), START + 20 * M)):
        for a in due_actions([ThreadFacts(1, t)], now, RULES, user_zone=NY):
            assert a.expires_at is None or a.expires_at > now
            assert a.expires_at is None or a.not_before < a.expires_at


def test_next_moment_is_the_next_change_without_new_mail():
    from mailflow.policy import next_moment

    facts = [ThreadFacts(1, SCHEDULED)]
    # Two days ahead: the confirmation appears the day before the call.
    assert next_moment(facts, START - timedelta(days=2), RULES, user_zone=NY) == (
        START - timedelta(days=1))
    # Inside the confirmation window: the next change is the draft going stale.
    assert next_moment(facts, START - H, RULES, user_zone=NY) == START - 30 * M
    # After it: the grace period's end.
    assert next_moment(facts, START - 20 * M, RULES, user_zone=NY) == START + 15 * M
    assert next_moment([ThreadFacts(1, SCHEDULED, history=True)], START, RULES,
                       user_zone=NY) is None
