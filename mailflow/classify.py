"""Message -> what it means for the job search: its kind and the facts it states.

This is the seam the poller calls (`understand`), plus a cheap header-only screen
(`worth_fetching`) that decides which bodies are worth downloading. Pure: the user's zone
and addresses are passed in, no clock, no I/O.

This first version is deliberately simple (keyword cues on subject and body); the
extraction work replaces its insides without changing its signature.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from mailflow.messages import Message


class Kind(enum.StrEnum):
    INVITE = "invite"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"
    REPLY = "reply"
    REJECTION = "rejection"
    OTHER = "other"


@dataclass(frozen=True)
class Understanding:
    kind: Kind
    start: datetime | None = None
    end: datetime | None = None
    zone: str | None = None  # the IANA zone the time was written in, when known
    medium: str | None = None  # phone | video | onsite
    phone: str | None = None  # E.164
    respond_by: date | None = None
    auto_reply: bool = False
    back_on: date | None = None
    evidence: str | None = None  # the words the time was read from, shown at review
    cues: tuple[str, ...] = field(default=())  # why this kind, for `inspect`

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "zone": self.zone,
            "medium": self.medium,
            "phone": self.phone,
            "respond_by": self.respond_by.isoformat() if self.respond_by else None,
            "auto_reply": self.auto_reply,
            "back_on": self.back_on.isoformat() if self.back_on else None,
            "evidence": self.evidence,
            "cues": list(self.cues),
        }


# A generous screen: a false "yes" costs one body download, a false "no" loses an invite.
_SCREEN_RE = re.compile(
    r"interview|phone|call|screen|schedul|recruit|hiring|candida|position|role|opportunit|"
    r"application|availability|meeting|invitation|next steps|offer|follow|update|"
    r"vorstellungs|gespräch|entretien|entrevista|einladung|appel|llamada",
    re.IGNORECASE,
)


def worth_fetching(headers: Message, *, known_thread: bool) -> bool:
    """Whether the body of a message seen only by its headers should be downloaded."""
    if known_thread:
        return True
    if "text/calendar" in headers.headers.get("content-type", "").lower():
        return True
    return bool(_SCREEN_RE.search(headers.subject))


_REJECT_RE = re.compile(
    r"decided to (?:move|proceed) forward with other candidates|not (?:be )?moving forward with "
    r"your application|will not be (?:moving|proceeding)|unfortunately,? we|regret to inform",
    re.IGNORECASE,
)
_CANCEL_RE = re.compile(r"\bcancel(?:l?ed|l?ing)?\b.{0,40}\binterview|interview.{0,40}\bcancel",
                        re.IGNORECASE | re.DOTALL)
_RESCHEDULE_RE = re.compile(r"\breschedul|\bmove (?:our|the) (?:call|interview)", re.IGNORECASE)
_INVITE_RE = re.compile(
    r"\binterview\b.{0,80}\b(?:on|at|for)\b|\bphone screen\b|\bcall (?:on|at)\b",
    re.IGNORECASE | re.DOTALL,
)
_JOB_RE = re.compile(
    r"\b(?:interview|recruit\w*|position|role|application|candidate|hiring)\b", re.IGNORECASE
)


def understand(
    message: Message, *, me: Iterable[str] = (), tz: str = "UTC", region: str | None = None
) -> Understanding:
    """Decide the kind of one message and pull out the facts it states."""
    own = {a.lower() for a in me}
    if message.sender is not None and message.sender.email in own:
        return Understanding(Kind.OTHER, cues=("sent by you",))
    auto = _is_auto_reply(message)
    if auto:
        return Understanding(Kind.OTHER, auto_reply=True, cues=("automatic reply",))
    text = f"{message.subject}\n{_new_text(message.text)}"
    if _REJECT_RE.search(text):
        return Understanding(Kind.REJECTION, cues=("rejection wording",))
    if _CANCEL_RE.search(text):
        return Understanding(Kind.CANCEL, cues=("cancellation wording",))
    if message.calendars or _INVITE_RE.search(text):
        kind = Kind.RESCHEDULE if _RESCHEDULE_RE.search(text) else Kind.INVITE
        return Understanding(kind, cues=("interview time wording",))
    if _JOB_RE.search(text):
        return Understanding(Kind.REPLY, cues=("job-search wording",))
    return Understanding(Kind.OTHER, cues=("no job-search cue",))


def _is_auto_reply(message: Message) -> bool:
    h = message.headers
    auto_submitted = h.get("auto-submitted", "no").strip().lower()
    return auto_submitted not in ("", "no") or "x-autoreply" in h or "x-autorespond" in h


def _new_text(text: str) -> str:
    """The part of a reply above the quoted history."""
    lines = []
    for line in text.splitlines():
        if line.startswith(">") or re.match(r"^On .{5,80} wrote:$", line.strip()):
            break
        lines.append(line)
    return "\n".join(lines)
