"""Render the messages the advice says to send, as replies in the thread, for review.

Pure: the planner hands over a `DraftContext` (everything the text may say, and the moment
of rendering) and gets back a `Draft` (subject, body, threading headers). Nothing here
reads the clock, the network or the store; the only files read are the templates.

Templates are Jinja2 files named `<kind>.txt.j2`, looked up first in the user's directories
(e.g. ~/.config/mailflow/templates) and then in the bundled `templates/`. A template is
plain text: its first line is `Subject: ...`, then a blank line, then the body. The code,
not the template, does the fiddly parts (the "Re:" prefix, time zones, relative day words,
greetings, phone formatting), so a template stays readable by the person who edits it.

Variables a template can use (the bundled ones show each in use):

    greeting            "Hi Priya," or "Hello," when no usable name is known
    first_name          "Priya", or "" when unknown
    recruiter_name, recruiter_email, company, role, interviewer (None when unknown)
    other_interviewer   True when the interviewer is someone other than the recruiter
    position            "the Data Engineer role at Northwind" / "the opportunity at Northwind"
    reply_subject       the thread's subject with exactly one "Re: "
    subject             the thread's subject as it came (sanitized)
    call_word           "call", "video call" or "meeting" (from medium)
    medium              "phone", "video", "onsite" or None
    has_time            True when the interview time is known; then also:
      when_user         "3:00 PM EST"            (the user's zone, DST-correct)
      when_recruiter    "12:00 PM PST"           (the recruiter's zone, or the user's)
      day_user, day_recruiter   "Tuesday, November 24"
      both_zones        "3:00 PM EST (12:00 PM PST for you)"; one time when they agree
      call_day          "today" / "tomorrow" / "yesterday" / "Tuesday, November 24"
      call_when         "today at 3:00 PM EST (12:00 PM PST for you)"
      on_call_when      as call_when, with "on" before a named day
      on_call_day       "today" / "yesterday" / "on Tuesday, November 24"
      is_today, is_tomorrow     the call is today / tomorrow for both readers
    available_for_words "30 minutes"
    available_until     "3:45 PM EST (12:45 PM PST for you)"
    coming_days         "later this week" (Mon-Thu) or "early next week" (Fri-Sun)
    respond_by          "Friday, November 27" or None
    phone               the number the thread names for the call, formatted, or ""
    user_phone          the user's own number, formatted, or ""
    my_phone            the number to reach the user on (user_phone, else phone), or ""
    callback_phone      my_phone, or the placeholder [[your phone number]]
    user_calls          True when the user was the one to place the call
    slots               the times the user offers, as given
    rescheduled, missed_count, user_name, user_email
    signature           the user's signature, or their name when it is empty

Filters: `time_user`, `time_recruiter`, `both_zones`, `day` (datetimes), `long_date` (dates),
`phone` (an E.164 string).

Text in `[[double brackets]]` is a placeholder for the user to fill in; `PLACEHOLDER_RE`
finds them so the review step can refuse to approve a draft that still has one.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mailflow.errors import UsageError

if TYPE_CHECKING:  # jinja2 is imported lazily in render: a cron run that drafts nothing
    import jinja2  # should not pay for it.

KINDS = (
    "confirmation",
    "missed_call",
    "missed_call_again",
    "apology",
    "thank_you",
    "follow_up",
    "follow_up_final",
    "withdraw",
)

# Kinds whose text is meaningless without the interview's time ("confirming our call at").
_NEEDS_TIME = frozenset({"confirmation", "missed_call", "missed_call_again"})
# Kinds whose bundled text speaks relative to the moment of rendering ("today", "for
# another 30 minutes"): the draft carries the moment that wording stops being true.
_RELATIVE_KINDS = frozenset(
    {"confirmation", "missed_call", "missed_call_again", "apology", "thank_you"}
)
_MISSED_KINDS = frozenset({"missed_call", "missed_call_again"})

# `[[...]]` marks text the user must write (or delete) before the draft can be approved.
# Single brackets stay free for ordinary prose; a marker never spans lines.
PLACEHOLDER_RE = re.compile(r"\[\[[^\[\]\n]*\]\]")
PHONE_PLACEHOLDER = "[[your phone number]]"

BUNDLED_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_SUFFIX = ".txt.j2"

HEADER_MAX = 255  # a subject or display name longer than this is noise or an attack
_REFERENCES_MAX = 20  # RFC 5322 3.6.4 lets a long chain be trimmed; keep first + latest
_FINGERPRINT_VERSION = "mailflow-draft/1"


# --- the contract with the planner --------------------------------------------------------


@dataclass(frozen=True)
class DraftContext:
    kind: str
    now: datetime  # aware; the moment of rendering
    recruiter_name: str | None  # display name from mail (may be None/empty)
    recruiter_email: str
    company: str | None
    role: str | None
    interviewer: str | None
    subject: str  # the thread's latest subject
    in_reply_to: str | None  # Message-ID of the latest message in the thread
    references: tuple[str, ...]  # References chain to carry, oldest first
    interview_start: datetime | None  # aware (UTC)
    interview_end: datetime | None
    recruiter_zone: str | None  # IANA zone the recruiter wrote the time in (None = unknown)
    user_zone: str  # IANA
    medium: str | None  # phone | video | onsite
    phone: str | None  # E.164 number the thread names for the call
    user_name: str
    user_email: str
    user_phone: str | None
    signature: str  # may be "" (then sign with user_name)
    rescheduled: bool = False
    available_for: timedelta = timedelta(minutes=30)
    respond_by: date | None = None
    missed_count: int = 0
    slots: tuple[str, ...] = ()  # times the user offers for a new call, as the user wrote them
    notes: tuple[str, ...] = ()  # the planner's review notes, passed through to Draft.notes
    user_calls: bool = False  # the user was to place the call (changes the missed-call text)

    def __post_init__(self) -> None:
        # Fail where the planner built the context, not halfway through a template.
        if self.kind not in KINDS:
            raise ValueError(f"unknown draft kind {self.kind!r}; expected one of {KINDS}")
        for name in ("now", "interview_start", "interview_end"):
            value = getattr(self, name)
            if value is not None and value.utcoffset() is None:
                raise ValueError(f"DraftContext.{name} must be timezone-aware, got {value!r}")
        for name in ("user_zone", "recruiter_zone"):
            value = getattr(self, name)
            if value is not None:
                _zone(value, name)
        if self.available_for < timedelta(0):
            raise ValueError("DraftContext.available_for must not be negative")


@dataclass(frozen=True)
class Draft:
    kind: str
    subject: str  # "Re: <subject>", exactly one "Re:"
    body: str  # plain text, \n line endings, ends with one \n
    in_reply_to: str | None
    references: tuple[str, ...]  # references + in_reply_to, deduplicated, order kept
    notes: tuple[str, ...]
    # The moment the text's relative wording ("today", "for another 30 minutes") stops
    # being true: the planner should expire or re-render the draft by then. None = never.
    stale_at: datetime | None = None
    template: str = ""  # the file the draft was rendered from (a user override shows here)

    def __post_init__(self) -> None:
        # Whoever built this Draft (render, or the store loading one back), nothing that
        # becomes a header may carry a line break or another control character.
        for name, value in (("subject", self.subject), ("in_reply_to", self.in_reply_to),
                            *((f"references[{i}]", r) for i, r in enumerate(self.references))):
            if value is not None and _has_control(value):
                raise ValueError(f"Draft.{name} contains a control character: {value!r}")

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The `[[...]]` markers still in the subject or body: unfinished until empty."""
        return tuple(PLACEHOLDER_RE.findall(self.subject + "\n" + self.body))

    def fingerprint(self, to: str) -> str:
        """What the user approves: recipient, subject, body and threading, hashed.

        JSON of a fixed-shape list is the canonical encoding: strings are quoted and
        escaped, None differs from "", and no two different drafts can encode alike
        (plain concatenation would let "a|b" + "c" equal "a" + "b|c").
        """
        payload = [
            _FINGERPRINT_VERSION,
            to,
            self.subject,
            self.body,
            self.in_reply_to,
            list(self.references),
        ]
        encoded = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


# --- headers ------------------------------------------------------------------------------

# Bidirectional overrides and invisible marks can make a subject read differently from what
# it says; zero-width (non-)joiners are kept because some scripts need them.
_KEEP_FORMAT_CHARS = frozenset({"\u200c", "\u200d"})


def _has_control(value: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") for ch in value)


def sanitize_header(value: str, max_length: int = HEADER_MAX) -> str:
    """A header value that cannot break out of its header line.

    Every line break and control character (CR, LF, NUL, the Unicode line and paragraph
    separators ...) becomes a space, invisible format characters are dropped, whitespace
    runs fold to one space, the ends are trimmed, and an over-long value is cut at a word
    boundary with an ellipsis. "Priya\\r\\nBcc: x@y" comes out as "Priya Bcc: x@y": text,
    never a second header.
    """
    out: list[str] = []
    for ch in value:
        category = unicodedata.category(ch)
        if category in ("Cc", "Zl", "Zp") or ch.isspace():
            out.append(" ")
        elif category == "Cs" or (category == "Cf" and ch not in _KEEP_FORMAT_CHARS):
            continue  # lone surrogates cannot be encoded; format chars are invisible tricks
        else:
            out.append(ch)
    folded = " ".join("".join(out).split())
    if len(folded) <= max_length:
        return folded
    cut = folded[: max_length - 1]
    if " " in cut[max_length // 2 :]:  # prefer a word boundary if one is not too far back
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip() + "\u2026"


_MSGID_JUNK = re.compile(r"[\s<>]")


def _clean_msgid(value: str | None) -> str | None:
    """A Message-ID safe for In-Reply-To/References: `<...>`, no whitespace, no controls."""
    if value is None:
        return None
    inner = _MSGID_JUNK.sub("", "".join(ch for ch in value if not _has_control(ch)))
    return f"<{inner}>" if inner else None


def _thread_references(references: Sequence[str], in_reply_to: str | None) -> tuple[str, ...]:
    seen: set[str] = set()
    chain: list[str] = []
    for raw in (*references, in_reply_to):
        msgid = _clean_msgid(raw)
        if msgid is not None and msgid not in seen:
            seen.add(msgid)
            chain.append(msgid)
    if len(chain) > _REFERENCES_MAX:
        # Keep the root (threading by the first id) and the most recent ones.
        chain = chain[:1] + chain[-(_REFERENCES_MAX - 1) :]
    return tuple(chain)


# "Re:", "RE:", "Re[2]:", "Re(3):", "AW:" (de), "SV:" (nordic), "Antw:" (nl), repeated.
_REPLY_PREFIX = re.compile(r"^(?:\s*(?:re|aw|sv|antw)\s*(?:\[\d+\]|\(\d+\))?\s*[:\uff1a]\s*)+",
                           re.IGNORECASE)


def reply_subject(subject: str | None, fallback: str = "Our conversation") -> str:
    """`Re: <subject>` with any reply prefixes the thread already piled up removed."""
    core = _REPLY_PREFIX.sub("", sanitize_header(subject or "")).strip()
    return sanitize_header(f"Re: {core or fallback}")


# --- names, times, numbers ----------------------------------------------------------------

# A display name that is a team or a robot gets "Hello," rather than "Hi Recruiting,".
_NOT_A_PERSON = re.compile(
    r"\b(?:team|recruit\w*|talent|careers?|hiring|hr|jobs?|no-?reply|do-?not-?reply|"
    r"notifications?|support|info|admin|people|staffing|acquisition|mailer|daemon|"
    r"workday|greenhouse|lever)\b",
    re.IGNORECASE,
)
_HONORIFICS = frozenset({"mr", "mrs", "ms", "mx", "dr", "prof", "sir", "madam"})


def first_name(name: str | None) -> str:
    """The name to greet someone by, or "" when the display name does not give one."""
    clean = sanitize_header(name or "").strip("\"' ")
    # "Priya Shah (Northwind)" / "Priya Shah via Greenhouse": the person comes first.
    clean = re.split(r"\s+via\s+|\s*[(\[|/]", clean, maxsplit=1)[0].strip("\"' ")
    if not clean or "@" in clean or _NOT_A_PERSON.search(clean):
        return ""
    if "," in clean:  # "Shah, Priya" is the directory form of "Priya Shah"
        last, _, rest = clean.partition(",")
        clean = f"{rest.strip()} {last.strip()}".strip()
    words = clean.split()
    if not words:
        return ""
    if words[0].rstrip(".").lower() in _HONORIFICS and len(words) > 1:
        greeting_name = f"{words[0]} {words[-1]}"
    elif re.fullmatch(r"\w\.?", words[0]) and len(words) > 1:
        greeting_name = " ".join(words)  # "J. Smith": an initial alone reads as a typo
    else:
        greeting_name = words[0]
    if greeting_name.isupper() or greeting_name.islower():
        greeting_name = greeting_name.title()  # "PRIYA" / "priya" from a careless header
    return greeting_name


def _zone(name: str, field_name: str = "zone") -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"DraftContext.{field_name}: unknown time zone {name!r}") from exc


def _zone_label(moment: datetime) -> str:
    """The abbreviation the zone uses at that instant (EST/EDT), or a UTC offset.

    tzdata has no letters for many zones and writes "+04"; "UTC+4" is what people read.
    """
    name = moment.tzname() or ""
    if name and name[0] not in "+-":
        return name
    return _offset_label(moment)


def _offset_label(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    hours, mins = divmod(minutes, 60)
    return f"UTC{sign}{hours}" + (f":{mins:02d}" if mins else "")


def _clock(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def long_date(day: date, today: date | None = None) -> str:
    """"Tuesday, November 24", with the year only when it is not the current one."""
    text = f"{day:%A}, {day:%B} {day.day}"
    if today is not None and day.year != today.year:
        text += f", {day.year}"
    return text


def _duration_words(span: timedelta) -> str:
    minutes = max(0, round(span.total_seconds() / 60))
    hours, mins = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours != 1 else ""))
    if mins or not hours:
        parts.append(f"{mins} minute" + ("s" if mins != 1 else ""))
    return " ".join(parts)


def format_phone(number: str | None) -> str:
    """An E.164 number as people write it ("+1 415-555-0132"); "" for none.

    phonenumbers is imported here, not at module level: its metadata is slow to load.
    A number it cannot parse is shown as given rather than dropped.
    """
    if not number or not number.strip():
        return ""
    raw = sanitize_header(number, max_length=40)
    try:
        import phonenumbers

        parsed = phonenumbers.parse(raw, None)
        if phonenumbers.is_possible_number(parsed):
            return str(phonenumbers.format_number(
                parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL))
    except Exception:  # noqa: BLE001 - any parse failure means "show it as written"
        pass
    return raw


class _Clock:
    """Times as both readers see them: the user (sender) and the recruiter (reader)."""

    def __init__(self, ctx: DraftContext) -> None:
        self.now = ctx.now
        self.user_tz = _zone(ctx.user_zone)
        self.rec_tz = _zone(ctx.recruiter_zone) if ctx.recruiter_zone else self.user_tz

    def _pair(self, moment: datetime) -> tuple[datetime, datetime]:
        return moment.astimezone(self.user_tz), moment.astimezone(self.rec_tz)

    def differs(self, moment: datetime) -> bool:
        # Different zone names with the same clock (New York and Toronto) read alike:
        # showing the time twice would only add noise.
        user, rec = self._pair(moment)
        return user.utcoffset() != rec.utcoffset()

    def _labels(self, moment: datetime) -> tuple[str, str]:
        user, rec = self._pair(moment)
        user_label, rec_label = _zone_label(user), _zone_label(rec)
        if user_label == rec_label and self.differs(moment):
            # "CST" is Chicago and Shanghai: with two different clocks, show offsets.
            return _offset_label(user), _offset_label(rec)
        return user_label, rec_label

    def time_user(self, moment: datetime) -> str:
        return f"{_clock(moment.astimezone(self.user_tz))} {self._labels(moment)[0]}"

    def time_recruiter(self, moment: datetime) -> str:
        return f"{_clock(moment.astimezone(self.rec_tz))} {self._labels(moment)[1]}"

    def both_zones(self, moment: datetime) -> str:
        if not self.differs(moment):
            return self.time_user(moment)
        return f"{self.time_user(moment)} ({self.time_recruiter(moment)} for you)"

    def _word(self, moment: datetime, tz: ZoneInfo) -> str | None:
        days = (moment.astimezone(tz).date() - self.now.astimezone(tz).date()).days
        return {0: "today", 1: "tomorrow", -1: "yesterday"}.get(days)

    def relative_word(self, moment: datetime) -> str | None:
        """"today"/"tomorrow"/"yesterday" only when it is true for both readers.

        8 PM Tuesday in New York is Wednesday morning in Bangalore: "today" there would
        send the recruiter to the wrong day, so a named day is used instead.
        """
        word = self._word(moment, self.user_tz)
        return word if word == self._word(moment, self.rec_tz) else None

    def day_user(self, moment: datetime) -> str:
        return long_date(moment.astimezone(self.user_tz).date(),
                         self.now.astimezone(self.user_tz).date())

    def day_recruiter(self, moment: datetime) -> str:
        return long_date(moment.astimezone(self.rec_tz).date(),
                         self.now.astimezone(self.rec_tz).date())

    def day(self, moment: datetime) -> str:
        return self.relative_word(moment) or self.day_user(moment)

    def when(self, moment: datetime, on: bool = False) -> str:
        """"today at 3:00 PM EST (12:00 PM PST for you)", a named day where needed."""
        word = self.relative_word(moment)
        prefix = "" if word or not on else "on "
        if not self.differs(moment):
            return f"{prefix}{word or self.day_user(moment)} at {self.time_user(moment)}"
        day_user, day_rec = self.day_user(moment), self.day_recruiter(moment)
        if word or day_user == day_rec:
            return f"{prefix}{word or day_user} at {self.both_zones(moment)}"
        return (f"{prefix}{day_user} at {self.time_user(moment)} "
                f"({day_rec} at {self.time_recruiter(moment)} for you)")

    def next_midnight(self) -> datetime:
        """The first midnight, in either reader's zone, after now: "today" ends there."""
        ends = []
        for tz in {self.user_tz, self.rec_tz}:
            local = self.now.astimezone(tz)
            midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=tz)
            ends.append(midnight)
        return min(ends, key=lambda d: d.timestamp())


# --- rendering ----------------------------------------------------------------------------


def _text(value: str | None, max_length: int = HEADER_MAX) -> str | None:
    """A one-line value from mail, cleaned for the body; None stays None, "" becomes None."""
    if value is None:
        return None
    clean = sanitize_header(value, max_length)
    return clean or None


def _position(role: str | None, company: str | None) -> str:
    if role:
        noun = "" if re.search(r"\b(?:role|position)\s*$", role, re.IGNORECASE) else " role"
        return f"the {role}{noun}" + (f" at {company}" if company else "")
    return f"the opportunity at {company}" if company else "the opportunity"


def _signature(ctx: DraftContext) -> str:
    sig = (ctx.signature or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not sig.strip():
        return ctx.user_name
    if sig.startswith("--"):
        # A "-- " delimited block is what follows the name, not the name itself.
        return f"{ctx.user_name}\n\n{sig}"
    return sig


def template_variables(ctx: DraftContext) -> dict[str, Any]:
    """Everything a template can use; see the module docstring for what each holds."""
    clock = _Clock(ctx)
    name = first_name(ctx.recruiter_name)
    recruiter_name = _text(ctx.recruiter_name)
    interviewer = _text(ctx.interviewer)
    role, company = _text(ctx.role), _text(ctx.company)
    user_phone = format_phone(ctx.user_phone)
    phone = format_phone(ctx.phone)
    # When the user places the call, the thread's number is theirs to dial, not the user's.
    my_phone = user_phone or ("" if ctx.user_calls else phone)
    local_now = ctx.now.astimezone(clock.user_tz)
    until = ctx.now + ctx.available_for
    variables: dict[str, Any] = {
        "kind": ctx.kind,
        "greeting": f"Hi {name}," if name else "Hello,",
        "first_name": name,
        "recruiter_name": recruiter_name,
        "recruiter_email": sanitize_header(ctx.recruiter_email or ""),
        "company": company,
        "role": role,
        "interviewer": interviewer,
        "other_interviewer": bool(
            interviewer and (recruiter_name or "").casefold() != interviewer.casefold()
            and first_name(interviewer).casefold() != name.casefold()
        ),
        "interviewer_first_name": first_name(interviewer) or interviewer or "",
        "position": _position(role, company),
        "subject": sanitize_header(ctx.subject or ""),
        "reply_subject": reply_subject(ctx.subject),
        "medium": ctx.medium,
        "call_word": {"video": "video call", "onsite": "meeting"}.get(ctx.medium or "", "call"),
        "has_time": ctx.interview_start is not None,
        "available_for_words": _duration_words(ctx.available_for),
        "available_until": clock.both_zones(until),
        "coming_days": "later this week" if local_now.weekday() <= 3 else "early next week",
        "respond_by": (long_date(ctx.respond_by, local_now.date())
                       if ctx.respond_by is not None else None),
        "phone": phone,
        "user_phone": user_phone,
        "my_phone": my_phone,
        "callback_phone": my_phone or PHONE_PLACEHOLDER,
        "user_calls": ctx.user_calls,
        "slots": tuple(s for s in (_text(slot, 120) for slot in ctx.slots) if s),
        "rescheduled": ctx.rescheduled,
        "missed_count": ctx.missed_count,
        "user_name": ctx.user_name,
        "user_email": ctx.user_email,
        "signature": _signature(ctx),
    }
    start = ctx.interview_start
    if start is not None:
        # Absent (not None) without a time: StrictUndefined then names the variable.
        word = clock.relative_word(start)
        variables.update({
            "when_user": clock.time_user(start),
            "when_recruiter": clock.time_recruiter(start),
            "day_user": clock.day_user(start),
            "day_recruiter": clock.day_recruiter(start),
            "both_zones": clock.both_zones(start),
            "call_day": clock.day(start),
            "on_call_day": word or f"on {clock.day_user(start)}",
            "call_when": clock.when(start),
            "on_call_when": clock.when(start, on=True),
            "is_today": word == "today",
            "is_tomorrow": word == "tomorrow",
        })
    return variables


def _filters(ctx: DraftContext) -> dict[str, Callable[..., str]]:
    clock = _Clock(ctx)
    today = ctx.now.astimezone(clock.user_tz).date()
    return {
        "time_user": clock.time_user,
        "time_recruiter": clock.time_recruiter,
        "both_zones": clock.both_zones,
        "day": clock.day,
        "long_date": lambda d: long_date(d, today),
        "phone": format_phone,
    }


def bundled_template_dir() -> Path:
    """The templates shipped with mailflow.

    In a source checkout (and an editable install) they sit beside the package. An
    installed wheel would need them inside the package (mailflow/templates, as package
    data); that location is tried second so moving them there needs no code change.
    """
    if BUNDLED_TEMPLATES.is_dir():
        return BUNDLED_TEMPLATES
    from importlib.resources import files

    packaged = Path(str(files("mailflow").joinpath("templates")))
    if packaged.is_dir():
        return packaged
    raise UsageError(
        f"mailflow's bundled templates are missing (looked in {BUNDLED_TEMPLATES} "
        f"and {packaged})",
        hint="reinstall mailflow",
    )


@lru_cache(maxsize=8)
def _environment(search_path: tuple[str, ...]) -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(search_path), encoding="utf-8"),
        undefined=jinja2.StrictUndefined,  # a missing value is an error, never a gap
        autoescape=False,  # plain text mail: HTML escaping would mangle "AT&T"
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
    )


def _normalize_body(text: str) -> str:
    lines = [line if line == "-- " else line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue  # an {% if %} that rendered nothing leaves no double gap
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _split(name: str, rendered: str) -> tuple[str, str]:
    text = rendered.replace("\r\n", "\n").replace("\r", "\n")
    head, sep, body = text.partition("\n")
    if not head.startswith("Subject:"):
        raise UsageError(f"template {name}: the first line must be 'Subject: ...'",
                         hint=f"it renders as {head[:60]!r}")
    if sep and body and body.split("\n", 1)[0].strip():
        raise UsageError(f"template {name}: the Subject line must be followed by a blank line")
    return head[len("Subject:"):], body


def render(ctx: DraftContext, template_dirs: Sequence[Path] = ()) -> Draft:
    """Render `ctx.kind` into a reply draft; the user's template directories win."""
    import jinja2

    if ctx.kind in _NEEDS_TIME and ctx.interview_start is None:
        raise ValueError(f"a {ctx.kind} draft needs DraftContext.interview_start")
    name = f"{ctx.kind}{TEMPLATE_SUFFIX}"
    dirs = [str(Path(d).expanduser()) for d in template_dirs if Path(d).expanduser().is_dir()]
    env = _environment((*dirs, str(bundled_template_dir())))
    variables = template_variables(ctx)
    try:
        template = env.get_template(name)
        rendered = template.render(variables)
    except jinja2.TemplateNotFound as exc:
        raise UsageError(f"template {name}: not found", hint="reinstall mailflow") from exc
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or name
        raise UsageError(f"template {name}: {exc.message} (line {exc.lineno} of {where})") from exc
    except jinja2.UndefinedError as exc:
        raise UsageError(
            f"template {name}: {exc.message}",
            hint="variables available for this draft: " + ", ".join(sorted(variables)),
        ) from exc
    except jinja2.TemplateError as exc:
        raise UsageError(f"template {name}: {exc}") from exc
    except (ArithmeticError, LookupError, TypeError, ValueError, UnicodeError) as exc:
        # A user's template can fail like any code ({{ 1/0 }}, a file saved as Latin-1):
        # that is a template to fix, reported like the others rather than as a crash.
        raise UsageError(f"template {name}: {type(exc).__name__}: {exc}") from exc
    subject_line, body = _split(name, rendered)
    # The template's subject passes through sanitize_header as well: a user template that
    # writes "{{ subject }}" raw, or a rendering that spans lines, cannot add a header.
    subject = sanitize_header(subject_line)
    if not subject:
        subject = reply_subject(ctx.subject)
    clock = _Clock(ctx)
    stale_at: datetime | None = None
    if ctx.kind in _RELATIVE_KINDS:
        stale_at = clock.next_midnight()
        if ctx.kind in _MISSED_KINDS:
            stale_at = min(stale_at, ctx.now + ctx.available_for, key=lambda d: d.timestamp())
    notes = list(ctx.notes)
    if PHONE_PLACEHOLDER in body:
        notes.append("No phone number is known for you: fill in "
                     f"{PHONE_PLACEHOLDER} (settings: [user] phone) before approving.")
    return Draft(
        kind=ctx.kind,
        subject=subject,
        body=_normalize_body(body),
        in_reply_to=_clean_msgid(ctx.in_reply_to),
        references=_thread_references(ctx.references, ctx.in_reply_to),
        notes=tuple(notes),
        stale_at=stale_at.astimezone(UTC) if stale_at is not None else None,
        template=template.filename or name,
    )


def find_placeholders(text: str) -> tuple[str, ...]:
    """The `[[...]]` markers in a text (the review refuses to approve while any remain)."""
    return tuple(PLACEHOLDER_RE.findall(text))


__all__ = [
    "KINDS",
    "PLACEHOLDER_RE",
    "Draft",
    "DraftContext",
    "find_placeholders",
    "render",
    "reply_subject",
    "sanitize_header",
    "template_variables",
]
