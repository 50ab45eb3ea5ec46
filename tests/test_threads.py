from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailflow import threads
from mailflow.classify import Kind
from mailflow.threads import (
    CLOSED,
    DRAFT_TARGETS,
    FINAL,
    AutoReplyReceived,
    CancelReceived,
    Candidate,
    DraftSent,
    FollowUpsExhausted,
    InviteReceived,
    MarkedHeld,
    MarkedIMissed,
    MarkedMissed,
    MarkedOffer,
    MarkedRejected,
    RejectionReceived,
    ReplyReceived,
    RescheduleReceived,
    RespondBySet,
    SentByMe,
    State,
    ThanksAfterCallReceived,
    Thread,
    Withdrew,
    advance,
    match,
    replay,
)

T0 = datetime(2026, 11, 19, 15, 0, tzinfo=UTC)
START = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 24, 17, 0, tzinfo=UTC)


def run(*events, now=NOW):
    t = Thread()
    for e in events:
        t = advance(t, e, now)
    return t


def test_invite_then_reschedule_moves_the_time_and_counts_it():
    t = run(InviteReceived(T0, START))
    assert t.state is State.SCHEDULED and t.rescheduled == 0
    t = advance(t, RescheduleReceived(T0 + timedelta(hours=1), START + timedelta(days=1)), NOW)
    assert t.interview_start == START + timedelta(days=1) and t.rescheduled == 1


def test_the_whole_happy_path():
    t = run(InviteReceived(T0, START),
            DraftSent(START - timedelta(hours=1), "confirmation"),
            MarkedHeld(START + timedelta(minutes=40)),
            DraftSent(START + timedelta(hours=3), "thank_you"),
            ReplyReceived(START + timedelta(days=1), respond_by=date(2026, 12, 1)),
            DraftSent(datetime(2026, 12, 3, 14, tzinfo=UTC), "follow_up"),
            DraftSent(datetime(2026, 12, 10, 14, tzinfo=UTC), "follow_up_final"))
    assert t.state is State.FOLLOWED_UP and t.follow_ups == 2
    assert t.respond_by == date(2026, 12, 1)
    assert {"confirmation", "thank_you", "follow_up", "follow_up_final"} <= t.sent_kinds
    t = advance(t, FollowUpsExhausted(datetime(2026, 12, 17, 14, tzinfo=UTC)), NOW)
    assert t.state is State.NO_RESPONSE
    # ... and any word from them reopens it, with the follow-up count reset.
    t = advance(t, ReplyReceived(datetime(2026, 12, 20, tzinfo=UTC)), NOW)
    assert t.state is State.AWAITING_DECISION and t.follow_ups == 0


def test_a_reply_resets_follow_ups():
    t = run(InviteReceived(T0, START), MarkedHeld(START + timedelta(hours=1)),
            DraftSent(START + timedelta(days=9), "follow_up"))
    assert t.state is State.FOLLOWED_UP and t.follow_ups == 1
    t = advance(t, ReplyReceived(START + timedelta(days=10)), NOW)
    assert t.state is State.AWAITING_DECISION and t.follow_ups == 0


def test_missed_twice_is_a_pattern():
    t = run(InviteReceived(T0, START), MarkedMissed(START + timedelta(minutes=20)))
    assert t.state is State.MISSED_BY_THEM and not t.pattern_of_missed_calls
    later = START + timedelta(days=2)
    t = run(InviteReceived(T0, START), MarkedMissed(START + timedelta(minutes=20)),
            ReplyReceived(START + timedelta(hours=2)),
            RescheduleReceived(START + timedelta(hours=3), later),
            MarkedMissed(later + timedelta(minutes=20)))
    assert t.state is State.MISSED_BY_THEM and t.missed_count == 2 and t.pattern_of_missed_calls


def test_i_missed_it_then_apology_then_new_time():
    t = run(InviteReceived(T0, START), MarkedIMissed(START + timedelta(hours=1)))
    assert t.state is State.MISSED_BY_ME
    t = advance(t, DraftSent(START + timedelta(hours=2), "apology"), NOW)
    assert t.state is State.RESCHEDULING
    t = advance(t, RescheduleReceived(START + timedelta(hours=5), START + timedelta(days=1)), NOW)
    assert t.state is State.SCHEDULED and t.rescheduled == 1


def test_thanks_after_the_call_means_it_was_held():
    t = run(InviteReceived(T0, START),
            ThanksAfterCallReceived(START + timedelta(hours=2), respond_by=date(2026, 12, 4)))
    assert t.state is State.HELD and t.respond_by == date(2026, 12, 4)
    assert t.held_at == START + timedelta(hours=2)


def test_a_new_time_wants_a_new_confirmation():
    t = run(InviteReceived(T0, START), DraftSent(START - timedelta(hours=1), "confirmation"))
    assert t.state is State.CONFIRMED and "confirmation" in t.sent_kinds
    t = advance(t, RescheduleReceived(START, START + timedelta(days=2)), NOW)
    assert t.state is State.SCHEDULED and "confirmation" not in t.sent_kinds


def test_final_states_ignore_stray_mail():
    for final in (MarkedOffer(T0), Withdrew(T0)):
        t = run(InviteReceived(T0, START), final)
        for e in (ReplyReceived(T0), InviteReceived(T0, START), CancelReceived(T0)):
            assert advance(t, e, NOW).state is t.state


def test_auto_reply_is_not_a_reply_but_keeps_the_return_date():
    t = run(InviteReceived(T0, START), MarkedHeld(START + timedelta(hours=1)),
            AutoReplyReceived(START + timedelta(days=3), back_on=date(2026, 12, 7)))
    assert t.state is State.HELD and t.back_on == date(2026, 12, 7)
    assert t.last_in == T0  # an auto-reply does not count as them writing


def test_marks_that_make_no_sense_are_refused():
    with pytest.raises(threads.IllegalTransition, match="MarkedHeld is not possible in state new"):
        advance(Thread(), MarkedHeld(T0), NOW)
    with pytest.raises(threads.IllegalTransition):
        advance(Thread(), FollowUpsExhausted(T0), NOW)


def test_future_dated_mail_counts_as_now():
    assert run(ReplyReceived(NOW + timedelta(days=3))).last_in == NOW


def test_replay_sorts_by_time_and_skips_illegal_events():
    events = [SentByMe(T0 + timedelta(days=1)), InviteReceived(T0, START),
              MarkedHeld(T0 - timedelta(days=5))]  # a mark before the invite: illegal then
    t, skipped = replay(events, NOW)
    assert t.state is State.SCHEDULED and t.last_out == T0 + timedelta(days=1)
    assert len(skipped) == 1 and isinstance(skipped[0].event, MarkedHeld)


@pytest.mark.parametrize("event", [
    InviteReceived(T0, START, START + timedelta(minutes=45)), ReplyReceived(T0, date(2026, 1, 2)),
    DraftSent(T0, "follow_up"), RespondBySet(T0, date(2026, 12, 1)), AutoReplyReceived(T0, None),
])
def test_records_round_trip(event):
    assert threads.from_record(*threads.to_record(event)) == event


@pytest.mark.parametrize("kind, outgoing, start, extra, expected", [
    (Kind.INVITE, False, START, {}, InviteReceived),
    (Kind.INVITE, False, None, {}, ReplyReceived),
    (Kind.RESCHEDULE, False, START, {}, RescheduleReceived),
    (Kind.CANCEL, False, None, {}, CancelReceived),
    (Kind.REJECTION, False, None, {}, RejectionReceived),
    (Kind.REPLY, False, None, {}, ReplyReceived),
    (Kind.REPLY, False, None, {"call_held": True}, ThanksAfterCallReceived),
    (Kind.OTHER, False, None, {"auto_reply": True}, AutoReplyReceived),
    (Kind.OTHER, False, None, {}, type(None)),
    (Kind.OTHER, True, None, {}, SentByMe),
])
def test_event_for(kind, outgoing, start, extra, expected):
    event = threads.event_for(kind, outgoing=outgoing, at=T0, start=start, end=None, **extra)
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


# ---- properties --------------------------------------------------------------------------------

def test_the_table_covers_every_state_for_every_message_event():
    # Mail can arrive in any state: the table must say what each kind does there.
    for event in (InviteReceived, RescheduleReceived, CancelReceived, ReplyReceived,
                  ThanksAfterCallReceived, RejectionReceived, AutoReplyReceived, SentByMe,
                  DraftSent, MarkedRejected):
        for state in State:
            assert (state, event) in threads.TRANSITIONS, (state, event.__name__)


def _successors(state):
    for (source, event), target in threads.TRANSITIONS.items():
        if source is not state:
            continue
        if event is DraftSent:
            yield from DRAFT_TARGETS_FOR(state)
        elif target is not threads.SAME:
            yield target


def DRAFT_TARGETS_FOR(state):  # noqa: N802 - reads like the table it mirrors
    return [targets[state] for targets in DRAFT_TARGETS.values() if state in targets]


def test_every_state_is_reachable_and_only_final_states_are_dead_ends():
    reachable, frontier = {State.NEW}, [State.NEW]
    while frontier:
        for target in _successors(frontier.pop()):
            if target not in reachable:
                reachable.add(target)
                frontier.append(target)
    assert reachable == set(State)
    for state in State:
        exits = set(_successors(state)) - {state}
        assert exits, f"{state} is a dead end"
    assert CLOSED >= FINAL


AT = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 1, 1),
                  timezones=st.just(UTC))
DAY = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 1, 1))
EVENTS = st.one_of(
    st.builds(InviteReceived, AT, AT), st.builds(RescheduleReceived, AT, AT),
    st.builds(CancelReceived, AT), st.builds(ReplyReceived, AT, st.none() | DAY),
    st.builds(ThanksAfterCallReceived, AT, st.none() | DAY), st.builds(RejectionReceived, AT),
    st.builds(AutoReplyReceived, AT, st.none() | DAY), st.builds(SentByMe, AT),
    st.builds(DraftSent, AT, st.sampled_from(sorted(DRAFT_TARGETS))),
    st.builds(MarkedHeld, AT), st.builds(MarkedMissed, AT), st.builds(MarkedIMissed, AT),
    st.builds(RespondBySet, AT, DAY), st.builds(MarkedOffer, AT), st.builds(MarkedRejected, AT),
    st.builds(Withdrew, AT), st.builds(FollowUpsExhausted, AT),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(EVENTS, max_size=40))
def test_random_sequences_keep_the_invariants(events):
    t = Thread()
    for e in events:
        before = t
        try:
            t = advance(t, e, NOW)
        except threads.IllegalTransition:
            assert t is before  # an illegal event changes nothing
            assert (before.state, type(e)) not in threads.TRANSITIONS
            continue
        # time never runs backwards, and never past now
        assert before.updated is None or t.updated >= before.updated
        assert t.updated <= NOW
        # no event is lost: every legal event leaves a trace in the facts
        assert t.updated >= min(e.at, NOW) or t.updated == before.updated
        if isinstance(e, InviteReceived | RescheduleReceived) and before.state not in FINAL:
            assert t.state is State.SCHEDULED and t.interview_start == e.start
        if isinstance(e, MarkedMissed):
            assert t.missed_count == before.missed_count + 1
        if before.state in FINAL and not isinstance(e, MarkedRejected | MarkedOffer | Withdrew
                                                    | InviteReceived | RescheduleReceived):
            assert t.state is before.state or isinstance(e, RejectionReceived)
        assert 0 <= t.follow_ups <= len(events)


@settings(max_examples=200, deadline=None)
@given(st.lists(EVENTS, max_size=25), st.randoms())
def test_replay_does_not_depend_on_the_order_events_were_read(events, rnd):
    numbered = list(enumerate(events))
    rnd.shuffle(numbered)
    # Same-instant events keep their relative order in both (replay's sort is stable).
    a, _ = replay(events, NOW)
    b, _ = replay([e for _i, e in sorted(numbered, key=lambda p: (p[1].at, p[0]))], NOW)
    assert a == b


def test_thanks_before_the_interview_is_an_ordinary_reply():
    t = run(InviteReceived(T0, START), ThanksAfterCallReceived(START - timedelta(days=1)))
    assert t.state is State.SCHEDULED and t.held_at is None
