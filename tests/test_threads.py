from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailflow import threads
from mailflow.classify import Kind
from mailflow.threads import (
    CancelReceived,
    Candidate,
    InviteReceived,
    RejectionReceived,
    ReplyReceived,
    RescheduleReceived,
    SentByMe,
    State,
    Thread,
    advance,
    match,
)

T0 = datetime(2026, 11, 19, 15, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


def test_invite_then_reschedule_moves_the_time_and_counts_it():
    t = advance(Thread(), InviteReceived(T0, T0 + timedelta(days=5)), NOW)
    assert t.state is State.SCHEDULED and t.rescheduled == 0
    t = advance(t, RescheduleReceived(T0 + timedelta(hours=1), T0 + timedelta(days=6)), NOW)
    assert t.interview_start == T0 + timedelta(days=6) and t.rescheduled == 1


def test_a_reply_does_not_unschedule():
    t = advance(Thread(), InviteReceived(T0, T0 + timedelta(days=5)), NOW)
    t = advance(t, ReplyReceived(T0 + timedelta(hours=2)), NOW)
    assert t.state is State.SCHEDULED


def test_cancel_and_rejection():
    t = advance(Thread(), InviteReceived(T0, T0 + timedelta(days=5)), NOW)
    assert advance(t, CancelReceived(T0), NOW).state is State.CANCELLED
    assert advance(t, RejectionReceived(T0), NOW).state is State.REJECTED


def test_my_reply_moves_a_new_thread_on():
    assert advance(Thread(), SentByMe(T0), NOW).state is State.REPLIED
    assert advance(Thread(), SentByMe(T0), NOW).last_out == T0


def test_future_dated_mail_counts_as_now():
    t = advance(Thread(), ReplyReceived(NOW + timedelta(days=3)), NOW)
    assert t.last_in == NOW


def test_unknown_transition_raises_and_leaves_state(monkeypatch):
    monkeypatch.delitem(threads.TRANSITIONS, (State.NEW, ReplyReceived))
    t = Thread()
    with pytest.raises(threads.IllegalTransition):
        advance(t, ReplyReceived(T0), NOW)
    assert t.state is State.NEW


@pytest.mark.parametrize("kind, outgoing, start, expected", [
    (Kind.INVITE, False, T0, InviteReceived),
    (Kind.INVITE, False, None, ReplyReceived),
    (Kind.RESCHEDULE, False, T0, RescheduleReceived),
    (Kind.CANCEL, False, None, CancelReceived),
    (Kind.REJECTION, False, None, RejectionReceived),
    (Kind.REPLY, False, None, ReplyReceived),
    (Kind.OTHER, False, None, type(None)),
    (Kind.OTHER, True, None, SentByMe),
])
def test_event_for(kind, outgoing, start, expected):
    event = threads.event_for(kind, outgoing=outgoing, at=T0, start=start, end=None)
    assert isinstance(event, expected)


def _cand(tid, ids=(), thrid=None, subject="phone screen", who=("priya@n.example",), last=T0):
    return Candidate(tid, frozenset(ids), thrid, subject, frozenset(who), last)


def test_match_prefers_references_then_gmail_then_subject():
    cands = [_cand(1, ids={"<a@x>"}, subject="offer"), _cand(2, thrid="777", subject="x"), _cand(3)]
    kw = dict(subject_key="phone screen", counterpart="priya@n.example", at=T0, candidates=cands)
    assert match(message_ids=["<new@x>", "<a@x>"], gm_thrid=None, **kw) == 1
    assert match(message_ids=["<new@x>"], gm_thrid="777", **kw) == 2
    assert match(message_ids=["<new@x>"], gm_thrid=None, **kw) == 3


def test_same_subject_other_company_or_too_late_is_a_new_thread():
    cands = [_cand(3)]
    assert match(message_ids=["<n@x>"], gm_thrid=None, subject_key="phone screen",
                 counterpart="mark@contoso.example", at=T0, candidates=cands) is None
    assert match(message_ids=["<n@x>"], gm_thrid=None, subject_key="phone screen",
                 counterpart="priya@n.example", at=T0 + timedelta(days=90),
                 candidates=cands) is None


EVENTS = st.one_of(
    st.builds(InviteReceived, st.datetimes(timezones=st.just(UTC)), st.datetimes(timezones=st.just(UTC))),
    st.builds(RescheduleReceived, st.datetimes(timezones=st.just(UTC)), st.datetimes(timezones=st.just(UTC))),
    st.builds(CancelReceived, st.datetimes(timezones=st.just(UTC))),
    st.builds(ReplyReceived, st.datetimes(timezones=st.just(UTC))),
    st.builds(RejectionReceived, st.datetimes(timezones=st.just(UTC))),
    st.builds(SentByMe, st.datetimes(timezones=st.just(UTC))),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(EVENTS, max_size=30))
def test_any_sequence_is_accepted_and_time_never_runs_backwards(events):
    t = Thread()
    for e in events:
        before = t
        t = advance(t, e, NOW)
        assert before.updated is None or t.updated >= before.updated
        assert t.updated <= NOW
        if isinstance(e, InviteReceived | RescheduleReceived):
            assert t.state is State.SCHEDULED and t.interview_start == e.start


def test_every_state_is_reachable_and_none_is_a_dead_end():
    reachable = {State.NEW}
    frontier = [State.NEW]
    while frontier:
        state = frontier.pop()
        for (source, _event), target in threads.TRANSITIONS.items():
            if source in (state, None) and target not in reachable:
                reachable.add(target)
                frontier.append(target)
    assert reachable == set(State)
    for state in State:
        exits = {t for (s, _e), t in threads.TRANSITIONS.items() if s in (state, None)}
        assert exits - {state} or state in threads.CLOSED, state
