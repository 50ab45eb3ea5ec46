"""Free text -> the facts an interview mail states: times with zones, phones, answer dates.

Why our own scanner rather than dateparser's `search_dates` or dateutil's fuzzy parse:
both find *a* date in a text, but a recruiter's mail holds many (the Date line of quoted
mail, "please reply by Friday", "arrive 15 minutes early at 1:45", a Zoom block's own
"Time:" line, the old time of a reschedule). What matters is which one is the interview,
and which zone it was written in. So the work here is in three steps:

1. `split_reply` cuts the new text from the quoted history, forwarded blocks and the
   signature (the new text wins; numbers in quoted mail are not the call's number).
2. `find_times` finds every date word and every time word with regexes over English,
   German, French and Spanish, pairs each time with the nearest date (same line first,
   then the lines around it, then the one date the text names), and resolves the written
   zone (`zones.py`), else the user's zone. Relative dates ("tomorrow", "next Tuesday")
   count from the message's Date header, never from a clock.
3. `choose_time` scores the pairs by the words around them (When:/interview/call raise,
   arrive/check-in/reply-by exclude, "moved from"/"instead of" mark an old time) and keeps
   the best; on a multi-session day the earliest session of that day.

Everything is pure: the message's date, the user's zone and the sender's domain come in a
`Context`. dateutil/phonenumbers are imported inside the functions that use them, because
the cron job that runs us should start fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from mailflow import zones

# ---------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _n, _words in enumerate(
    (
        "january jan januar jänner janvier janv enero ene",
        "february feb februar février fevrier févr fevr fév febrero",
        "march mar märz maerz mrz mär mars marzo",
        "april apr avril avr abril abr",
        "may mai mayo",
        "june jun juni juin junio",
        "july jul juli juillet juil julio",
        "august aug août aout agosto ago",
        "september sep sept septembre septiembre setiembre",
        "october oct oktober okt octobre octubre",
        "november nov novembre noviembre",
        "december dec dezember dez décembre decembre déc diciembre dic",
    ),
    start=1,
):
    for _w in _words.split():
        _MONTHS[_w] = _n

_WEEKDAYS: dict[str, int] = {}
for _n, _words in enumerate(
    (
        "monday mon montag lundi lunes",
        "tuesday tue tues dienstag mardi martes",
        "wednesday wed mittwoch mercredi miércoles miercoles",
        "thursday thu thur thurs donnerstag jeudi jueves",
        "friday fri freitag vendredi viernes",
        "saturday sat samstag sonnabend samedi sábado sabado",
        "sunday sun sonntag dimanche domingo",
    )
):
    for _w in _words.split():
        _WEEKDAYS[_w] = _n
# German two-letter abbreviations are words elsewhere ("do", "so"): only before a date.
_DE_WD_ABBR = {"mo": 0, "di": 1, "mi": 2, "do": 3, "fr": 4, "sa": 5, "so": 6}
# Full weekday names may stand alone as a relative date; the short forms only next to a
# number ("Tue 7/8", "Thu, Jul 10") because "sun", "sat", "wed" are ordinary words.
_WD_FULL = {w for w in _WEEKDAYS if len(w) > 4 or w in ("lundi", "mardi", "jeudi", "lunes")}
# Capitalised or upper case: "Thu 2pm", "THU 2PM", never "the sun at 5pm"...
_WD_SHORT = {v for w in set(_WEEKDAYS) - _WD_FULL for v in (w.capitalize(), w.upper())}
# ...and lower case for the forms that are no English word ("call thu 4pm" from a phone);
# "sat", "sun" and "wed" stay out.
_WD_SHORT |= {"mon", "tue", "tues", "thu", "thur", "thurs", "fri"}


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


_MON = rf"(?P<mon>{_alt(_MONTHS)})\.?"
_WD = rf"(?P<wd>{_alt(_WEEKDAYS)}|{_alt(_DE_WD_ABBR)}(?=\.))\.?"
_DAY = r"(?P<day>[0-3]?\d)(?!\d)(?:st|nd|rd|th|er|e|º|°|\.)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_ART = r"(?:the\s+|den\s+|dem\s+|le\s+|el\s+|am\s+)?"

_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dm", re.compile(
        # "09-Jul-2026" too (Indian and Oracle-style dates).
        rf"\b(?:{_WD},?\s+{_ART})?{_DAY}(?:\s*|-)(?:of\s+|de\s+)?{_MON}(?![a-zà-ÿ])"
        rf"(?:(?:,?\s+|-)(?:de\s+)?{_YEAR})?", re.IGNORECASE)),
    ("md", re.compile(
        rf"\b(?:{_WD},?\s+(?:the\s+)?)?{_MON}(?![a-zà-ÿ])\s*{_DAY}(?![\d:])(?:,?\s+{_YEAR})?",
        re.IGNORECASE)),
    ("iso", re.compile(
        rf"\b(?:{_WD},?\s+)?(?P<year>(?:19|20)\d\d)-(?P<a>[01]?\d)-(?P<b>[0-3]?\d)(?!\d)",
        re.IGNORECASE)),
    # "Thursday the 12th", "Thu 12th": a day of the month without the month.
    ("wdnth", re.compile(
        rf"\b{_WD},?\s+(?:the\s+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th)\b"
        rf"(?!\s*(?:of\s+)?{_MON})", re.IGNORECASE)),
    # "el jueves 10 a las 16:30", "jeudi 10 à 14h": a full weekday name and a bare day of
    # the month (never a clock: no ":", "h", "uhr" or meridiem after it).
    ("wdnth", re.compile(
        rf"\b(?P<wd>{_alt(_WD_FULL)}),?\s+(?:(?:the|le|el|den)\s+)?(?P<day>[0-3]?\d)\b"
        rf"(?![:.,]?\d|\s*(?:h\b|uhr|[ap]\.?m\b|%)|\.?\s*(?:of\s+|de\s+)?(?:{_alt(_MONTHS)}))",
        re.IGNORECASE)),
    ("num", re.compile(
        rf"(?<![\d./:\-$€£#])(?:{_WD},?\s+{_ART})?(?P<a>[0-3]?\d)(?P<sep>[./])(?P<b>[0-3]?\d)"
        r"(?:(?P=sep)(?P<year>(?:19|20)?\d\d))?(?P<dot>\.)?(?![\d/]|\.\d)"
        # Not a clock ("17.30 Uhr", "9.15 am"); the next line's "Uhrzeit:" is no suffix.
        r"(?![ \t]*(?:uhr\b|h\b|hrs|am\b|pm\b|a\.m|p\.m|%))",
        re.IGNORECASE)),
)

_REL_WORDS: dict[str, int] = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "later today": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1, "2moro": 1, "tomorrow morning": 1, "tomorrow afternoon": 1,
    "day after tomorrow": 2, "heute": 0, "morgen": 1, "übermorgen": 2, "aujourd'hui": 0,
    "aujourd’hui": 0, "demain": 1, "après-demain": 2, "hoy": 0, "mañana": 1,
    "pasado mañana": 2, "esta tarde": 0, "esta mañana": 0, "cet après-midi": 0,
    "ce matin": 0, "heute nachmittag": 0,
}
# "Guten Morgen", "de la mañana" are greetings and parts of the day, not "tomorrow".
_REL_RE = re.compile(
    # (\b: "our team tomorrow" is no German "am Morgen")
    rf"(?<![\w-])(?<!\bguten )(?<!\bam )(?<!\bde la )(?<!\bpor la )(?<!\ben la )(?<!\besta )"
    rf"(?P<rel>{_alt(_REL_WORDS)})(?![\w-])",
    re.IGNORECASE,
)
# What makes a short weekday a day: a clock time within a few words ("Thu 2pm").
# ("tues morning at 7" too).
_CLOCK_AFTER = (r"(?=\.?,?\s+(?:[a-z]+,?\s+){0,3}(?:at\s+|@\s*|\()?(?:\d{1,2}(?::\d\d)?\s*"
                r"(?:[ap]\.?m\b|[ap]\.m\.|h\b|uhr\b)|\d{1,2}:\d\d\b)|"
                r"\.?,?\s+(?:[a-z]+\s+){0,2}at\s+\d{1,2}\b(?![:.]?\d|\s*%))")
# "sat", "sun", "wed" in lower case are words ("we sat at 7pm"), but not after "this",
# "next" or "on" with a clock time after: "come by this sat at 7am".
_WD_WORDS = r"(?:(?<=\bthis )|(?<=\bnext )|(?<=\bon ))(?-i:sat|sun|wed)"
_WD_REL_RE = re.compile(
    r"(?<![\w-])(?:(?P<mod>this coming|this|next|coming|on|nächsten|nächster|kommenden|"
    r"diesen|ce|este|el próximo|el proximo|próximo|proximo|le)\s+)?"
    # A short form ("Thu") only when a clock time follows within a few words.
    rf"(?P<wd>{_alt(_WD_FULL)}|(?:(?-i:{_alt(_WD_SHORT)})|{_WD_WORDS}){_CLOCK_AFTER})(?![\w-])"
    r"(?:\s+(?P<post>prochain|qui vient|next week|"
    r"of next week|nächste woche|der nächsten woche|de la semana que viene|"
    r"de la próxima semana))?",
    re.IGNORECASE,
)

# Times. Hours with a meridiem, hh:mm, German/French "14 Uhr"/"14h30", noon.
# "(durée : 1h)", "Dauer: 1 h": a length, not a clock (lookbehinds need fixed widths, so
# each spelling is its own).
_LENGTH_LABELS = ("durée : ", "durée: ", "durée ", "dauer: ", "dauer ", "duración: ",
                  "duración ")
# "La durée reste inchangée : 1h": a length anywhere after the word on its line.
_LENGTH_BEFORE_RE = re.compile(r"(?:durée|dauer|duración|duration|length)\b[^\n]{0,30}$",
                               re.IGNORECASE)
# ("jueves 10 a las 16:30", "de 12:30 a 13:30": Spanish "a" is "at" or "to", no a.m.)
_MER = r"(?P<mer>[ap]\.\s?m\.?|[ap]\s?m\b|[ap]\b(?![.'’]\w)(?!\s+las?\b)(?!\s*\d))"
_TIME_RE = re.compile(
    # Not the offset of "(GMT-07:00) Pacific Time" or "UTC+02:00".
    r"(?<![\w:.,/])(?<![gG][mM][tT][+\-−])(?<![uU][tT][cC][+\-−])(?:"
    # A meridiem only after 1-12: "de 16:30 a 17:30" is Spanish "from ... to", not "a.m.".
    r"(?P<h1>1[0-2]|0?[1-9])(?:[:.](?P<m1>[0-5]\d))?\s*" + _MER + r"|"
    r"(?P<h2>[012]?\d)(?:[:h](?P<m2>[0-5]\d)|\.(?P<m2b>[0-5]\d)(?=\s*(?:uhr|h)\b))"
    r"(?!\d|[./]\d)(?:\s*(?P<suf2>uhr|h\b|hrs\b|horas\b|heures\b))?|"
    + "".join(f"(?<!{w})" for w in _LENGTH_LABELS)
    + r"(?P<h3>[012]?\d)\s*(?P<suf3>uhr\b|h\b(?!\s*\d{2}\b))|"
    r"(?P<noon>noon|midday|mittags|midi|mediodía)"
    r")",
    re.IGNORECASE,
)
# A bare hour after "at"/"um"/"à"/"a las": "tomorrow at 10", "um 10", "a las 11".
_BARE_RE = re.compile(
    r"(?:\bat|@|\bum|\bà|\ba las|\ba la|\bvers|\bgegen)\s+(?:around\s+|about\s+)?"
    # "at 11.00" (British and Irish mail): minutes after a dot.
    r"(?P<h>[012]?\d)(?:\.(?P<m>[0-5]\d))?(?![\d:.,/]\d|\d)"
    r"(?!\s*(?:%|percent|minutes?|mins?\b|hours?|people|"
    r"days?|weeks?|years?|of\b|st\b|nd\b|rd\b|th\b|candidates|[ap]\.?m\b|uhr|h\b))",
    re.IGNORECASE,
)
# Quebec French: "le jeudi 14 mai à 10 h 30".
_SPACED_H_RE = re.compile(r"(?<![\w:.,/])(?P<h>[01]?\d|2[0-3]) h (?P<m>[0-5]\d)\b")
# "thurs 10/8 at 930am": minutes without a colon, before a meridiem.
_COMPACT_RE = re.compile(r"(?<![\w:.,/$#])(?P<h>1[0-2]|[1-9])(?P<m>[0-5]\d)\s?"
                         r"(?P<mer>[ap])\.?m\b\.?", re.IGNORECASE)
# Military and European four-digit clocks: "Thurs 3/12 @ 0900 CT", "1400 hrs". Only after
# "at"/"@" or before "hrs", and like a bare hour only next to a date or a zone.
_MILITARY_RE = re.compile(
    r"(?:(?<=\bat )|(?<=@ )|(?<=@))(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d)(?![\d%])"
    # Then a zone, "hrs", punctuation or a range; never a street ("at 1250 S Harbor Blvd").
    r"(?=\s*(?:hrs?\b|hours\b|h\b|(?P<zw>(?-i:[A-Z]{2,5}))\b|[,;:!?)]|\.(?!\d)|$|"
    r"(?:-|–|to|until|till)\s*\d))|"
    r"\b(?P<h2>[01]\d|2[0-3])(?P<m2>[0-5]\d)\s*(?:hrs|hours)\b", re.IGNORECASE | re.MULTILINE)
# "2-3pm", "from 2 to 3 pm": the first hour borrows the second's meridiem.
_SHORT_RANGE_RE = re.compile(
    # "10.00–10.45am AEDT" too (British and Australian dots).
    r"(?<![\w:.,/])(?P<h>[012]?\d)(?:[:.](?P<m>[0-5]\d))?\s*(?:-|–|—|to|until|till)\s*"
    r"(?=[012]?\d(?:[:.][0-5]\d)?\s*(?:[ap]\.?\s?m\b|[ap]\b))",
    re.IGNORECASE,
)
_RANGE_GAP_RE = re.compile(
    r"^\s*(?:-|–|—|to|until|till|through|bis|à|a|and|und|et|y|au|jusqu'à)\s*(?:ca\.\s*)?$",
    re.IGNORECASE,
)
# "could we push our call from 10am to 3:30pm": an old time and a new one, not a range.
_MOVE_FROM_RE = re.compile(
    r"\b(?:push|move|shift|bump|switch|change|reschedul\w*|verschieb\w*|déplac\w*|"
    r"mover|cambiar)\w*\b[^.!?\n]{0,60}\b(?:from|von|de|del)\s*$|"
    # "Could we push our 2pm to 4pm today?": the old slot right after the verb.
    r"\b(?:push|move|shift|bump|switch)\w*\s+(?:our|the|your|my|this|today's|tomorrow's)\s+$",
    re.IGNORECASE)
_PM_WORDS_RE = re.compile(
    r"^\s*(?:in the (?:afternoon|evening)|de la tarde|de la noche|de l'après-midi|du soir|"
    r"nachmittags|abends)", re.IGNORECASE)
_AM_WORDS_RE = re.compile(
    r"^\s*(?:in the morning|de la mañana|du matin|morgens|vormittags)", re.IGNORECASE)

_ORDINALS = {"first": 1, "second": 2, "third": 3}


# ---------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What a reader knows besides the text: when it was sent, by whom, the user's zone."""

    sent: datetime | None  # the Date header (aware); relative dates count from it
    tz: str = "UTC"  # the user's zone: times with no written zone are in it
    sender_domain: str = ""
    day_first: bool = False  # numeric dates are D/M (clearly European mail)
    default_zone: str | None = None  # "All times are Pacific" stated once for the mail

    @property
    def sent_local(self) -> date | None:
        # The sender's own calendar day: "tomorrow" is their tomorrow.
        return self.sent.date() if self.sent else None


@dataclass(frozen=True)
class DateHit:
    pos: int
    end: int
    value: date
    how: str  # "explicit" | "weekday" | "relative"
    text: str


@dataclass(frozen=True)
class Mention:
    """One time written in the text, resolved to an instant."""

    start: datetime
    end: datetime | None
    zone: str  # IANA name (or "UTC+02:00" for a written offset)
    zone_written: bool
    pos: int
    stop: int
    line: str
    date_how: str  # explicit | weekday | relative | line-near | sole-date
    score: float = 0.0
    flags: frozenset[str] = field(default_factory=frozenset)  # old, arrival, deadline, ...

    @property
    def evidence(self) -> str:
        return self.line.strip()[:160]


@dataclass(frozen=True)
class Parts:
    """A message body cut into what the sender wrote now and what came before."""

    new: str
    quoted: str = ""
    forwarded: str = ""
    signature: str = ""


# ---------------------------------------------------------------------------------------
# Splitting new text from quoted history and signature
# ---------------------------------------------------------------------------------------

_ATTRIBUTION_RE = re.compile(
    r"^\s*(?:On\s.{4,200}?\swrote:|Am\s.{4,200}?\sschrieb.{0,120}?:|Le\s.{4,200}?\sa\s+écrit\s*:|"
    r"El\s.{4,200}?\sescribió\s*:|.{0,80}\d{1,2}:\d\d.{0,120}\swrote:)\s*$",
    re.IGNORECASE | re.DOTALL,
)
_ORIGINAL_RE = re.compile(
    r"^\s*(?:-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|"
    r"Mensaje original)\s*-{2,}|_{10,})\s*$",
    re.IGNORECASE,
)
_FORWARD_RE = re.compile(
    r"^\s*(?:-{2,}\s*(?:Forwarded message|Weitergeleitete Nachricht|Message transféré|"
    r"Mensaje reenviado)\s*-{2,}|Begin forwarded message:)\s*$",
    re.IGNORECASE,
)


def is_forward_marker(line: str) -> bool:
    """ "---------- Forwarded message ---------", "Begin forwarded message:" and the like."""
    return bool(_FORWARD_RE.match(line.strip()))


_HEADER_LINE_RE = re.compile(
    r"^\s*\*?(?:From|Von|De|Sent|Gesendet|Envoyé|Enviado|Date|Datum|To|An|À|Para|Cc|"
    r"Subject|Betreff|Objet|Asunto)\s*:\*?", re.IGNORECASE)
_FROM_LINE_RE = re.compile(r"^\s*\*?(?:From|Von|De)\s*:\*?\s*\S", re.IGNORECASE | re.MULTILINE)
_SIGNOFF_RE = re.compile(
    r"^\s*(?:best(?: regards| wishes)?|regards|kind regards|warm(?:est)? regards|warmly|"
    r"with (?:kind|best|warm|many) (?:regards|wishes)|yours (?:sincerely|truly)|respectfully|"
    r"thanks and regards|thanks & regards|best,? thanks|"
    r"many thanks|thanks(?: again| so much)?|thank you|cheers|sincerely|all the best|"
    r"talk soon|looking forward|"
    r"mit freundlichen grüßen|mit freundlichen grüssen|viele grüße|beste grüße|"
    r"freundliche grüße|liebe grüße|herzliche grüße|grüße|"
    r"cordialement|bien cordialement|bien à vous|salutations|"
    r"saludos(?: cordiales)?|atentamente|un saludo|un cordial saludo)\b[ ,.!]*$",
    re.IGNORECASE,
)


def split_reply(text: str) -> Parts:
    """Cut a body into new text, quoted history, a forwarded message and the signature.

    Quoted history starts at the first attribution line ("On ... wrote:", also wrapped over
    two lines by Gmail), an Outlook "-----Original Message-----" or underscore rule, an
    Outlook header block ("From: ... / Sent: ..."), or a run of ">" lines. A forward marker
    starts a forwarded block instead: there the old mail *is* the content. The signature
    is the run of short lines after a sign-off ("Best,") or the "-- " delimiter.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut: int | None = None
    fwd = False
    for i, line in enumerate(lines):
        s = line.strip()
        if _FORWARD_RE.match(s):
            cut, fwd = i, True
            break
        if s.startswith(">"):
            # A ">" line only starts history once a couple of them follow each other or
            # an attribution preceded: a lone ">" in prose (">50 people") is text.
            nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
            if nxt.startswith(">") or nxt == "" or i + 1 == len(lines):
                cut = i
                break
        two = s + " " + (lines[i + 1].strip() if i + 1 < len(lines) else "")
        if _ATTRIBUTION_RE.match(s) or (
            re.match(r"^(?:On|Am|Le|El)\s", s) and _ATTRIBUTION_RE.match(two)
            and len(s) < 200
        ):
            cut = i
            break
        if _ORIGINAL_RE.match(s):
            # An underscore rule is Outlook's history marker only when a header block
            # follows; Teams and Zoom frame their meeting blocks with the same rule.
            nxt = next((t for t in lines[i + 1 : i + 4] if t.strip()), "")
            if not s.startswith("_") or _HEADER_LINE_RE.match(nxt):
                cut = i
                break
        if _FROM_LINE_RE.match(s):
            # An Outlook header block: "From:" followed within 3 lines by Sent/Date/To.
            window = lines[i + 1 : i + 4]
            if sum(1 for w in window if _HEADER_LINE_RE.match(w)) >= 2:
                cut = i
                break
    new_lines = lines if cut is None else lines[:cut]
    rest = "" if cut is None else "\n".join(lines[cut:])
    new, signature = _split_signature(new_lines)
    if fwd:
        return Parts(new=new, forwarded=rest, signature=signature)
    return Parts(new=new, quoted=rest, signature=signature)


_LEGAL_RE = re.compile(
    r"^\s*(?:\**(?:confidentiality(?: notice)?|disclaimer|legal notice|privileged (?:and|&) "
    r"confidential)\b|this (?:e-?mail|message|communication)(?: and any (?:attachments|files))?"
    r".{0,40}\b(?:confidential|privileged|intended (?:only|solely))|"
    # German, French, Spanish footers and a German company's register lines (Impressum).
    r"(?:diese (?:e-?mail|nachricht)|ce (?:message|courriel|e-?mail)|este (?:mensaje|correo))"
    r".{0,60}(?:vertraulich|confidentiel|confidencial)|"
    r"(?:geschäftsführ\w*|vorstand|amtsgericht|registergericht|handelsregister|sitz der "
    r"gesellschaft)\s*[:,])", re.IGNORECASE)


def _split_signature(lines: list[str]) -> tuple[str, str]:
    """Split off the signature: after "-- " or a sign-off followed by short lines only.

    A legal footer ("CONFIDENTIALITY NOTICE: This e-mail ...") is cut first and joins the
    signature: its numbers and words are the company's, not this mail's.
    """
    for i, line in enumerate(lines):
        if i > 0 and _LEGAL_RE.match(line):
            head, sig = _split_signature(lines[:i])
            return head, (sig + "\n" if sig else "") + "\n".join(lines[i:])
    for i, line in enumerate(lines):
        if line.rstrip() == "--" or line == "-- ":
            return "\n".join(lines[:i]), "\n".join(lines[i:])
    for i in range(len(lines) - 1, -1, -1):
        if _SIGNOFF_RE.match(lines[i]):
            tail = [t for t in lines[i + 1 :] if t.strip()]
            # A signature is a few short lines; a long tail is content (a Zoom block after
            # "Thanks,") and stays in the new text, so its times and links are still read.
            if len(tail) <= 10 and all(len(t.strip()) <= 80 for t in tail):
                return "\n".join(lines[:i]), "\n".join(lines[i:])
            break
    # No sign-off we know ("Go raibh maith agat,"): a last paragraph that starts with a
    # name and carries contact details is a signature too.
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    start = end
    while start and lines[start - 1].strip():
        start -= 1
    block = [t.strip() for t in lines[start:end]]
    if (start and 2 <= len(block) <= 7 and all(len(t) <= 90 for t in block)
            and _NAME_LINE_RE.match(block[0])
            and any(_CONTACT_LINE_RE.search(t) for t in block[1:])):
        return "\n".join(lines[:start]), "\n".join(lines[start:])
    return "\n".join(lines), ""


# "Orla Keane", "James Whitaker | Principal Consultant, DACH": a name, maybe with a title.
_NAME_LINE_RE = re.compile(
    r"^[A-ZÀ-Þ][\w'’.-]+(?: [A-ZÀ-Þ][\w'’.-]+){1,3}(?:\s*[|–—]\s*\S.*|,\s+[A-Z]\S.*)?$")
_CONTACT_LINE_RE = re.compile(r"\+?\d[\d ()./-]{6,}\d|@|\bwww\.|\.\w{2,3}\b.*$|\|")


def strip_quoted(text: str) -> str:
    """The new text of a reply, signature included (for wording cues)."""
    parts = split_reply(text)
    return parts.new + ("\n" + parts.signature if parts.signature else "")


# ---------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------


def find_dates(text: str, ctx: Context) -> list[DateHit]:
    """Every date the text names, resolved against the message's date. Overlaps: longest."""
    raw: list[tuple[int, int, date, str]] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            value = _resolve_date_match(kind, m, ctx)
            if value is not None:
                raw.append((m.start(), m.end(), value, "explicit"))
    for m in _REL_RE.finditer(text):
        if ctx.sent_local is None:
            continue
        word = m.group("rel").lower()
        value = ctx.sent_local + timedelta(days=_REL_WORDS[word])
        raw.append((m.start(), m.end(), value, "relative"))
    for m in _WD_REL_RE.finditer(text):
        if ctx.sent_local is None:
            continue
        wd = _WEEKDAYS[m.group("wd").lower()]
        mod = (m.group("mod") or "").lower()
        post = (m.group("post") or "").lower()
        raw.append((m.start(), m.end(), weekday_after(ctx.sent_local, wd, mod, post), "weekday"))
    raw.sort(key=lambda r: (r[0], -(r[1] - r[0])))
    hits: list[DateHit] = []
    for start, end, value, how in raw:
        if hits and start < hits[-1].end:
            prev = hits[-1]
            # Keep the longer (more specific) of two overlapping matches.
            if end - start > prev.end - prev.pos or (prev.how != "explicit" and how == "explicit"):
                hits[-1] = DateHit(start, end, value, how, text[start:end])
            continue
        hits.append(DateHit(start, end, value, how, text[start:end]))
    return _with_stated_weekday(hits, text)


def _with_stated_weekday(hits: list[DateHit], text: str) -> list[DateHit]:
    """ "12/08/2025 (Tuesday)": the weekday in brackets belongs to the date before it, and
    settles a numeric date's order (12 August is a Tuesday; 8 December is not)."""
    out: list[DateHit] = []
    i = 0
    while i < len(hits):
        d = hits[i]
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        if (d.how == "explicit" and nxt is not None and nxt.how == "weekday"
                and re.fullmatch(r"[\s,(]{0,3}", text[d.end : nxt.pos])):
            stated = _WEEKDAYS.get(nxt.text.lower().strip(" .()"))
            if stated is not None and d.value.weekday() != stated:
                try:
                    swapped = date(d.value.year, d.value.day, d.value.month)
                except ValueError:
                    swapped = None
                if swapped is not None and swapped.weekday() == stated:
                    d = replace(d, value=swapped)
            out.append(replace(d, end=nxt.end, text=text[d.pos : nxt.end]))
            i += 2
            continue
        out.append(d)
        i += 1
    return out


def weekday_after(base: date, weekday: int, mod: str = "", post: str = "") -> date:
    """The date a weekday name means, written on `base`.

    A bare weekday ("Friday", "on Friday") is the first such day *after* the message's date
    (the issue's rule). "this Friday" may be today. "next Friday" is the Friday of next
    week when the first one after `base` is still in base's own week (Monday to Sunday),
    which is how "next" is used in practice: on a Monday, "next Friday" is 11 days out; on
    a Thursday, "next Tuesday" is five days out.
    """
    ahead = (weekday - base.weekday()) % 7
    if mod in ("this", "this coming", "ce", "este", "diesen") and ahead == 0:
        return base
    if ahead == 0:
        ahead = 7
    first = base + timedelta(days=ahead)
    if post in ("next week", "of next week", "nächste woche", "der nächsten woche",
                "de la semana que viene", "de la próxima semana"):
        monday_next = base - timedelta(days=base.weekday()) + timedelta(days=7)
        return monday_next + timedelta(days=weekday)
    if mod == "next":
        same_week = first.isocalendar()[:2] == base.isocalendar()[:2]
        return first + timedelta(days=7) if same_week else first
    return first


def _resolve_date_match(kind: str, m: re.Match[str], ctx: Context) -> date | None:
    gd = m.groupdict()
    wd_word = (gd.get("wd") or "").lower().rstrip(".")
    weekday = _WEEKDAYS.get(wd_word, _DE_WD_ABBR.get(wd_word)) if wd_word else None
    year = int(gd["year"]) if gd.get("year") else None
    if year is not None and year < 100:
        year += 2000
    if kind in ("dm", "md"):
        month = _MONTHS[gd["mon"].lower().rstrip(".")]
        day = int(gd["day"])
        return _complete(year, month, day, weekday, ctx)
    if kind == "iso":
        return _complete(year, int(gd["a"]), int(gd["b"]), weekday, ctx)
    if kind == "wdnth":
        return _next_day_of_month(int(gd["day"]), weekday, ctx)
    # Numeric: 10.07.2025 is always day-first (the dotted form is European); 7/10 follows
    # the sender's convention, and a weekday named next to it decides when it can.
    a, b = int(gd["a"]), int(gd["b"])
    if gd["sep"] == "." and not gd.get("year") and not gd.get("dot"):
        return None  # "3.5" is a number, not a date
    orders: list[tuple[int, int]] = []
    if gd["sep"] == "." or a > 12:
        orders = [(b, a)]
    elif b > 12:
        orders = [(a, b)]
    else:
        orders = [(b, a), (a, b)] if ctx.day_first else [(a, b), (b, a)]
    candidates = []
    for month, day in orders:
        value = _complete(year, month, day, None, ctx)
        if value is not None:
            candidates.append(value)
    if not candidates:
        return None
    if weekday is not None:
        for value in candidates:
            if value.weekday() == weekday:
                return value
    return candidates[0]


def _next_day_of_month(day: int, weekday: int | None, ctx: Context) -> date | None:
    """The first day numbered `day` from the message's date on, on `weekday` if one fits
    within a year ("Thursday the 12th" written on 3 November is 12 November)."""
    if ctx.sent_local is None or not 1 <= day <= 31:
        return None
    base = ctx.sent_local
    found: list[date] = []
    y, mo = base.year, base.month
    for _ in range(13):
        try:
            d = date(y, mo, day)
        except ValueError:
            d = None
        if d is not None and d >= base:
            found.append(d)
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    fitting = [d for d in found if weekday is None or d.weekday() == weekday]
    return (fitting or found or [None])[0]


def _complete(
    year: int | None, month: int, day: int, weekday: int | None, ctx: Context
) -> date | None:
    """A full date from parts; a missing year is the one that puts the date near `sent`.

    Dates are mostly upcoming, so without a year we take the first occurrence no more
    than 60 days before the message (past references like "thanks for Tuesday" stay in
    the current year); a stated weekday that only fits another year wins.
    """
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            return None
    if ctx.sent_local is None:
        return None
    base = ctx.sent_local
    options = []
    for y in (base.year, base.year + 1, base.year - 1):
        try:
            options.append(date(y, month, day))
        except ValueError:
            continue
    if not options:
        return None
    if weekday is not None:
        fitting = [d for d in options if d.weekday() == weekday]
        if fitting:
            return min(fitting, key=lambda d: abs((d - base).days))
    for value in sorted(options):
        if value >= base - timedelta(days=60):
            return value
    return options[0]


# ---------------------------------------------------------------------------------------
# Zones written next to a time
# ---------------------------------------------------------------------------------------

# "11.00am Sydney = 10.00am Brisbane": a city named right after a time is its clock (only
# capitalised, so "at 10 in march" stays a month).
_CITY_AFTER_RE = re.compile(
    r"(?:in\s+)?(?P<city>" + "|".join(
        re.escape(c.title()) for c in sorted(zones.CITY_ZONES, key=len, reverse=True)
        if zones.CITY_ZONES[c]) + r")(?:\s+time)?(?![\w&])")
_OFFSET_RE = re.compile(
    r"(?:UTC|GMT)\s*(?P<sign>[+\-−–])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?(?!\d)", re.IGNORECASE)
_IANA_RE = re.compile(r"(?:America|Europe|Asia|Africa|Australia|Pacific|Atlantic|Etc)/[A-Za-z_]+"
                      r"(?:/[A-Za-z_]+)?")
_MULTI_ZONE_RE = re.compile(
    r"(?P<name>" + _alt(
        [k for k in zones.ABBREVIATIONS if " " in k or len(k) > 5]
        + list(zones.WINDOWS_DISPLAY)
    ) + r")(?![\w])(?:\s*(?:time|zeit))?(?:\s*[-–(]\s*(?P<city>[A-Za-z][A-Za-z &]+?)\)?(?=[\s,.;)]|$))?",
    re.IGNORECASE,
)
_ABBR_RE = re.compile(r"(?P<abbr>[A-Z]{1,5})(?![A-Za-z])")
_LOCAL_RE = re.compile(r"(?:your (?:local )?time|your time zone|ihrer zeit|votre heure)",
                       re.IGNORECASE)


@dataclass(frozen=True)
class _Zone:
    name: str
    tz: tzinfo
    stop: int  # where the zone words end


def zone_at(text: str, pos: int, ctx: Context) -> _Zone | None:
    """The zone written right after position `pos` (after a time), or None."""
    m = re.compile(r"[\s(\[,]*(?:uhr\s*)?[\s(\[]*", re.IGNORECASE).match(text, pos)
    i = m.end() if m else pos
    return _zone_word(text, i, ctx)


def _zone_word(text: str, i: int, ctx: Context) -> _Zone | None:
    off = _OFFSET_RE.match(text, i)
    if off:
        # "(UTC-06:00) Central Time (US & Canada)": the region name beats the bare offset,
        # which is the standard-time offset even in summer.
        after = re.match(r"\)?\s*", text[off.end():])
        tail = off.end() + (after.end() if after else 0)
        named = _named_zone(text, tail, ctx)
        if named is not None:
            return named
        sign = -1 if off.group("sign") != "+" else 1
        delta = timedelta(hours=int(off.group("h")), minutes=int(off.group("m") or 0))
        if delta > timedelta(hours=14):
            return None
        tz_ = timezone(sign * delta)
        return _Zone(_offset_name(sign * delta), tz_, off.end())
    return _named_zone(text, i, ctx)


def _named_zone(text: str, i: int, ctx: Context) -> _Zone | None:
    iana = _IANA_RE.match(text, i)
    if iana and zones.is_zone(iana.group(0)):
        return _Zone(iana.group(0), ZoneInfo(iana.group(0)), iana.end())
    multi = _MULTI_ZONE_RE.match(text, i)
    if multi:
        name = multi.group("name")
        city = (multi.group("city") or "").strip().lower()
        zone = zones.CITY_ZONES.get(city)
        zone = zone or zones.windows_zone(name) or _abbreviation_zone(name, ctx)
        if zone:
            return _Zone(zone, ZoneInfo(zone), multi.end())
    abbr = _ABBR_RE.match(text, i)
    if abbr and abbr.group("abbr") != "Z" and zones.known_word(abbr.group("abbr")):
        zone = _abbreviation_zone(abbr.group("abbr"), ctx)
        if zone:
            # "2:00 PM MST (Arizona time)": a region named right after the abbreviation says
            # which clock it is (Arizona keeps MST all summer, Denver does not).
            paren = re.match(r"\s*[(\[]\s*", text[abbr.end():])
            if paren:
                j = abbr.end() + paren.end()
                place = _MULTI_ZONE_RE.match(text, j)
                # "(Arizona)", "(Saskatchewan time - we don't change our clocks)".
                city = re.match(r"[A-Za-z][A-Za-z ]+?(?=(?:\s+time)?\s*[)\],;–-])", text[j:])
                named = None
                if place:
                    named = (zones.windows_zone(place.group("name"))
                             or _abbreviation_zone(place.group("name"), ctx))
                elif city and zones.CITY_ZONES.get(city.group(0).strip().lower()):
                    named = zones.CITY_ZONES[city.group(0).strip().lower()]
                if named and named != zone:
                    return _Zone(named, ZoneInfo(named), abbr.end())
            return _Zone(zone, ZoneInfo(zone), abbr.end())
    local = _LOCAL_RE.match(text, i)
    if local:
        return _Zone(ctx.tz, ZoneInfo(ctx.tz), local.end())
    city = _CITY_AFTER_RE.match(text, i)
    if city:
        zone = zones.CITY_ZONES[city.group("city").lower()]
        if zone:
            return _Zone(zone, ZoneInfo(zone), city.end())
    return None


def _sent_offset(ctx: Context) -> timedelta | None:
    return ctx.sent.utcoffset() if ctx.sent else None


def _abbreviation_zone(word: str, ctx: Context) -> str | None:
    """`zones.resolve_abbreviation` with the evidence this mail gives."""
    return zones.resolve_abbreviation(
        word, sender_domain=ctx.sender_domain, date_offset=_sent_offset(ctx), user_zone=ctx.tz,
        on=ctx.sent_local)


def _offset_name(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


_DEFAULT_ZONE_RE = re.compile(
    r"(?:time\s*zone|timezone|zeitzone|fuseau horaire|zona horaria)\s*[:=]?\s*|"
    r"(?:all|the) times? (?:(?:are|is|listed|shown|below|above)\s+)*(?:in\s+)?|"
    # "the following openings next week (all Eastern):"
    r"\(all\s+(?!times?\b)(?=[\w ]{2,30}\))",
    re.IGNORECASE,
)


def default_zone(text: str, ctx: Context) -> str | None:
    """A zone the mail states once for all its times ("Time zone: Eastern Time")."""
    for m in _DEFAULT_ZONE_RE.finditer(text):
        z = zone_at(text, m.end(), ctx)  # "Time Zone: (GMT-08:00) Pacific Time"
        if z is not None:
            return z.name
    return None


# ---------------------------------------------------------------------------------------
# Times
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Clock:
    pos: int
    stop: int
    hour: int
    minute: int
    meridiem: str | None  # "a" | "p" | None
    h24: bool  # written as 24-hour ("14:00", "14 Uhr")
    bare: bool = False  # "at 10" with no minutes or meridiem


def _read(clocks: list[_Clock], start: int, end: int | None = None) -> bool:
    """Whether a clock already read covers `start` (or, given, `end`): the patterns after
    `_TIME_RE` only fill the gaps it leaves. Each pattern's own matches never overlap, so
    checking the growing list is the same as checking what was read before it ran."""
    return any(c.pos <= start < c.stop or (end is not None and c.pos < end <= c.stop)
               for c in clocks)


def _clocks(text: str) -> list[_Clock]:
    out: list[_Clock] = []
    for m in _TIME_RE.finditer(text):
        g = m.groupdict()
        if g["noon"]:
            out.append(_Clock(m.start(), m.end(), 12, 0, "p", False))
            continue
        if g["h1"] is not None:
            h, mi, mer = int(g["h1"]), int(g["m1"] or 0), g["mer"].lower()[0]
            if not 1 <= h <= 12:
                continue
            out.append(_Clock(m.start(), m.end(), h, mi, mer, False))
        elif g["h2"] is not None:
            h = int(g["h2"])
            mi = int(g["m2"] if g["m2"] is not None else g["m2b"])
            if h > 23:
                continue
            out.append(_Clock(m.start(), m.end(), h, mi, None, h > 12 or bool(g["suf2"])
                              or "h" in m.group(0).lower()))
        elif g["h3"] is not None:
            h = int(g["h3"])
            if h > 23 or _LENGTH_BEFORE_RE.search(text[max(0, m.start() - 40) : m.start()]):
                continue
            out.append(_Clock(m.start(), m.end(), h, 0, None, True))
    for m in _SHORT_RANGE_RE.finditer(text):
        if _read(out, m.start()):
            continue
        h = int(m.group("h"))
        if 1 <= h <= 12:
            stop = m.start() + len(m.group("h")) + (len(m.group("m")) + 1 if m.group("m") else 0)
            out.append(_Clock(m.start(), stop, h, int(m.group("m") or 0), None, False))
    for m in _BARE_RE.finditer(text):
        if _read(out, m.start("h")):
            continue
        h = int(m.group("h"))
        if 0 <= h <= 23:
            stop = m.end("m") if m.group("m") else m.end("h")
            out.append(_Clock(m.start("h"), stop, h, int(m.group("m") or 0), None, h > 12,
                              bare=True))
    for m in _SPACED_H_RE.finditer(text):
        if _read(out, m.start()):
            continue
        out.append(_Clock(m.start(), m.end(), int(m.group("h")), int(m.group("m")), None, True))
    for m in _COMPACT_RE.finditer(text):
        if _read(out, m.start()):
            continue
        out.append(_Clock(m.start(), m.end(), int(m.group("h")), int(m.group("m")),
                          m.group("mer")[0].lower(), False))
    for m in _MILITARY_RE.finditer(text):
        if _read(out, m.start()) or (m.group("zw") and not zones.known_word(m.group("zw"))):
            continue
        h, mi = (m.group("h"), m.group("m")) if m.group("h") else (m.group("h2"), m.group("m2"))
        out.append(_Clock(m.start(), m.start() + 4, int(h), int(mi), None, True, bare=True))
    for m in _WORD_CLOCK_RE.finditer(text):
        if _read(out, m.start(), m.end()):
            continue
        word = (m.group("hw") or m.group("ow") or m.group("hh") or "").lower()
        h = _HOUR_WORDS.get(word) or int(word)
        if not 1 <= h <= 12:
            continue
        mi = 30 if m.group("hh") else 0
        if m.group("frac"):
            mi = 30 if m.group("frac").lower() == "half" else 15
            if m.group("dir").lower() == "to":
                h, mi = (h - 2) % 12 + 1, 60 - mi
        out.append(_Clock(m.start(), m.end(), h, mi, None, False, bare=True))
    out.sort(key=lambda c: c.pos)
    return out


# British spoken times: "half past two", "quarter to ten", "three o'clock".
_HOUR_WORDS = {w: i + 1 for i, w in enumerate(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
     "eleven", "twelve"])}
# "at half two" is British for 2:30.
_WORD_CLOCK_RE = re.compile(
    r"(?<=\bat )half (?P<hh>" + "|".join(_HOUR_WORDS) + r"|1[0-2]|[1-9])(?![\w:])|"
    r"\b(?:(?P<frac>half|quarter) (?P<dir>past|after|to) (?P<hw>" + "|".join(_HOUR_WORDS)
    + r"|1[0-2]|[1-9])|(?P<ow>" + "|".join(_HOUR_WORDS) + r"|1[0-2]|[1-9]) o['’]clock)\b",
    re.IGNORECASE)


# "The interview starts at 7": a bare hour said to be a start is a time.
_STARTS_AT_RE = re.compile(r"\b(?:starts?|begins?|kicks? off|commences?) (?:at|@)\s*$",
                           re.IGNORECASE)
SAME_TIME_RE = re.compile(r"\b(?:at\s+)?(?:the\s+)?same\s+time\b|\bzur\s+gleichen\s+(?:uhr)?zeit\b|"
                           r"\bà\s+la\s+même\s+heure\b|\ba\s+la\s+misma\s+hora\b", re.IGNORECASE)


def _same_time_clocks(text: str, clocks: list[_Clock], dates: list[DateHit]) -> list[_Clock]:
    """ "Tomorrow at the same time": the clock of the time mentioned before, on a new day."""
    out = []
    for m in SAME_TIME_RE.finditer(text):
        earlier = [c for c in clocks if c.stop <= m.start()]
        near_date = any(0 <= m.start() - d.end <= 6 or 0 <= d.pos - m.end() <= 6 for d in dates)
        if earlier and near_date:
            c = earlier[-1]
            out.append(_Clock(m.start(), m.end(), c.hour, c.minute, c.meridiem, c.h24))
    return out


def _hour24(c: _Clock, partner: _Clock | None, *, h24_text: bool) -> int:
    """The 24-hour hour of a clock time, inferring a missing a.m./p.m.

    Without a meridiem: a 24-hour form is taken as written; in English mail, 1-6 o'clock
    is afternoon and 7-11 morning (interviews happen in working hours); a range's first
    hour borrows the second's meridiem unless that would make it end before it starts.
    """
    h = c.hour
    mer = c.meridiem
    if mer is None and partner is not None and partner.meridiem is not None:
        mer = partner.meridiem
        as_is = _apply(h, mer)
        end = _apply(partner.hour, partner.meridiem)
        if as_is > end:
            mer = "a" if mer == "p" else "p"
    if mer is not None:
        return _apply(h, mer)
    if c.h24 or h > 12 or h == 0:
        return h
    if h24_text and not c.bare:
        return h
    return h + 12 if 1 <= h <= 6 else h


def _apply(h: int, mer: str) -> int:
    if mer == "a":
        return 0 if h == 12 else h
    return h if h == 12 else h + 12


_CLOCK_CHANGE_RE = re.compile(
    # The clause only: "I've booked Tuesday at 4pm (your clocks go back on the 5th)".
    # Anchored at a clause start: unanchored, the leading run is quadratic on long text.
    r"(?:^|(?<=[.!?\n(;]))[^.!?\n(;]*(?:\bdaylight sa\w+(?: time)? (?:starts|begins|ends|"
    r"kicks in)|\bclocks? (?:go|goes|"
    r"change|move|spring|fall)\w* (?:forward|back|ahead)|\b(?:summer|winter) time (?:starts|"
    r"begins|ends)|\bmoves? to (?:british summer time|summer time|winter time|BST|GMT|CEST|CET)\b|"
    r"\bzeitumstellung|\bchangement d'heure|\bcambio de hora)[^.!?\n()]*",
    re.IGNORECASE | re.MULTILINE)


# Links in mail text ("https://...", "www...", Outlook's "<https://...>"): their paths hold
# words, digits and "%3a00"s that are no cues, times or phone numbers.
LINK_RE = re.compile(r"(?:https?://|www\.)\S+|<[^<>\s]+://[^<>]*>", re.IGNORECASE)


def find_times(text: str, ctx: Context, *, h24: bool = False) -> list[Mention]:
    """Every time in the text paired with its date and zone, as instants."""
    if ctx.default_zone is None:
        stated = default_zone(text, ctx)
        if stated:
            ctx = replace(ctx, default_zone=stated)
    # Links are no times ("...context=%7b%22Tid%22%3a%22b1f4" holds a "3a").
    links = [(u.start(), u.end()) for u in LINK_RE.finditer(text)]
    clocks = [c for c in _clocks(text) if not any(a <= c.pos < b for a, b in links)]
    # "Daylight saving starts in NSW on Sunday 4 October": the switch's date is not the
    # interview's, though the next sentence's times may borrow a date from nearby.
    dates = find_dates(_CLOCK_CHANGE_RE.sub(lambda m: " " * len(m.group(0)), text), ctx)
    # Clocks inside a date match (the "10" of "10 July") are not times.
    clocks = [c for c in clocks if not any(d.pos <= c.pos < d.end for d in dates)]
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    mentions: list[Mention] = []
    used_as_end: set[int] = set()
    clocks = clocks + _same_time_clocks(text, clocks, dates)
    clocks.sort(key=lambda c: c.pos)
    distinct_dates = {d.value for d in dates}
    for idx, c in enumerate(clocks):
        if c.pos in used_as_end:
            continue
        partner: _Clock | None = None
        if idx + 1 < len(clocks):
            nxt = clocks[idx + 1]
            if (_RANGE_GAP_RE.match(text[c.stop : nxt.pos]) and nxt.pos - c.stop < 12
                    and not _MOVE_FROM_RE.search(text[max(0, c.pos - 80) : c.pos])):
                partner = nxt
                used_as_end.add(nxt.pos)
        if c.bare and partner is None:
            # "at 10" only counts next to a date word or a zone ("tomorrow at 10").
            near = any(abs(d.end - c.pos) < 25 or abs(c.stop - d.pos) < 25 for d in dates)
            if (not near and zone_at(text, c.stop, ctx) is None
                    and not _STARTS_AT_RE.search(text[max(0, c.pos - 30) : c.pos])):
                continue
        last = partner or c
        h = _hour24(c, partner, h24_text=h24)
        tail = text[last.stop : last.stop + 30]
        if c.meridiem is None and (partner is None or partner.meridiem is None):
            if _PM_WORDS_RE.match(tail) and h < 12:
                h += 12
            elif _AM_WORDS_RE.match(tail) and h >= 12:
                h -= 12
        zone = zone_at(text, last.stop, ctx)
        if zone is None:
            zone = _zone_later_on_line(text, last.stop, ctx)
        line_no = _line_of(line_starts, c.pos)
        day, how = _date_for(c, dates, text, line_starts, line_no, distinct_dates)
        if day is None:
            continue
        if zone is not None:
            tz_: tzinfo = zone.tz
            zname, written = zone.name, True
        elif ctx.default_zone:
            tz_, zname, written = _tz(ctx.default_zone), ctx.default_zone, True
        else:
            tz_, zname, written = ZoneInfo(ctx.tz), ctx.tz, False
        start = datetime.combine(day, time(h, c.minute), tzinfo=tz_)
        end = None
        if partner is not None:
            eh = _hour24(partner, None, h24_text=h24)
            end = datetime.combine(day, time(eh, partner.minute), tzinfo=tz_)
            if end <= start:
                end += timedelta(days=1) if end + timedelta(days=1) - start < timedelta(hours=12) \
                    else timedelta(0)
                if end <= start:
                    end = None
        ls = line_starts[line_no]
        le = text.find("\n", ls)
        line = text[ls : le if le != -1 else len(text)]
        stop = zone.stop if zone is not None else last.stop
        mentions.append(Mention(start, end, zname, written, c.pos, stop, line, how))
    return mentions


def _tz(name: str) -> tzinfo:
    if name.startswith("UTC") and len(name) > 3:
        sign = -1 if name[3] == "-" else 1
        hh, mm = name[4:].split(":")
        return timezone(sign * timedelta(hours=int(hh), minutes=int(mm)))
    return ZoneInfo(name)


def _zone_later_on_line(text: str, pos: int, ctx: Context) -> _Zone | None:
    """A zone later on the same line, in parentheses or after a date ("2pm Tue (ET)")."""
    end = text.find("\n", pos)
    segment_end = min(end if end != -1 else len(text), pos + 60)
    for m in re.finditer(r"\(|\b(?=[A-Z]{2,5}\b)|\b(?=(?:Pacific|Eastern|Central|Mountain)\b)",
                         text[pos:segment_end]):
        start = pos + m.end()
        between = text[pos : pos + m.start()]
        if _TIME_RE.search(between):
            break  # another time comes first: the zone belongs to it
        z = _zone_word(text, start, ctx)
        if z is not None:
            return z
    return None


def _line_of(line_starts: list[int], pos: int) -> int:
    lo, hi = 0, len(line_starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if line_starts[mid] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo


_BY_BEFORE_RE = re.compile(r"\b(?:by|before|until|no later than)\s+(?:the\s+)?$",
                           re.IGNORECASE)


def _date_for(
    c: _Clock, dates: list[DateHit], text: str, line_starts: list[int], line_no: int,
    distinct: set[date],
) -> tuple[date | None, str]:
    """The date a time belongs to: nearest on its line, then nearby lines, then the only one."""
    same = [d for d in dates if _line_of(line_starts, d.pos) == line_no]
    if same:
        def distance(d: DateHit) -> int:
            # Left of the time, measured from the date's end; right, from the time's end.
            if d.end <= c.pos:
                gap = c.pos - d.end
                # A time before a date in the same sentence usually belongs to it ("at 2pm
                # on Tuesday"), but not across another time or a sentence end.
                return gap
            return d.pos - c.stop + 3
        best = min(same, key=distance)
        return best.value, best.how
    # Look up to 3 lines back, then 2 lines ahead, inside the same paragraph.
    for delta in (-1, -2, -3, 1, 2):
        ln = line_no + delta
        if ln < 0 or ln >= len(line_starts):
            continue
        lo, hi = sorted((ln, line_no))
        between = [text[line_starts[i] : line_starts[i + 1]] for i in range(lo + 1, hi)]
        other = text[line_starts[ln] : line_starts[ln + 1] if ln + 1 < len(line_starts) else None]
        if any(not x.strip() for x in between) and len(other.strip()) > 60:
            # Another paragraph of prose ("let me know by Friday" under an agenda), not a
            # label of an HTML form laid out with blank lines ("Date ...", "Time ...").
            continue
        near = [d for d in dates if _line_of(line_starts, d.pos) == ln and not (
            # A deadline below an agenda ("let me know by Friday") is not its day.
            delta > 0 and _BY_BEFORE_RE.search(text[max(0, d.pos - 20) : d.pos]))]
        if near:
            # "Date: 12 November 2026 (Thursday)": the written date, not the weekday's
            # next occurrence.
            near = [d for d in near if d.how == "explicit"] or near
            pick = near[-1] if delta < 0 else near[0]
            return pick.value, "line-near" if pick.how == "explicit" else pick.how
    if len(distinct) == 1:
        only = next(d for d in dates)
        return only.value, "sole-date"
    # An agenda under its day ("Here's everything for Tuesday 27 October", then one
    # paragraph per session): the one date written above, whatever deadline comes after.
    above = {d.value for d in dates if d.end <= c.pos}
    if len(above) == 1:
        return above.pop(), "sole-date"
    return None, ""


# ---------------------------------------------------------------------------------------
# Choosing the interview time
# ---------------------------------------------------------------------------------------

_POSITIVE_RE = re.compile(
    r"interview|screen|call\b|chat\b|conversation|meeting|meet\b|speak|talk|connect|"
    r"schedul|confirm|booked|invit|session|when\s*:|time\s*:|date\s*:|start|"
    r"gespräch|termin|wann|entretien|rendez-vous|rdv|entrevista|reunión|llamada|cita",
    re.IGNORECASE,
)
_LABEL_RE = re.compile(
    r"^\s*[*•\-]?\s*(?:when|time|date|date\s*(?:&|and|/)\s*time|date/time|start|"
    r"interview (?:date|time)|scheduled (?:for|time)|new time|updated time|datum|uhrzeit|"
    r"wann|termin|date et heure|heure|fecha|hora|fecha y hora|event date/time)\s*:",
    re.IGNORECASE,
)
# Words right before a time that make it not the start of the interview.
_ARRIVAL_RE = re.compile(
    r"(?:arriv\w*|check[- ]?in|checkin|reporting(?: time)?|be (?:there|here|on[- ]site|in the lobby) (?:by|at)|"
    r"report to|get here|show up|be at (?:the|our) (?:front desk|reception|lobby)|"
    r"\bbe at (?:[\w-]+ ){1,4}at|"
    r"reception|lobby|doors open|parking|security desk|badge|registration|"
    r"eintreffen|ankommen|seien sie|arrivée|présentez-vous|lleg\w*|preséntate)"
    r"\W+(?:[\w'’]+\W+){0,6}$",
    re.IGNORECASE,
)
# "8:45 - check in at reception" in an agenda: the words after the time say it.
_ARRIVAL_AFTER_RE = re.compile(
    r"^\s*\W{0,5}(?:(?:please\s+)?(?:arriv\w*|check[- ]?in|sign[- ]in|registration|"
    r"(?:hotel )?pick-?up|shuttle|taxi|transport(?:ation)? to|"
    # "join Wen's room at 9:25 for a quick audio/video check": a check before the start.
    r"for an? (?:quick |short )?(?:audio|video|tech(?:nical)?|sound|equipment|mic)\S*[ -]check|"
    r"welcome (?:and|&) check|badge|security|reception|lobby|doors open|ankunft|accueil|"
    r"llegada))", re.IGNORECASE)
_CLOCKISH_RE = re.compile(r"\d{1,2}[:.]\d\d|\d\s*[ap]\.?m\b", re.IGNORECASE)
_END_BEFORE_RE = re.compile(
    r"\b(?:wrap(?:s|ping)?(?: up)?|finish(?:es|ing)?|end(?:s|ing)?|(?:be )?done|over|"
    r"until|till|through)\s+(?:around|at|by|about|approximately|approx\.?)?\s*$|"
    # A labelled line: "End Time: 15:45 (GMT) Dublin", "Ende: 15:30 Uhr".
    r"^\W*(?:end|finish|ende|endzeit|fin|heure de fin|hora de (?:fin|término))"
    r"(?: time)?\s*:\s*$",
    re.IGNORECASE)
_DEADLINE_RE = re.compile(
    r"(?:reply|respond|confirm|let (?:me|us) know|get back to (?:me|us)|submit|complete|"
    r"send (?:\w+\s+){0,3}|return|rsvp|accept|sign|deadline|expires?|no later than|"
    r"hear back|get back to you|update you|decision|"
    r"antworten|bestätigen|répondre|confirmer|responder|confirmar)"
    r"\W+(?:[\w'’]+\W+){0,8}(?:by|before|until|bis|avant|antes)\W+(?:[\w'’,]+\W+){0,4}$",
    re.IGNORECASE,
)
# "Anything between 9:00 and 17:30 GMT works", "I'm free from 2 to 5": a window of
# availability, not an interview.
_WINDOW_BEFORE_RE = re.compile(
    r"\b(?:anything|any ?time|anywhere|free|available|open|flexible|works?|usually|generally)"
    r"\s+(?:[\w'’]+\s+){0,4}(?:between|from)\s*$|\bbetween the hours of\s*$|"
    r"\(\s*between\s+$|"  # "contact Ms. Swathi at 98490 12345 (between 9 AM and 6 PM)"
    # "send me a few times that work next week (Monday to Thursday, between 9am and 4pm)"
    r"\b(?:times|slots|windows|availability)\b[^.?!]{0,80}\bbetween\s+$|"
    # "this role supports 2nd shift (2:30 PM - 11:00 PM)": working hours, not the interview.
    # "(Mon–Fri, 7am–7pm CT)": a help desk's opening hours.
    r"\b(?:mon|monday)\s*[-–—]\s*(?:fri|friday|sat|saturday)\w*[,:]?\s*$|"
    r"(?<!trial )(?<!working )\b(?:shift|shifts|working hours|office hours|opening hours|"
    r"business hours)"
    r"\W{0,3}(?:(?:is|are|runs?|from)\W+)?$",
    re.IGNORECASE)
# "Fecha de recepción: 14/09/2026 10:32", "Submitted on: ...": when mail was received.
_RECEIPT_RE = re.compile(
    r"^\s*\*?(?:fecha de (?:recepción|envío|solicitud)|date (?:received|submitted|applied)|"
    r"(?:received|submitted|applied)(?: on)?|eingegangen am|eingang|reçue? le|"
    r"date de (?:réception|candidature))\s*:", re.IGNORECASE)
_SENDER_SIDE_RE = re.compile(
    r"\s*(?:for me|my time|on my (?:end|side)|for us|our time|(?:over|out) here|here in)\b",
    re.IGNORECASE)
_HEADERISH_RE = re.compile(
    r"^\s*\*?(?:sent|date|gesendet|datum|envoyé|enviado|received)\s*:", re.IGNORECASE)
# Words before a time that mark it as the old time of a moved interview.
_OLD_RE = re.compile(
    r"\b(?:reschedul\w*|mov(?:e|ed|ing)|push(?:ed|ing)?|postpon\w*|shift\w*|chang\w*|"
    r"instead of|rather than|originally|previously|original|previous|old time|former(?:ly)?|"
    r"was (?:scheduled|booked|set|planned)|call(?:ing|ed)? off|(?:before|earlier) it was|"
    r"(?<=\()it was|"
    r"cancel\w*|can(?:no|')t make|cannot make|can(?:no|')t do|cannot do|conflict with|"
    r"bisherige\w*|ancien\w*|anterior|"
    r"verschieb\w*|verleg\w*|statt|anstelle|absagen|abgesagt|nicht wie (?:geplant|vorgesehen)|"
    r"au lieu de|initialement|prévu|déplac\w*|report\w*|annul\w*|"
    r"reprogram\w*|en lugar de|en vez de|cambi\w*|cancel\w*|"
    # "la entrevista que teníamos programada para el próximo martes ... a las 10:00"
    r"programad[ao]s? para|previst[ao]s? para|agendad[ao]s? para)\b",
    re.IGNORECASE,
)
_NEW_BETWEEN_RE = re.compile(
    r"\b(?:to|for|until|now|into|auf|à|au|al|a|para|pour|sur|new|neuer|nouvelle|nueva)\b",
    re.IGNORECASE)
_DURATION_RE = re.compile(
    "(?:" + "|".join(f"(?<={w})" for w in _LENGTH_LABELS) + r")(?P<n3>\d)\s*h\b|"
    r"(?P<n>\d{1,3}|an?|one|une?|eine[rn]?|una?|half an?)[\s-]*(?P<unit>minutes?|mins?\b|"
    r"hours?|hrs?\b|"
    r"minuten|stunden?|heures?|horas?|minutos)\b"
    r"(?!\s+(?:before|early|earlier|prior|ahead|late|after|in advance|of your time|avant|"
    r"plus tôt|vorher|früher|antes|de antelación|buffer))", re.IGNORECASE)


@dataclass(frozen=True)
class Choice:
    """The interview time the text states, and what else was found around it."""

    best: Mention | None
    candidates: tuple[Mention, ...] = ()  # all usable (not old, not arrival, not deadline)
    old: tuple[Mention, ...] = ()  # times marked as the old slot of a move/cancel
    alternatives: bool = False  # several different slots offered, none chosen


_ALTERNATIVES_RE = re.compile(
    r"\bor\b|\boptions?\b|\bslots?\b|\bwhich (?:of these|one|works|would|time)|"
    r"following times|any of (?:these|the)|availabilit|work(?:s)? for you|\boder\b|"
    r"\bou\b|\bo\b|créneaux|disponibilit|opciones|horarios|zeitfenster|vorschläge|"
    r"let me know (?:what|which)",
    re.IGNORECASE,
)
_CHOOSE_RE = re.compile(
    r"\bwhich of (?:the following|these|those)\b|\blet me know which\b|\bpick (?:one|a slot)\b|"
    r"\bchoose (?:one|a slot)\b|\bwelche[rn]? (?:der folgenden|termin)|\blequel de ces\b|"
    r"\bcuál de (?:estos|estas|los siguientes)\b|\bquel(?:le)? (?:option|créneau|horaire)\b|"
    r"\bqué opción\b", re.IGNORECASE)
_FIRM_RE = re.compile(
    r"\bconfirm(?:ed|ing|ation)\b|\bscheduled (?:for|on)\b|\bis (?:set|booked) for\b|"
    r"\bbooked\b|\bsee you\b|\blooking forward to (?:speaking|talking|meeting|our)|"
    r"\binvitation\b|\bhas been scheduled\b|\bbestätig|\bconfirmé|\bconfirmad|"
    r"\b(?:pleased|delighted|happy) to invite you\b",
    re.IGNORECASE,
)


def choose_time(text: str, mentions: list[Mention], *, moving: bool = False) -> Choice:
    """Score the times of a text and pick the interview's start.

    `moving` says the mail reschedules or cancels, so a time right after "moved"/"instead of"
    is the old slot and does not count.
    """
    if not mentions:
        return Choice(None)
    olds = _old_positions(text, mentions) if moving else set()
    scored: list[Mention] = []
    old: list[Mention] = []
    ends: list[Mention] = []
    for mt in mentions:
        before = text[max(0, mt.pos - 90) : mt.pos]
        sentence_before = re.split(r"[.!?;]\s|\n", before)[-1]
        flags: set[str] = set()
        if _END_BEFORE_RE.search(sentence_before):
            flags.add("end")  # "... start at 9am and wrap around 1pm": the end, not a start
        after = text[mt.stop : mt.stop + 40].split("\n", 1)[0]
        # "Time: 10:30am - please arrive for 10:15": arrival words that name a time of
        # their own are about that time.
        if _ARRIVAL_RE.search(sentence_before) or (
                _ARRIVAL_AFTER_RE.match(after) and not _CLOCKISH_RE.search(after)):
            flags.add("arrival")
        if _DEADLINE_RE.search(sentence_before):
            flags.add("deadline")
        if _WINDOW_BEFORE_RE.search(sentence_before):
            flags.add("window")
        if _HEADERISH_RE.match(mt.line) and (
            re.match(r"\s*\*?(?:sent|gesendet|envoyé|enviado|received)", mt.line, re.IGNORECASE)
            or _FROM_LINE_RE.search(text[max(0, mt.pos - 300) : mt.pos])
            or re.search(r"^\s*\*?(?:subject|betreff|objet|asunto|to|an|à|para)\s*:",
                         text[mt.pos : mt.pos + 300], re.IGNORECASE | re.MULTILINE)
        ):
            # A "Date:" line of a quoted or forwarded header block, not a label of ours.
            flags.add("header")
        if _RECEIPT_RE.match(mt.line):
            flags.add("header")
        if _SENDER_SIDE_RE.match(text[mt.stop : mt.stop + 40]):
            flags.add("sender-side")  # "(That's 7 am for me out here in Vancouver)"
        if mt.pos in olds:
            flags.add("old")
        score = {"explicit": 3.0, "weekday": 2.5, "relative": 2.5, "line-near": 2.0,
                 "sole-date": 1.0}.get(mt.date_how, 1.0)
        if _LABEL_RE.match(mt.line):
            score += 2.0
        window = text[max(0, mt.pos - 120) : mt.stop + 60]
        if _POSITIVE_RE.search(window):
            score += 1.0
        if mt.zone_written:
            score += 0.5
        m2 = replace(mt, score=score, flags=frozenset(flags))
        if "old" in flags:
            old.append(m2)
        elif flags == {"end"}:
            ends.append(m2)
        elif not flags:
            scored.append(m2)
    # "Before it was at 15:00 CET (9:00 New York)": the old slot restated in another zone
    # is the old slot too.
    old_instants = {m.start.astimezone(UTC) for m in old}
    scored = [m for m in scored if m.start.astimezone(UTC) not in old_instants]
    if not scored:
        return Choice(None, (), tuple(old))
    top = max(m.score for m in scored)
    best = min((m for m in scored if m.score >= top - 0.01), key=lambda m: m.pos)
    # A multi-session day (an onsite loop) starts with its first session.
    same_day = [m for m in scored if m.start.date() == best.start.date()
                and m.zone == best.zone and m.score >= top - 2.5]
    first = min(same_day, key=lambda m: m.start)
    if first.start < best.start:
        best = first
    distinct_days = {m.start.date() for m in scored}
    distinct_instants = {m.start.astimezone(UTC) for m in scored}
    alternatives = False
    # "Could you let me know which of the following slots works? Once you confirm, I'll
    # send an invitation": asking to choose outweighs the word "invitation".
    choose = _CHOOSE_RE.search(text)
    if len(distinct_instants) >= 2 and (_ALTERNATIVES_RE.search(text) or choose) and (
            not _FIRM_RE.search(text) or choose):
        alternatives = len(distinct_days) >= 2 or bool(
            re.search(r"\b(?:or|oder|ou|o)\b", _between(text, scored)))
    if best.end is None:
        later = [m for m in ends if best.start < m.start < best.start + timedelta(hours=12)]
        if later:
            best = replace(best, end=later[0].start)
    if best.end is None:
        # "10:00 a.m. PT / 1:00 p.m. ET" on one line, "10:00 - 10:45 a.m. PT" in the agenda.
        twin = [m for m in scored if m.start == best.start and m.end is not None]
        best = replace(best, end=twin[0].end) if twin else _with_duration(text, best)
    return Choice(best, tuple(scored), tuple(old), alternatives)


def _between(text: str, ms: list[Mention]) -> str:
    lo = min(m.pos for m in ms)
    hi = max(m.pos for m in ms)
    return text[lo:hi]


# "prévu demain (jeudi) à 14h": a day named in words before "à" makes it "at" too.
_DAY_WORD_RE = re.compile(r"\b(?:" + _alt(list(_WEEKDAYS) + list(_REL_WORDS)) + r")\b",
                          re.IGNORECASE)


def _old_positions(text: str, mentions: list[Mention]) -> set[int]:
    """Positions of times that a move or cancel word marks as the old slot.

    - right after a move word with no "to"/"for"/"new" in between ("move your Tuesday 2pm",
      "instead of Monday at 10", "previously Mon, Apr 28 at 1:00 PM");
    - before a move or cancel word in the same sentence ("Tuesday's 2pm call needs to
      move", "the interview on June 10 at 3 PM has been canceled"), except for the
      forward-pointing ones ("10am instead of Tuesday": 10am is the new time);
    - a label such as "Changed:" or "Rescheduled:" introduces the new time, not the old.
    """
    out: set[int] = set()
    for m in _OLD_RE.finditer(text):
        if re.match(r"\s*:", text[m.end() : m.end() + 3]) and not re.match(
            r"(?:previous|original|old|former|bisher|ancien|anterior)", m.group(0), re.IGNORECASE
        ):
            continue
        for mt in mentions:
            if mt.pos < m.end() or mt.pos - m.end() > 70:
                continue
            between = text[m.end() : mt.pos]
            # "originally scheduled for 10 Dec at 2pm": that "for" points at the old slot.
            between = re.sub(r"^\s*(?:scheduled|set|planned|booked)\s+(?:for|on|at)\b", " ",
                             between, flags=re.IGNORECASE)
            # "prévu le mardi 10 juin à 11h00": the "à"/"at" right before the clock, after a
            # date, says "at", not "to"; only the words before the date can point forward.
            at = re.search(r"\s(?:à|a|at|um|al|a las|a la)\s*$", between, re.IGNORECASE)
            if at and (re.search(r"\d", between[: at.start()])
                       or _DAY_WORD_RE.search(between[: at.start()])):
                between = between[: at.start()]
            if _NEW_BETWEEN_RE.search(between) or "\n\n" in between or re.search(
                r"[.!?]\s", between
            ):
                break
            out.add(mt.pos)
            break  # a move word names one old slot
        if _FORWARD_CUE_RE.fullmatch(m.group(0)):
            continue
        sentence_start = sentence_break_before(text, m.start())
        # A line break ends the sentence unless the line wraps ("... at 11:00 AM EST\nhas
        # been cancelled").
        base = sentence_start + 1
        for nl in re.finditer(r"\n(?![ \t]*[a-zà-ÿ])", text[base : m.start()]):
            sentence_start = base + nl.start()
        for mt in mentions:
            # "Ich habe den Termin auf Donnerstag, 26.03., 15:30 verlegt": the slot the
            # interview goes to ("auf", "to") before the verb is the new one.
            target = re.search(r"\b(?:auf|to|à|au|al|a|para)\s+(?:(?:den|die|das|the|le|el)\s+)?"
                               r"[^!?\n]{0,40}$", text[max(0, mt.pos - 60) : mt.pos],
                               re.IGNORECASE)
            if (sentence_start < mt.pos < m.start() and not _LABEL_RE.match(mt.line)
                    and not (target and m.group(0).lower().startswith(("verleg", "verschob",
                                                                        "verschieb")))):
                out.add(mt.pos)
    # "from X to Y" inside a move: X is old even with "from" being a plain word.
    for m in re.finditer(r"\bfrom\b|\bvon\b|\bdu\b|\bdel\b|\bde\b", text, re.IGNORECASE):
        follow = [mt for mt in mentions if 0 <= mt.pos - m.end() <= 50]
        if not follow:
            continue
        first = min(follow, key=lambda mt: mt.pos)
        rest = text[first.stop : first.stop + 80]
        if re.search(r"\b(?:to|auf|à|au|a|al)\b", rest) and any(
            mt.pos > first.pos and mt.pos - first.stop <= 80 for mt in mentions
        ) and first.end is None:
            out.add(first.pos)
    return out


_SENTENCE_BREAKS = (". ", "? ", "! ", "\n\n")


def sentence_break_before(text: str, pos: int) -> int:
    """Where the sentence holding `pos` starts: the index of the break before it, or -1."""
    return max(text.rfind(x, 0, pos) for x in _SENTENCE_BREAKS)


def sentence_break_after(text: str, pos: int) -> int:
    """Where the sentence holding `pos` ends: the index of the next break, or len(text)."""
    found = [i for i in (text.find(x, pos) for x in _SENTENCE_BREAKS) if i != -1]
    return min(found) if found else len(text)


_FORWARD_CUE_RE = re.compile(
    r"instead of|rather than|statt|anstelle|au lieu de|en lugar de|en vez de|previously|"
    r"originally|previous|original|it was", re.IGNORECASE)


def _with_duration(text: str, m: Mention) -> Mention:
    """An end from a stated length ("a 30-minute call") near the time, when no range."""
    window = text[max(0, m.pos - 300) : m.stop + 400]
    # "Please allow 30-45 minutes": a length given as a range states no end.
    d = next((x for x in _DURATION_RE.finditer(window) if not re.search(
        r"\b(?:back|by|forward|out|up|early)\s*$|\d\s*(?:-|–|—|to|or)\s*$",
        window[: x.start()], re.IGNORECASE)), None)
    if not d:
        return m
    if d.group("n3"):
        return replace(m, end=m.start + timedelta(hours=int(d.group("n3"))))
    n_word = d.group("n").lower()
    unit = d.group("unit").lower()
    if n_word.startswith("half"):
        minutes = 30
    else:
        n = int(n_word) if n_word.isdigit() else 1
        minutes = n * 60 if unit.startswith(("h", "stund", "heur", "hora")) else n
    if not 10 <= minutes <= 8 * 60:
        return m
    return replace(m, end=m.start + timedelta(minutes=minutes))


# ---------------------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------------------

_BRIDGE_RE = re.compile(
    r"dial[- ]?in|dial by your location|meeting id|conference id|passcode|pin\b|one tap|"
    r"tap mobile|join by phone|join (?:via|by) (?:audio|phone)|audio only|audio conference|"
    r"toll|zoom|teams|webex|google meet|meet\.google|bridge|access code|local number|"
    r"call in \(|phone conference|conference (?:line|number)|,,|#\s*$|\bid\s*:|"
    r"einwahl|konferenz|numéro de conférence|numero de conferencia|"
    r"or call|join by telephone",
    re.IGNORECASE,
)
_FAX_RE = re.compile(r"\bfax\b", re.IGNORECASE)
_PHONE_POSITIVE_RE = re.compile(
    r"call (?:you|u)\b|reach you|ring you|call (?:me|us)\b|give (?:me|us) a (?:call|ring)|"
    r"\bdial\b|please call|phone number|number\s*:|call from|calling from|will call|"
    r"be calling|\bcall-?in|"
    # "at the number on your application" points at the candidate's, not a number here.
    r"(?:at|on) the number(?! (?:on|in|from|you|we have|listed|provided)\b)|phone\s*:|telephone\s*:|\btel\s*[.:]|"
    r"location\s*:|\bcell\b|\bmobile\b|"
    r"anrufen|rufe\w* .{0,20}an|unter der nummer|telefonnummer|appellera|appeler|"
    r"au numéro|llamar|llamaremos|al número|número",
    re.IGNORECASE,
)
_SIG_LABEL_RE = re.compile(
    r"^\s*(?:o|t|m|p|d|c|office|tel|tél|tfno|tlf|teléfono|telefon|phone|direct|main|mobile|"
    r"móvil|movil|mobil|handy|portable|cell|work|ph|zentrale|standard|centralita)\b\.?\s*[:|]",
    re.IGNORECASE,
)


# A letterhead line: "2200 N Central Ave, Phoenix, AZ 85004 · Main (602) 555-0100".
_MIDLINE_LABEL_RE = re.compile(
    r"(?:[·•|]|\.)\s*(?:main|office|tel|tél|phone|t|switchboard|reception|head office|zentrale|"
    r"standard|centralita)\b\.?\s*:?\s*$", re.IGNORECASE)
_SIG_BARE_LABEL_RE = re.compile(
    r"^\s*(?:office|tel|phone|direct|main|mobile|cell|work|ph|[tmpodfc])\b\.?\s+(?=[+(\d])",
    re.IGNORECASE)


# The candidate's own number, told as the one the interviewer will call them AT ("I'll call
# you at", "we will reach you on", "Jordan will call Alex at", "on the number you provided:
# X"). The contract's `phone` is the number the call itself uses (to dial, or called from),
# so such a number is `callee_phone`, never `phone`. "I'll call you from X" and "please call
# Marcus at X" stay the call's number.
_CALLEE_VERB_RE = re.compile(
    r"\b(?:call|ring|phone|dial|reach|contact|text|buzz)(?:ing|ed|s)?\s+(?:you|u)\b|"
    r"\b(?:call|ring|phone|dial|reach|text|buzz)(?:ing|ed|s)?\s+your\s+(?:\w+\s+)?"
    r"(?:cell|mobile|phone|number|line|landline)\b|"
    r"\bgive (?:you|u) a (?:call|ring|buzz)\b|"
    r"\b(?:vous|te|t['’])\s*(?:appel|rappel|contact|joindr|téléphon)\w*|"
    r"\b(?:te|le|lo|la|les)\s+(?:llam|contact|marc|telefone)\w*|"
    r"(?<![Bb]itte )\b(?:rufe|rufen|ruft|anrufen)\w*\s+(?:\w+\s+){0,2}?(?:Sie|dich)\b"
    r"(?!\s+(?:mich|uns|Herrn?|Frau|Dr)\b)|"
    r"\b(?:erreichen|kontaktieren)\s+(?:\w+\s+){0,2}?(?:Sie|dich)\b",
    re.IGNORECASE,
)
# "Victor Huang will call Alex directly at ...": a named callee needs the future tense
# (an imperative "Please call Marcus at" is a number to dial).
_CALLEE_NAMED_RE = re.compile(
    r"(?<![Yy]ou )(?:\b(?:[Ww]ill|[Ss]hall|[Gg]oing to)|['’]ll)\s+(?:\w+\s+)?"
    r"(?:call|ring|phone|dial|reach|contact)\s+[A-Z][a-z]+\b")
_CALLEE_TAIL_RE = re.compile(
    r"\b(?:at|on|au|al|unter|using|via)\b"
    r"(?:[^.!?\d]{0,50}?\b(?:number|nummer|rufnummer|numéro|número|cell|mobile|phone|line|"
    r"resume|résumé|cv|file)\b[^.!?\d]{0,40}?)?[\s:,(]*$",
    re.IGNORECASE,
)
_CALLEE_NOMINAL_RE = re.compile(
    r"\b(?:at|on|via|using)\s+(?:the\s+)?(?:(?:phone|cell|mobile)\s+)?(?:number|phone|cell|mobile)\s+"
    r"(?:you\s+(?:provided|gave|shared|listed|entered|left|supplied|sent)(?:\s+us)?|"
    r"(?:on|from)\s+(?:your|the)\s+(?:resume|résumé|cv|application|file|profile)|"
    r"we have (?:on file|for you))"
    r"(?:\s*(?:is|:|,|-|–|—))?\s*\(?$|"
    r"\byour\s+(?:cell|mobile|phone|number|phone number|cell number|mobile number)"
    r"(?:\s+(?:on file|we have))?\s*(?:is|:|,|-|–|—)?\s*\(?$|"
    # "unter der in Ihren Unterlagen angegebenen Nummer (+43 ...)", "au numéro que vous
    # nous avez communiqué", "al número que nos indicaste".
    r"\bunter (?:der|ihrer) (?:in ihren (?:bewerbungs)?unterlagen )?(?:angegebenen )?"
    r"(?:telefon|handy|mobil)?nummer\s*:?\s*\(?$|"
    r"\bau numéro (?:que vous (?:nous )?avez (?:communiqué|indiqué|donné)|indiqué)"
    r"\s*:?\s*\(?$|"
    r"\bal número (?:que nos (?:facilitaste|indicaste|diste)|indicado)\s*:?\s*\(?$|"
    # "sur votre portable (06 ...)", "auf Ihrer Mobilnummer (+41 ...)".
    r"\bsur votre (?:portable|mobile|téléphone|numéro)\s*:?\s*\(?$|"
    r"\bauf ihrer (?:mobil|handy|telefon)nummer\s*:?\s*\(?$|\bauf ihrem (?:handy|mobiltelefon)"
    r"\s*:?\s*\(?$|\b(?:a|en) (?:tu|su) (?:móvil|celular|teléfono)\s*:?\s*\(?$|"
    # A booking summary: "Customer name: ... Customer phone: 07911 654321".
    r"\b(?:customer|candidate|attendee|invitee|applicant)\s+(?:phone|mobile|cell|telephone)"
    r"(?:\s+number)?\s*:\s*$",
    re.IGNORECASE,
)
# Words between "call you" and the number that make it the caller's or another's number.
_NOT_CALLEE_RE = re.compile(
    r"\b(?:from|desde|von|vom|depuis)\b|"
    r"\b(?:call|ring|phone|text|reach|contact)\w*\s+(?:me|us|him|her|them)\b|"
    r"\bdial\b(?!\s+(?:you|u)\b)|\bmy\s+(?:own\s+)?(?:number|cell|mobile|direct|line|phone|office)\b",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(
    r"(?<![ap]\.m)(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bMrs)[.!?](?=\s)|\n\s*\n")


# "Questions? Call us at ...", "For accommodations, please contact ...": a help line, not
# the interview's number.
HELPLINE_RE = re.compile(
    r"\b(?:questions?|quer(?:y|ies)|assistance|accommodations?|help|support|trouble|problems?|"
    r"issues?|difficult(?:y|ies)|concerns?|accessibility|fragen|hilfe|besoin d'aide|preguntas|"
    r"dudas)\b[^.!\n]{0,60}?[?,:]?\s*(?:please\s+)?(?:feel free to\s+)?(?:call|contact|reach|"
    r"ring|phone|text)(?:\s+(?:us|me|our|the)\b|\s*:)|"
    # "If you are unable to attend, please notify us ... by telephone on", "Need to
    # reschedule? ... call our recruiting line": the office, not the interview.
    r"\b(?:unable to attend|cannot attend|can'?t attend|can'?t make it|need to reschedule|"
    r"running late|if (?:anything|something) comes up|if you get lost|if you can'?t find)\b(?:[^.!\n]|\.(?=\w)){0,80}?\b(?:call|telephone|phone|ring|text)\b|"
    r"\b(?:cualquier (?:cosa|duda|pregunta)|si tienes (?:alguna )?(?:duda|pregunta)|"
    r"bei (?:fragen|rückfragen)|pour toute question|en cas de (?:question|besoin))\b"
    r"[^.!\n]{0,80}?\b(?:llam\w*|anruf\w*|erreichen|appel\w*|contact\w*|téléphon\w*)",
    re.IGNORECASE,
)


def _line_before(text: str, start: int) -> str:
    return text[max(text.rfind("\n", 0, start) + 1, start - 160) : start]


def _is_callee(text: str, start: int) -> bool:
    """Whether the number at `start` is told as the one the candidate will be called AT."""
    window = text[max(0, start - 220) : start]
    ends = list(_SENTENCE_END_RE.finditer(window))
    if ends:
        window = window[ends[-1].end() :]
    if _CALLEE_NOMINAL_RE.search(window):
        return True
    if not _CALLEE_TAIL_RE.search(window):
        return False
    verbs = list(_CALLEE_VERB_RE.finditer(window)) + list(_CALLEE_NAMED_RE.finditer(window))
    if not verbs:
        return False
    last = max(v.end() for v in verbs)
    return not _NOT_CALLEE_RE.search(window[last:])


@dataclass(frozen=True)
class PhoneHit:
    e164: str
    pos: int
    where: str  # "text" | "signature" | "calendar" | "helpline"
    bridge: bool
    positive: bool
    callee: bool = False  # told as the candidate's own number, the one they will be called at


def find_phones(text: str, region: str, where: str = "text",
                others: tuple[str, ...] = ()) -> list[PhoneHit]:
    """Phone numbers in a text with the context that says what they are for.

    Numbers are accepted when phonenumbers calls them *possible* (right length for the
    country), not only *valid*: fictional numbers in tests and some real new ranges fail
    the stricter check, and the context words below already keep meeting ids out.
    """
    import phonenumbers

    # Links hold digit runs ("cancellations/8f3e21a4-5b6c-...-23456789abcd"), never numbers
    # to call (a "tel:" link repeats the number written beside it).
    text = LINK_RE.sub(lambda m: " " * len(m.group(0)), text)
    out: list[PhoneHit] = []
    try:
        matcher = phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.POSSIBLE, max_tries=200)
        matches = list(matcher)
    except Exception:  # phonenumbers is robust, but a crash here must not lose the mail
        return out
    for match in matches:
        num = match.number
        if not phonenumbers.is_possible_number(num):
            continue
        raw = match.raw_string
        if others and not raw.lstrip("(").startswith(("+", "00")) and not (
                phonenumbers.is_valid_number(num)):
            # A national number that is no number in `region`: the first of `others` where
            # it is one (the caller's evidence of where the sender is).
            for other in others:
                try:
                    alt = phonenumbers.parse(raw, other)
                except phonenumbers.NumberParseException:
                    continue
                if phonenumbers.is_valid_number(alt):
                    num = alt
                    break
        digits = re.sub(r"\D", "", raw)
        if len(digits) < 7:
            continue
        # Plain digit runs without any phone punctuation are ids, not numbers.
        if not re.search(r"[+()\-. ]", raw.strip()) and not raw.startswith("+"):
            continue
        # "16.10.2025", "2025-10-16": a date, not a number.
        if re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}",
                        raw.strip()):
            continue
        ls = text.rfind("\n", 0, match.start) + 1
        prev = text.rfind("\n", 0, max(0, ls - 1)) + 1
        le = text.find("\n", match.end)
        line = text[ls : le if le != -1 else len(text)]
        context = text[prev : le if le != -1 else len(text)]
        before = text[ls : match.start]
        after = text[match.end : match.end + 12]
        if _FAX_RE.search(before):
            continue
        block_start = text.rfind("\n\n", 0, match.start)
        block = text[max(block_start, match.start - 400, 0) : match.start]
        # HTML mail puts every line in its own paragraph: the label is the line above the
        # blank one ("Dial by your location", then the numbers).
        above = [x for x in text[max(0, ls - 300) : ls].split("\n") if x.strip()][-3:]
        bridge = bool(_BRIDGE_RE.search(context) or _BRIDGE_RE.search(block)
                      or any(_BRIDGE_RE.search(x) for x in above)
                      or after.lstrip().startswith((",", "#")))
        positive = bool(_PHONE_POSITIVE_RE.search(text[max(0, match.start - 100) : match.start]))
        kind = where
        label = _SIG_LABEL_RE.match(line)
        bare = _SIG_BARE_LABEL_RE.match(line)
        owned = bool(label and ls + label.end() + 3 >= match.start
                     or bare and ls + bare.end() >= match.start
                     or _MIDLINE_LABEL_RE.search(before)
                     # "Medical Center · 2801 NE Sandy Blvd, Portland · (503) 555-0100"
                     or (sum(before.count(c) for c in "·•|") >= 2
                         and re.search(r"[·•|]\s*$", before)))
        if owned:
            # "Tel: +65 ...", "Cell 646-555-0111" under a name: the label is the line's own,
            # not a call to that number, so only the words before the line can make it the
            # call's number.
            # Only words in its own paragraph: "I'll ring your cell." above a sign-off and
            # a name is about another number.
            lead = text[max(0, match.start - 100) : ls]
            positive = bool(_PHONE_POSITIVE_RE.search(lead[lead.rfind("\n\n") + 1 :]))
        if where == "text" and not positive and (label or owned):
            kind = "signature"
        e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
        callee = _is_callee(text, match.start)
        if kind == "text" and (HELPLINE_RE.search(_line_before(text, match.start)) or (
                # "For any queries, contact:" over a name, a title and the number.
                not positive and all(len(x) <= 60 for x in above[1:])
                and above and HELPLINE_RE.search(above[0]))):
            kind = "helpline"
        out.append(PhoneHit(e164, match.start, kind, bridge, positive, callee))
    return out


def pick_phone(hits: list[PhoneHit], *, medium: str | None, video_link: bool) -> str | None:
    """The number the interview call itself uses, or None.

    A number told in words ("dial", "I'll call you from") wins. Bridge numbers count only
    when there is no video meeting (a phone conference line *is* the call); signature
    lines never count on their own. The candidate's own number ("I'll call you at X",
    see `pick_callee`) is never the call's number, wherever else it appears.
    """
    if medium == "onsite":
        # An interview in person has no call: "call my cell if you get lost" is a contact.
        return None
    own = {h.e164 for h in hits if h.callee and h.where != "signature"}
    usable = [h for h in hits if h.where not in ("signature", "helpline")
              and h.e164 not in own]
    positive = [h for h in usable if h.positive and not h.bridge]
    if positive:
        return positive[0].e164
    if medium == "phone" and not video_link:
        # "Please dial our conference line at ..., access code ...": a phone-only bridge
        # told in words is the call itself, ahead of any stray number.
        told = [h for h in usable if h.positive and h.bridge]
        if told:
            return told[0].e164
    if medium == "phone":
        plain = [h for h in usable if not h.bridge]
        if plain:
            return plain[0].e164
        if not video_link:
            bridges = [h for h in usable if h.bridge]
            if bridges:
                return bridges[0].e164
    return None


def pick_callee(hits: list[PhoneHit]) -> str | None:
    """The candidate's own number the interviewer says they will call ("I'll call you at
    X", "we will reach you on X", "on the number you provided: X"), or None."""
    told = [h for h in hits if h.callee and h.where != "signature"]
    return told[0].e164 if told else None


# ---------------------------------------------------------------------------------------
# Promised answer dates and return dates
# ---------------------------------------------------------------------------------------

_PROMISE_RE = re.compile(
    r"(?:get back to you|hear (?:back )?from (?:us|me|[A-Z][a-z]+|the team|them)|"
    r"(?:they|we|I)(?:'ll|’ll| will| should| shall) confirm|hear back|be in touch|let you know|"
    r"update you|an update|follow up|reach out|circle back|come back to you|respond|"
    r"(?:a |our |final )?decision|feedback|next steps|news|answer|"
    r"wir melden uns|melden uns|rückmeldung|bescheid|nous reviendrons|reviendrai|"
    r"bei (?:ihnen|dir) melden|revien\w* vers vous|revenir vers vous|"
    r"will be (?:communicated|notified|informed|announced|shared)|will confirm (?:the|a|your)|"
    r"vous recontacter|retour|réponse|le daremos|nos pondremos|respuesta|"
    r"te contactaremos|le contactaremos|noticias|(?:te|le|os)\s+diremos|"
    r"you(?:'ll|’ll| will) (?:get|receive|hear)|let (?:all |the )?(?:candidates|applicants|"
    r"everyone) know|(?:the|an) outcome)",
    re.IGNORECASE,
)
_BY_RE = re.compile(
    # "let me check and get back to you tomorrow": the promise itself, then the day.
    r"\b(?:get back to you|let you know|come back to you|circle back|update you|revert)"
    r"(?=\s+(?:tomorrow|today|this (?:afternoon|evening|week)|(?:mon|tues|wednes|thurs|fri)day)"
    r"\b)|"
    r"\b(?:by|before|no later than|on or before|until|bis(?: zum| spätestens)?|spätestens|"
    r"(?:at (?:the )?)?latest(?: on| by)?|"
    r"d'ici|avant|au plus tard(?: le)?|antes del?|para el|a más tardar(?: el)?|"
    r"como (?:muy )?tarde(?: el)?|by close of (?:play|business)(?: on)?|by cop(?: on)?|"
    r"by cob(?: on)?|(?:let you know|hear back|an answer|feedback|an update|news)(?: for you)?"
    r"(?: either way| one way or "
    r"(?:the )?other)? on|"
    r"spätestens (?:am|bis)|bis spätestens(?: am)?)\s+(?:(?:the\s+)?end of\s+)?",
    re.IGNORECASE,
)
_WITHIN_RE = re.compile(
    r"\b(?:within|in the next|in)\s+(?:the\s+next\s+)?(?P<n>\d+|one|two|three|four|five|"
    r"a|a couple of)\s+(?P<biz>business |working )?(?P<unit>days?|weeks?)",
    re.IGNORECASE,
)
# "Please note that results will be communicated by ..." asks the reader to do nothing.
_WS_RE = re.compile(r"\s+")
_CANDIDATE_DUTY_RE = re.compile(
    r"\b(?:please|kindly|could you|can you|would you|bitte|merci de|veuillez|por favor)\b"
    r"(?! (?:note|be (?:advised|aware)|rest assured)\b)",
    re.IGNORECASE,
)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a": 1, "a couple of": 2}


# Sentences, except that "bis spätestens Freitag, 6. November": a German ordinal's dot
# before a month name ends no sentence ("by June 15. There's" still does).
_PROMISE_SENTENCE_RE = re.compile(
    r"(?<=[.!?;])(?:(?<!\d\.)|(?!\s+(?:" + _alt(_MONTHS) + r")\b))\s+|\n\s*\n",
    re.IGNORECASE)


def respond_by(text: str, ctx: Context) -> date | None:
    """The date by which the sender promised an answer or update, or None.

    Only promises count ("we'll get back to you by Friday"); the candidate's own deadlines
    ("please confirm by Friday") do not. A weekday is the first such day after the message
    date; "end of (the) week" is that week's Friday; "within N (business) days" counts
    from the message date.
    """
    if ctx.sent_local is None:
        return None
    base = ctx.sent_local
    # "bis spätestens Freitag, 6. November": a German ordinal's dot ends no sentence.
    for sentence in _PROMISE_SENTENCE_RE.split(text):
        sentence = _WS_RE.sub(" ", sentence)  # "inform all candidates of the\noutcome by"
        if not _PROMISE_RE.search(sentence):
            continue
        promise_at = _PROMISE_RE.search(sentence)
        assert promise_at is not None
        duty = _CANDIDATE_DUTY_RE.search(sentence)
        if duty and duty.start() < promise_at.start() and not re.search(
            r"\b(?:we|we'll|i'll|we will|i will|you'll|you will)\b", sentence, re.IGNORECASE
        ):
            continue
        for by in _BY_RE.finditer(sentence):
            value = _date_phrase(sentence[by.start() :], by.end() - by.start(), ctx)
            if value is not None and value >= base:
                return value
        within = _WITHIN_RE.search(sentence)
        if within:
            n = _NUMBERS.get(within.group("n").lower()) or int(within.group("n"))
            if within.group("unit").lower().startswith("week"):
                return base + timedelta(weeks=n)
            if within.group("biz"):
                from mailflow.policy import add_business_days  # one definition, in policy

                return add_business_days(base, n)
            return base + timedelta(days=n)
        eow = re.search(r"\b(?:by |before )?(?:the )?end of (?:the |this )?week\b|"
                        r"\bende der woche\b|\bfin de (?:la )?semaine\b|\bfinal de (?:la )?semana",
                        sentence, re.IGNORECASE)
        if eow:
            return base + timedelta(days=(4 - base.weekday()) % 7)
    return None


def _date_phrase(s: str, offset: int, ctx: Context) -> date | None:
    """A date at the start of `s[offset:]`: weekday, relative word, explicit date, "EOW"."""
    base = ctx.sent_local
    assert base is not None
    rest = s[offset : offset + 60]
    low = rest.lower()
    if re.search(r"end of\s*$", s[:offset], re.IGNORECASE):
        low = "end of " + low
    if re.match(r"(?:the )?end of (?:the |this )?week|eow\b|cob friday", low) or re.match(
        r"week\b", low
    ) and "end of" in s[:offset].lower():
        return base + timedelta(days=(4 - base.weekday()) % 7)
    if re.match(r"(?:the )?end of next week|next week'?s end", low):
        return base + timedelta(days=(4 - base.weekday()) % 7 + 7)
    eod = re.match(r"(?:the )?end of (?:the )?(?:day|today)|eod|cob\b|close of business", low)
    if eod or "end of the day" in s[:offset].lower() or "end of day" in s[:offset].lower():
        # "by end of day Thursday": that day's end; bare "by end of day": today's.
        after = low[eod.end() :] if eod else re.sub(r"^(?:the )?day\b", "", low)
        later = find_dates(after.lstrip(" ,"), ctx)
        if later and later[0].pos <= 4:
            return later[0].value
        return base
    if re.match(r"(?:the )?end of (?:the )?month", low):
        nxt = (base.replace(day=28) + timedelta(days=4))
        return nxt - timedelta(days=nxt.day)
    dates = find_dates(rest, ctx)
    if dates and dates[0].pos <= 12:
        return dates[0].value
    # "let you know by Wed", "back to you by thurs": a short weekday right after "by" is a
    # day (find_dates wants a clock time next to one).
    short = re.match(r"(?:(this|next) )?(mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\b\.?", low)
    if short:
        return weekday_after(base, _WEEKDAYS[short.group(2)], short.group(1) or "")
    ordinal = re.match(r"(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b", low)
    if ordinal:
        day = int(ordinal.group(1))
        for k in range(0, 3):
            y, mth = base.year, base.month + k
            y, mth = y + (mth - 1) // 12, (mth - 1) % 12 + 1
            try:
                value = date(y, mth, day)
            except ValueError:
                continue
            if value >= base:
                return value
    return None


# Return verbs first ("back on", "de retour le"): they name the day itself. "until" and
# "through" come second; "through"/"inclusive" mean the day after.
_BACK_RE = re.compile(
    r"(?P<verb>back(?: in the office| in office| at (?:my|the) desk| at work| online)?"
    r"(?: on| from)?|return(?:ing)?(?: to the office| to work)?(?: on)?|returns?(?: on)?|"
    r"zurück am|zurück ab|wieder (?:im büro |erreichbar |da )?(?:am|ab)(?: dem)?|"
    # "ab dem 17.08.2026 wieder erreichbar": the date stands before the verb.
    r"\bab(?: dem| den)?(?=\s[\s\S]{0,30}?\bwieder\b)|"
    r"(?:à mon |de )retour (?:le|à partir du|au bureau le)|de retour|"
    r"de vuelta el|regreso el|regresaré el|a mi regreso el|de regreso el)\s+",
    re.IGNORECASE,
)
_UNTIL_RE = re.compile(
    r"(?P<verb>until|till|through|thru|bis (?:einschließlich|inklusive)|bis zum|bis|"
    r"jusqu'au|jusqu’au|hasta el|hasta)\s+",
    re.IGNORECASE,
)
_INCLUSIVE_RE = re.compile(r"^[^.\n]{0,25}?\b(?:inclus\w*|inclusive|einschließlich|"
                           r"incluido|included)\b", re.IGNORECASE)


def back_on(text: str, ctx: Context) -> date | None:
    """The return date an out-of-office reply states ("back on Monday, July 14")."""
    if ctx.sent_local is None:
        return None
    base = ctx.sent_local
    for rx in (_BACK_RE, _UNTIL_RE):
        for m in rx.finditer(text):
            value = _date_phrase(text, m.end(), ctx)
            if value is None or value < base:
                continue
            verb = m.group("verb").lower()
            after = text[m.end() : m.end() + 60]
            if rx is _UNTIL_RE and (
                any(w in verb for w in ("through", "thru", "einschließlich", "inklusive"))
                or _INCLUSIVE_RE.match(after)
            ):
                value += timedelta(days=1)
                while value.weekday() >= 5:
                    value += timedelta(days=1)
            return value
    return None


# ---------------------------------------------------------------------------------------
# Language and numeric-date convention
# ---------------------------------------------------------------------------------------

_LANG_WORDS = {
    "de": re.compile(r"\b(?:und|der|die|das|ich|wir|sie|ihnen|mit|für|uhr|gespräch|"
                     r"bewerbung|termin|grüße)\b", re.IGNORECASE),
    "fr": re.compile(r"\b(?:et|le|la|les|nous|vous|avec|pour|entretien|candidature|"
                     r"cordialement|bonjour)\b", re.IGNORECASE),
    "es": re.compile(r"\b(?:y|el|la|los|las|nosotros|usted|con|para|entrevista|"
                     r"candidatura|saludos|hola)\b", re.IGNORECASE),
    "en": re.compile(r"\b(?:the|and|you|we|with|for|interview|thanks|please)\b",
                     re.IGNORECASE),
}
_EU_TLDS = frozenset(
    ["uk", "ie", "de", "fr", "es", "it", "nl", "be", "at", "ch", "se", "no", "dk", "fi", "pl", "cz", "pt", "gr", "hu", "ro", "eu", "lu", "sk", "si", "hr", "bg", "ee", "lv", "lt", "is", "au", "nz", "za", "in", "sg"]
)


def language(text: str) -> str:
    """The main language of a text: en, de, fr or es (word counts, nothing cleverer)."""
    sample = text[:4000]
    counts = {lang: len(rx.findall(sample)) for lang, rx in _LANG_WORDS.items()}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] > 0 else "en"


def day_first(lang: str, sender_domain: str, tz: str) -> bool:
    """Whether numeric dates are day/month: non-English mail, or a European/Commonwealth
    sender domain. US month/day otherwise (the default for our users)."""
    if lang != "en":
        return True
    tld = sender_domain.rsplit(".", 1)[-1].lower() if sender_domain else ""
    return tld in _EU_TLDS
