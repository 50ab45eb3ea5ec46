"""`mailflow poll`: read new mail from every folder and move the threads on.

The plan for one folder:
1. open it read-only and compare its UIDVALIDITY and UIDNEXT with the saved cursor; when
   nothing is new, stop there (no SEARCH, no FETCH);
2. otherwise list the UIDs to read: those above the cursor, or on the first run (and after
   a UIDVALIDITY change) those of the look-back window;
3. per batch: fetch headers and sizes, screen them (`classify.worth_fetching`), fetch the
   bodies worth reading, parse, classify, attach to threads, and commit the batch together
   with the cursor. A run that dies mid-folder resumes after the last committed batch.

Maildir folders go through the same screen and ingest; their cursor is the set of file
keys already read.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from mailflow import threads
from mailflow.errors import MailflowError, ServerError
from mailflow.settings import Account, Settings
from mailflow.store import Cursor, Store, iso

if TYPE_CHECKING:
    from mailflow.classify import Understanding
    from mailflow.messages import Message

log = logging.getLogger(__name__)

# Mail providers whose domain says nothing about the employer.
# Scheduling and applicant-tracking services that send on an employer's behalf.
SENDING_SERVICES = frozenset({
    "greenhouse.io", "lever.co", "ashbyhq.com", "myworkday.com", "workday.com", "goodtime.io",
    "calendly.com", "smartrecruiters.com", "icims.com", "jobvite.com", "google.com",
})


class Progress(Protocol):
    def start(self, total: int, label: str) -> None: ...
    def advance(self, n: int) -> None: ...
    def finish(self) -> None: ...


class _NoProgress:
    def start(self, total: int, label: str) -> None:
        pass

    def advance(self, n: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass
class PollReport:
    """What one poll did, per account; `status` and `run` print from it."""

    account: str
    folders: dict[str, int] = field(default_factory=dict)  # folder -> messages screened
    fetched: int = 0  # bodies downloaded
    tracked: int = 0  # messages attached to threads
    new_threads: int = 0
    problems: int = 0


@dataclass(frozen=True)
class Incoming:
    """One message as a folder scan sees it before the screen."""

    ref: int | str  # IMAP UID or Maildir key
    headers: Message
    gm_thrid: str | None = None


class Ingest:
    """Attach messages of one account to threads; the shared back half of every scan."""

    def __init__(self, store: Store, settings: Settings, account: Account, now: datetime,
                 report: PollReport) -> None:
        self.store = store
        self.settings = settings
        self.account = account
        self.now = now
        self.report = report
        self.me = settings.user.addresses
        self.baseline = store.baseline(account.name, now)
        self.first_run = self.baseline == now

    # Loaded on first use: a poll that finds nothing new never needs them.
    @functools.cached_property
    def known_ids(self) -> set[str]:
        return self.store.known_message_ids(self.account.name)

    @functools.cached_property
    def candidates(self) -> list[threads.Candidate]:
        return self.store.candidates(self.account.name)

    def screen(self, item: Incoming) -> bool:
        """Whether this message's body should be read at all (cheap, headers only)."""
        h = item.headers
        ids = {h.message_id, h.in_reply_to, *h.references}
        known = bool(ids & self.known_ids) or bool(item.gm_thrid and any(
            c.gm_thrid == item.gm_thrid for c in self.candidates))
        if h.sender is not None and h.sender.email in self.me and not known:
            # The user's own mail matters only when it answers something (matched by
            # subject after the full parse); a fresh message of theirs starts nothing.
            wanted = bool(h.in_reply_to or h.references)
        else:
            from mailflow import classify  # only when mail arrives: a no-op run stays fast

            wanted = classify.worth_fetching(h, known_thread=known)
        # Checked last, and only for the few that pass: it is a query per message.
        return wanted and not self.store.has_message(self.account.name, h.message_id)

    def add(self, folder: str, ref: int | str, msg: Message, gm_thrid: str | None,
            *, outgoing_folder: bool, body_skipped: bool = False,
            understanding: Understanding | None = None) -> None:
        """Classify one parsed message and attach it to its thread (inside a transaction).

        `understanding` may come precomputed (see `analyse`); it is the same pure function.
        """
        from mailflow import messages  # needed only when mail arrives

        if msg.defects and msg.defects[0].startswith(("unparseable", "unreadable")):
            self.problem(folder, ref, msg, msg.defects[0])
            return
        if self.store.has_message(self.account.name, msg.message_id):
            return
        outgoing = outgoing_folder or (msg.sender is not None and msg.sender.email in self.me)
        u = understanding or analyse_one(msg, self.me, self.settings.user.timezone)
        if u is None:
            self.problem(folder, ref, msg, TOO_SLOW)
            return
        counterpart, counterpart_name = self.counterpart(msg, outgoing)
        ids = [msg.message_id, *(x for x in (msg.in_reply_to,) if x), *msg.references]
        thread_id = threads.match(
            message_ids=ids,
            gm_thrid=gm_thrid,
            subject_key=messages.normalized_subject(msg.subject),
            counterpart=counterpart,
            at=msg.date,
            candidates=self.candidates,
        )
        if thread_id is None:
            if outgoing or u.kind == "other":
                return  # not part of any conversation mailflow tracks
            thread_id = self.new_thread(msg, u, counterpart, counterpart_name, gm_thrid)
        at = msg.date or self.now
        row = self.store.add_message({
            "account": self.account.name,
            "message_id": msg.message_id,
            "thread_id": thread_id,
            "folder": folder,
            "uid": ref if isinstance(ref, int) else None,
            "direction": "out" if outgoing else "in",
            "sender": str(msg.sender) if msg.sender else None,
            "recipients": json.dumps([a.email for a in (*msg.to, *msg.cc)]),
            "subject": msg.subject,
            "date": iso(at),
            "kind": u.kind.value,
            "facts": json.dumps(u.to_json(), sort_keys=True),
            "refs": json.dumps(ids[1:]),
            "excerpt": _excerpt(msg.text),
            "size": msg.size,
            "body_skipped": int(body_skipped),
            "defects": json.dumps(list(msg.defects)),
            "seen_at": iso(self.now),
        })
        if body_skipped:
            self.problem(folder, ref, msg,
                         f"too large to read ({msg.size / 1e6:.1f} MB): kept by its headers")
        self.report.tracked += 1
        self.known_ids.update(ids)
        event = threads.event_for(
            u.kind, outgoing=outgoing, at=at, start=u.start, end=u.end,
            respond_by=u.respond_by, auto_reply=u.auto_reply, back_on=u.back_on,
            call_held=u.call_held,
        )
        if event is not None:
            self.store.add_event(thread_id, event, row)
        self.refresh(thread_id, u if not outgoing else None, counterpart if not outgoing else None)

    def counterpart(self, msg: Message, outgoing: bool) -> tuple[str | None, str]:
        if outgoing:
            others = [a for a in (*msg.to, *msg.cc) if a.email not in self.me]
            return (others[0].email, others[0].name) if others else (None, "")
        person = msg.reply_to[0] if msg.reply_to else msg.sender
        if person is None:
            return None, ""
        name = person.name or (msg.sender.name if msg.sender else "")
        return person.email, name

    def new_thread(self, msg: Message, u: Understanding, counterpart: str | None,
                   name: str, gm_thrid: str | None) -> int:
        from mailflow import messages

        reply_to = [a.email for a in msg.reply_to]
        company = u.company or company_from(counterpart, msg)
        thread_id = self.store.create_thread(self.account.name, {
            "counterpart_email": counterpart,
            "counterpart_name": name,
            "reply_to": json.dumps(reply_to),
            "company": company,
            "role": u.role,
            "subject": msg.subject,
            "subject_key": messages.normalized_subject(msg.subject),
            "gm_thrid": gm_thrid,
        }, self.now)
        self.candidates.append(threads.Candidate(
            thread_id=thread_id,
            message_ids=frozenset(),
            gm_thrid=gm_thrid,
            subject_key=messages.normalized_subject(msg.subject),
            counterparts=frozenset(filter(None, [counterpart, *reply_to])),
            last_activity=msg.date,
        ))
        self.report.new_threads += 1
        return thread_id

    def refresh(self, thread_id: int, u: Understanding | None, counterpart: str | None) -> None:
        """Recompute the thread from all its events, in the order they happened.

        Folders are read one after the other (INBOX, then Sent), so events arrive out of
        order; replaying them sorted by time makes the state independent of that order.
        """
        value = self.store.replay(thread_id, self.now)
        fields: dict[str, object] = {}
        if u is not None:
            # The latest message that states a fact wins: a reschedule's new zone, a number.
            # The thread keeps the call's number either way: the one to dial, or the user's
            # own that they will call (which the phone check compares with the settings).
            for column, fact in (("interview_zone", u.zone), ("medium", u.medium),
                                 ("phone", u.phone or u.callee_phone)):
                if fact:
                    fields[column] = fact
        fields["history"] = int(self.first_run and is_history(value, self.now))
        self.store.update_thread(thread_id, fields)
        for i, c in enumerate(self.candidates):
            if c.thread_id == thread_id:
                self.candidates[i] = threads.Candidate(
                    c.thread_id, c.message_ids | self.known_ids_for(thread_id), c.gm_thrid,
                    c.subject_key, c.counterparts | ({counterpart} if counterpart else set()),
                    value.updated,
                )

    def known_ids_for(self, thread_id: int) -> frozenset[str]:
        ids: set[str] = set()
        for row in self.store.messages(thread_id):
            ids.add(row["message_id"])
            ids.update(json.loads(row["refs"]))
        return frozenset(ids)

    def problem(self, folder: str, ref: int | str, msg: Message, what: str) -> None:
        self.report.problems += 1
        self.store.record_problem(
            self.account.name, folder, ref if isinstance(ref, int) else None,
            msg.message_id, msg.subject, what, self.now,
        )


# On the first run, a thread in which nothing happened for this long (no message, no
# interview, no promised answer date) is history: the timeline never drafts for it, since
# a tool that answers months-old mail is a known failure. Two weeks covers the advice's
# longest wait (a follow-up 2 business days after the promised date, a second a week later).
HISTORY_AGE = timedelta(days=14)


def is_history(thread: threads.Thread, now: datetime) -> bool:
    moments = [thread.updated, thread.interview_start]
    if thread.respond_by:
        moments.append(datetime.combine(thread.respond_by, datetime.min.time(), now.tzinfo))
    latest = max((m for m in moments if m is not None), default=None)
    return latest is None or now - latest > HISTORY_AGE


def poll_account(
    store: Store, settings: Settings, account: Account, now: datetime,
    progress: Progress | None = None, source_factory: Callable[[Account], object] | None = None,
) -> PollReport:
    """Poll every folder of one account. Raises MailflowError; commits as it goes."""
    report = PollReport(account.name)
    progress = progress or _NoProgress()
    since = None if account.lookback_days is None else (now - timedelta(days=account.lookback_days))
    if account.source == "maildir":
        from mailflow.maildir import MaildirSource

        assert account.maildir is not None
        with MaildirSource(account.maildir) as src:
            ingest = Ingest(store, settings, account, now, report)
            sent = src.sent_folder() if account.read_sent else None
            for folder in _folder_list(account, sent):
                _scan_maildir(src, folder, folder == sent, ingest, since, progress)
        return report

    from mailflow.imap import ImapSource

    factory = source_factory or ImapSource
    with factory(account) as src:  # type: ignore[operator]
        ingest = Ingest(store, settings, account, now, report)
        sent = _sent_folder(store, src, account) if account.read_sent else None
        for folder in _folder_list(account, sent):
            try:
                _scan_imap(src, folder, folder == sent, ingest, since, progress)
            except ServerError:
                if folder != sent:
                    raise
                # The remembered Sent folder is gone (renamed?): look it up again next run.
                store.forget(f"sent_folder:{account.name}")
                log.warning("%s: the Sent folder %r cannot be opened; looking again next run",
                            account.name, folder)
    return report


def _sent_folder(store: Store, src, account: Account) -> str | None:  # type: ignore[no-untyped-def]
    """The Sent folder's name, found by a LIST once and then remembered (one round trip
    less for every scheduled run). If it is renamed, EXAMINE fails and it is found again."""
    if account.sent_folder:
        return account.sent_folder
    key = f"sent_folder:{account.name}"
    name = store.remembered(key)
    if name is None:
        name = src.sent_folder() or ""
        store.remember(key, name)
    return name or None


def _folder_list(account: Account, sent: str | None) -> list[str]:
    folders = list(account.folders)
    if sent and sent not in folders:
        folders.append(sent)
    return folders


def _scan_imap(src, folder: str, is_sent: bool, ingest: Ingest,  # type: ignore[no-untyped-def]
               since: datetime | None, progress: Progress) -> None:
    store, account, now = ingest.store, ingest.account, ingest.now
    state = src.examine(folder)
    cursor = store.cursor(account.name, folder)
    if cursor and cursor.uidvalidity == state.uidvalidity:
        if state.uidnext is not None and state.uidnext - 1 <= cursor.last_uid:
            return  # the common case under cron: nothing new, one EXAMINE and done
        uids = src.uids_above(cursor.last_uid)
        last = cursor.last_uid
    else:
        if cursor:
            log.warning("%s: UIDVALIDITY changed; rescanning the look-back window", folder)
        uids = src.uids_since(since.date() if since else None)
        last = 0
    ingest.report.folders[folder] = len(uids)
    from mailflow import messages  # parsing is needed only when there is mail to read

    progress.start(len(uids), f"Reading {folder}")
    # A long scan classifies in a second process while this one fetches the next batch's
    # headers: the two costs overlap on two cores. Batches are still committed in order,
    # each with its cursor, so a run killed anywhere resumes without a miss.
    pool = _analysis_pool() if len(uids) >= PARALLEL_FROM else None
    pending: tuple[Sequence[int], list[Incoming], dict[int, bytes], object] | None = None

    def commit(batch: Sequence[int], wanted: list[Incoming], bodies: dict[int, bytes],
               analysed: object) -> None:
        nonlocal last
        results = analysed.result() if hasattr(analysed, "result") else analysed  # type: ignore[union-attr]
        with store.transaction():
            for item in wanted:
                if item.ref in results:
                    msg, u = results[item.ref]
                    if u is None:
                        ingest.problem(folder, item.ref, msg, TOO_SLOW)
                    else:
                        ingest.add(folder, item.ref, msg, item.gm_thrid,
                                   outgoing_folder=is_sent, understanding=u)
                elif item.headers.size > account.max_body_bytes:
                    ingest.add(folder, item.ref, item.headers, item.gm_thrid,
                               outgoing_folder=is_sent, body_skipped=True)
            last = max(last, max(batch))
            store.save_cursor(account.name, folder, Cursor(state.uidvalidity, last), now)
        progress.advance(len(batch))

    try:
        for batch in _chunks(uids, account.batch_size):
            try:
                fetched = src.headers(batch)
            except MailflowError:
                if pending is not None:  # the connection broke: keep what was read
                    commit(*pending)
                raise
            items = [Incoming(h.uid, messages.parse_headers(h.raw, h.size), h.gm_thrid)
                     for h in fetched]
            if pending is not None:
                commit(*pending)  # before screening: its threads' ids must be known
                pending = None
            wanted = [i for i in items if ingest.screen(i)]
            small = [i.ref for i in wanted if i.headers.size <= account.max_body_bytes]
            bodies = src.bodies(small)
            ingest.report.fetched += len(bodies)
            work = (list(bodies.items()), ingest.me, ingest.settings.user.timezone)
            analysed = pool.submit(analyse, *work) if pool and bodies else analyse(*work)
            pending = (batch, wanted, bodies, analysed)
        if pending is not None:
            commit(*pending)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    progress.finish()
    # Messages deleted before we read them still leave UIDs below UIDNEXT: move past them,
    # so the next run's fast path ("UIDNEXT - 1 <= last") holds.
    if state.uidnext is not None and state.uidnext - 1 > last or cursor is None:
        with store.transaction():
            last = max(last, (state.uidnext or 1) - 1)
            store.save_cursor(account.name, folder, Cursor(state.uidvalidity, last), now)


def _scan_maildir(src, folder: str, is_sent: bool, ingest: Ingest,  # type: ignore[no-untyped-def]
                  since: datetime | None, progress: Progress) -> None:
    store, account = ingest.store, ingest.account
    seen = store.maildir_seen(account.name, folder)
    keys = [k for k in src.keys(folder) if k not in seen]
    ingest.report.folders[folder] = len(keys)
    if not keys:
        return
    from mailflow import messages  # parsing is needed only when there is mail to read

    progress.start(len(keys), f"Reading {folder}")
    for batch in _chunks(keys, account.batch_size):
        with store.transaction():
            for key in batch:
                raw = src.read(folder, key)
                if raw is None:
                    continue
                item = Incoming(key, messages.parse_headers(raw))
                date = item.headers.date
                if since is not None and date is not None and date < since:
                    continue
                if not ingest.screen(item):
                    continue
                if len(raw) > account.max_body_bytes:
                    ingest.add(folder, key, item.headers, None, outgoing_folder=is_sent,
                               body_skipped=True)
                else:
                    ingest.report.fetched += 1
                    ingest.add(folder, key, messages.parse(raw), None, outgoing_folder=is_sent)
            store.mark_maildir_seen(account.name, folder, list(batch))
        progress.advance(len(batch))
    progress.finish()


# Scans at least this long classify in a worker process (starting one costs ~10 ms with
# fork, more than a short poll saves).
PARALLEL_FROM = 2000


# Reading one message takes ~8 ms. The classifier is regular expressions, and a crafted
# mail that makes one backtrack must not stall every poll: past this budget the message is
# set aside as a problem (`mailflow status --problems` lists it) and the scan goes on.
UNDERSTAND_BUDGET = 5.0
TOO_SLOW = (f"reading it took over {UNDERSTAND_BUDGET:g} s, so it was set aside and mailflow "
            "will not act on it; read it in your mail client")


class _OverBudget(Exception):
    pass


def analyse_one(msg: Message, me: Iterable[str], tz: str) -> Understanding | None:
    """`classify.understand` within UNDERSTAND_BUDGET seconds, None past it.

    The limit is a SIGALRM timer, which the regex engine honours mid-match; it applies in a
    process's main thread when no other timer is running (elsewhere the call is unbounded).
    """
    import signal
    import threading

    from mailflow import classify

    budget = UNDERSTAND_BUDGET
    if (not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()
            or signal.getitimer(signal.ITIMER_REAL)[0]):
        return classify.understand(msg, me=me, tz=tz)

    def expire(signum: int, frame: object) -> None:
        raise _OverBudget

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        # The timer may fire anywhere up to its cancelling, even inside the inner finally:
        # the outer handler catches it wherever it lands.
        try:
            signal.setitimer(signal.ITIMER_REAL, budget)
            return classify.understand(msg, me=me, tz=tz)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _OverBudget:
        log.warning("set aside a message that took over %g s to read: %s", budget,
                    msg.message_id)
        return None
    finally:
        signal.signal(signal.SIGALRM, previous)


def analyse(raws: list[tuple[int, bytes]], me: Iterable[str], tz: str
            ) -> dict[int, tuple[Message, Understanding | None]]:
    """Parse and classify fetched bodies: pure, so it can run in another process."""
    from mailflow import messages

    out = {}
    for ref, raw in raws:
        msg = messages.parse(raw)
        out[ref] = (msg, analyse_one(msg, me, tz))
    return out


def _analysis_pool():  # type: ignore[no-untyped-def]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods() or (os.cpu_count() or 1) < 2:
        return None
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))


def _chunks(items: Sequence, size: int) -> Iterable[Sequence]:  # type: ignore[type-arg]
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _excerpt(text: str, lines: int = 12) -> str:
    """The first lines of the new text, for `show` and the review's context."""
    kept = [line.rstrip() for line in text.strip().splitlines()[:lines]]
    return "\n".join(kept)[:2000]


def company_from(address: str | None, msg: Message) -> str | None:
    """A readable company name from the counterpart's domain, unless it is a mail provider."""
    if not address or "@" not in address:
        return None
    from mailflow.messages import organisation

    domain = address.rsplit("@", 1)[1]
    name = organisation(domain)
    if name is None:
        return None
    sent_for = ".".join(domain.split(".")[-2:]) in SENDING_SERVICES
    if sent_for and msg.sender is not None and msg.sender.name:
        # "Acme Recruiting via Greenhouse" -> "Acme Recruiting"
        return msg.sender.name.split(" via ")[0].strip() or None
    return name.replace("-", " ").title()
