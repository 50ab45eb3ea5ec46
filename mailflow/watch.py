"""`mailflow watch`: stay connected, react to new mail within seconds and to time passing.

One cycle is exactly `mailflow run` (poll, plan, send, mirror). Between cycles the watcher
waits for whichever comes first:
- new mail: IMAP IDLE on the first folder of each IMAP account (re-issued at most every
  29 minutes, as RFC 2177 asks, since servers drop idle clients after 30);
- the next timed change the policy knows of (a confirmation window opening, a grace period
  ending), so a missed-call note appears on time even when no mail arrives;
- `interval`, as a backstop (and the only wake-up for a Maildir account).
A server that goes away is reconnected with backoff and a log line; the cycle after the
reconnect reads whatever arrived meanwhile from the cursors, so nothing is lost or read
twice. SIGINT and SIGTERM stop the watcher between steps.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from mailflow import policy, service
from mailflow.errors import MailflowError, RunInProgress, SettingsError
from mailflow.settings import Account, Settings
from mailflow.store import instant

log = logging.getLogger(__name__)

IDLE_RENEW = timedelta(minutes=29)
MAX_BACKOFF = 300.0


class Stop(BaseException):
    """SIGINT/SIGTERM: leave the loop at the next safe point."""


class Clock:
    """Real time, or a simulated start (--now) that then advances with real time."""

    def __init__(self, start: datetime | None) -> None:
        self.offset = (start - datetime.now(start.tzinfo)) if start else timedelta(0)

    def now(self) -> datetime:
        from datetime import UTC

        return datetime.now(UTC) + self.offset


class Idler:
    """An IDLE connection on one IMAP folder; reconnects lazily with backoff."""

    def __init__(self, account: Account) -> None:
        self.account = account
        self.source = None
        self.failures = 0
        self.retry_at = 0.0

    def wait(self, seconds: float) -> bool:
        """Block up to `seconds`; True if the server reported a change."""
        if time.monotonic() < self.retry_at:
            time.sleep(max(0.0, min(seconds, self.retry_at - time.monotonic())))
            return False
        try:
            if self.source is None:
                from mailflow.imap import ImapSource

                self.source = ImapSource(self.account)
                self.source.examine(self.account.folders[0])
                if self.failures:
                    log.warning("%s: reconnected", self.account.name)
                    self.failures = 0
                    return True  # catch up at once on what arrived while we were away
            return self._idle(min(seconds, IDLE_RENEW.total_seconds()))
        except (MailflowError, OSError) as exc:
            self.close()
            self.failures += 1
            delay = min(2.0 ** self.failures, MAX_BACKOFF)
            self.retry_at = time.monotonic() + delay
            log.warning("%s: connection lost (%s); retrying in %.0f s", self.account.name,
                        exc, delay)
            return True  # let the next cycle record the failure and poll when it can

    def _idle(self, seconds: float) -> bool:
        import imaplib

        from mailflow.imap import translated

        assert self.source is not None
        client = self.source.client
        with translated(self.account, "waiting for new mail"):
            client.idle()
            try:
                responses = client.idle_check(timeout=max(seconds, 0.1))
            finally:
                with contextlib.suppress(imaplib.IMAP4.error, OSError):
                    client.idle_done()
        return any(isinstance(r, tuple) and len(r) > 1 and r[1] in (b"EXISTS", b"RECENT")
                   for r in responses)

    def close(self) -> None:
        if self.source is not None:
            with contextlib.suppress(Exception):
                self.source.close()
            self.source = None


def watch(settings: Settings, clock: Clock, interval: float,
          on_report: Callable[[service.RunReport], None], max_cycles: int | None = None) -> None:
    """Run cycles until stopped. `max_cycles` bounds it for tests."""
    def stop(signum: int, _frame: object) -> None:
        raise Stop(signal.Signals(signum).name)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    idlers = [Idler(a) for a in settings.accounts if a.source == "imap"]
    cycles = 0
    try:
        while max_cycles is None or cycles < max_cycles:
            cycles += 1
            try:
                on_report(service.run_once(settings, clock.now()))
            except (SettingsError, Stop):
                raise
            except RunInProgress:
                log.info("another run holds the lock; waiting")
            except MailflowError as exc:
                log.warning("run failed: %s", exc)
            wake = _seconds_until_next(settings, clock, interval)
            log.info("next cycle in at most %.0f s", wake)
            _wait(idlers, wake)
    except Stop as reason:
        log.info("stopped by %s", reason)
    finally:
        for idler in idlers:
            idler.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _seconds_until_next(settings: Settings, clock: Clock, interval: float) -> float:
    now = clock.now()
    with service.reading(settings) as store:
        moment = policy.next_moment(service.thread_facts(store), now, settings.policy,
                                    user_zone=settings.user.timezone)
        due = [instant(r["send_after"]) for r in store.drafts(("approved",))]
    moments = [m for m in (moment, *due) if m is not None and m > now]
    if not moments:
        return interval
    return max(0.5, min(interval, (min(moments) - now).total_seconds() + 0.5))


def _wait(idlers: list[Idler], seconds: float) -> None:
    if not idlers:
        time.sleep(seconds)
        return
    # With several accounts, take turns in short slices so each can wake the watcher.
    deadline = time.monotonic() + seconds
    slice_ = seconds if len(idlers) == 1 else min(seconds, 10.0)
    while time.monotonic() < deadline:
        for idler in idlers:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            if idler.wait(min(slice_, left)):
                return
