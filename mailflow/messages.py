"""Raw RFC 5322 bytes -> an immutable `Message`.

This is the one place that touches the stdlib `email` package. Everything after it works
on `Message` values, so a misread email becomes a corpus file and a test, never a change
to an adapter.

Real mail is hostile to parsers: unknown charsets, broken MIME boundaries, headers that
the modern policy's structured parsers choke on (they raise IndexError or
HeaderParseError on some malformed address lists), missing Message-IDs. `parse` never
raises; whatever it could not read is listed in `Message.defects` so the caller can
record and report it. Pure: no I/O, no clock.
"""

from __future__ import annotations

import email
import email.header
import email.message
import email.policy
import email.utils
import hashlib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

# Headers kept verbatim for the classifier (auto-reply detection, bulk mail, Gmail ids).
KEPT_HEADERS = (
    "auto-submitted",
    "x-autoreply",
    "x-autorespond",
    "precedence",
    "list-id",
    "list-unsubscribe",
    "x-gm-thrid",
    "content-type",
)

# Mail providers: an address there names a person, not an employer.
FREEMAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com",
    "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net",
    "web.de", "fastmail.com", "mail.com",
})
# Country suffixes with a second level ("com.au", "co.uk", "ac.uk"): the name sits left.
_SECOND_LEVEL = frozenset(
    {"co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc", "gob", "gouv", "nhs"})


def organisation(domain: str) -> str | None:
    """The name a domain carries ("careers.acme.co.uk" -> "acme"), None for mail providers."""
    labels = domain.lower().strip(".").split(".")
    if ".".join(labels[-2:]) in FREEMAIL_DOMAINS or not labels[0]:
        return None
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        labels = labels[:-1]
    return labels[-2] if len(labels) >= 2 else labels[0]


@dataclass(frozen=True, slots=True)
class Address:
    name: str
    email: str  # lower-cased: addresses are compared, never displayed raw

    def __str__(self) -> str:
        return email.utils.formataddr((self.name, self.email)) if self.name else self.email


@dataclass(frozen=True, slots=True)
class Message:
    message_id: str  # "<...>"; synthesized from a hash of the bytes when the header is missing
    subject: str
    sender: Address | None
    reply_to: tuple[Address, ...] = ()
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    date: datetime | None = None  # aware; None when absent or unreadable
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    text: str = ""  # the readable body: text/plain, else text derived from HTML
    calendars: tuple[str, ...] = ()  # text/calendar parts and .ics attachments, as text
    headers: dict[str, str] = field(default_factory=dict)  # KEPT_HEADERS that are present
    size: int = 0
    defects: tuple[str, ...] = ()
    headers_only: bool = False  # parsed from the header block alone (body not fetched)

    @property
    def participants(self) -> frozenset[str]:
        """Every address on the message, lower-cased."""
        people = [self.sender, *self.reply_to, *self.to, *self.cc]
        return frozenset(a.email for a in people if a is not None and a.email)


_MSGID_RE = re.compile(r"<[^<>\s]+>")
_WS_RE = re.compile(r"\s+")


def parse(raw: bytes, *, headers_only: bool = False) -> Message:
    """Parse one message. Never raises: problems end up in `defects`.

    Uses the lenient compat32 parser and decodes the few headers we read by hand: the
    modern policy parses every header it touches into structured objects, which cost
    3-4 ms a message here and raise on some malformed address lists.
    """
    defects: list[str] = []
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception as exc:  # the parser itself failing is rare but has happened
        return _unreadable(raw, f"unparseable message: {exc.__class__.__name__}")
    defects.extend(d.__class__.__name__ for d in msg.defects)
    found: dict[str, object] = {}
    for key, value in msg.raw_items():
        found.setdefault(key.lower(), value)

    def header(name: str) -> str:
        value = found.get(name)
        return _decode_words(value, defects, name) if value is not None else ""

    def addresses(name: str) -> tuple[Address, ...]:
        value = found.get(name)
        return _addresses(_as_text(value), defects) if value is not None else ()

    message_id = _first_msgid(header("message-id"))
    if not message_id:
        defects.append("missing Message-ID")
        message_id = "<sha256-" + hashlib.sha256(raw).hexdigest()[:32] + "@mailflow.invalid>"
    senders = addresses("from")
    text, calendars = ("", ()) if headers_only else _body(msg, defects)
    kept = {name: header(name) for name in KEPT_HEADERS if name in found}
    return Message(
        message_id=message_id,
        subject=header("subject"),
        sender=senders[0] if senders else None,
        reply_to=addresses("reply-to"),
        to=addresses("to"),
        cc=addresses("cc"),
        date=_date(header("date")),
        in_reply_to=_first_msgid(header("in-reply-to")) or None,
        references=tuple(_MSGID_RE.findall(header("references"))),
        text=text,
        calendars=calendars,
        headers={k: v for k, v in kept.items() if v},
        size=len(raw),
        defects=tuple(dict.fromkeys(defects)),
        headers_only=headers_only,
    )


def _as_text(value: object) -> str:
    # compat32 keeps undecodable 8-bit header bytes as surrogate escapes: make them text.
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


def _decode_words(value: object, defects: list[str] | None = None, name: str = "") -> str:
    """A header value with its RFC 2047 encoded words decoded, on one line."""
    text = _as_text(value)
    if "=?" in text:
        try:
            text = str(email.header.make_header(email.header.decode_header(text)))
        except Exception as exc:  # a bogus charset or broken base64 in an encoded word
            if defects is not None:
                defects.append(f"{name}: {exc.__class__.__name__}")
    return _clean(text)


_SCREEN_HEADERS = frozenset(
    {"subject", "from", "message-id", "in-reply-to", "references", "date", *KEPT_HEADERS}
)
# A header field: a name, a colon, and the value with its folded continuation lines.
_FIELD_RE = re.compile(rb"^([!-9;-~]+)[ \t]*:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.MULTILINE)
_ANGLE_ADDR_RE = re.compile(r"<\s*([^<>\s@]+@[^<>\s]+)\s*>|([^\s<>\",;:@]+@[^\s<>\",;:]+)")


def parse_headers(raw: bytes, size: int = 0) -> Message:
    """A fast, header-only parse for the poller's screen of every message in a folder.

    The poller reads the headers of every message in the look-back window (all of them on a
    full scan), so this is the hot path: the stdlib parser costs 40 us (compat32) to 200 us
    (the modern policy) a message, more than the IMAP fetch itself. Here a regex splits
    the header block and only the handful of fields the screen needs are decoded. Messages
    that pass the screen are parsed again, in full and carefully, by `parse`.
    """
    try:
        end = raw.find(b"\n\n")
        end_crlf = raw.find(b"\r\n\r\n")
        if end_crlf != -1 and (end == -1 or end_crlf < end):
            end = end_crlf
        block = raw if end == -1 else raw[:end]
        found: dict[str, str] = {}
        for name, value in _FIELD_RE.findall(block):
            key = name.decode("ascii").lower()
            if key in _SCREEN_HEADERS and key not in found:
                found[key] = _clean(value.decode("utf-8", "replace"))
        get = found.get
        subject = get("subject", "")
        if "=?" in subject:
            subject = _clean(str(email.header.make_header(email.header.decode_header(subject))))
        sender_match = _ANGLE_ADDR_RE.search(get("from", ""))
        sender = None
        if sender_match:
            addr = (sender_match.group(1) or sender_match.group(2)).lower()
            sender = Address(get("from", "").split("<", 1)[0].strip(' "'), addr)
        return Message(
            message_id=_first_msgid(get("message-id", ""))
            or "<sha256-" + hashlib.sha256(raw).hexdigest()[:32] + "@mailflow.invalid>",
            subject=subject,
            sender=sender,
            in_reply_to=_first_msgid(get("in-reply-to", "")) or None,
            references=tuple(_MSGID_RE.findall(get("references", ""))),
            date=_date(get("date", "")),
            headers={name: found[name] for name in KEPT_HEADERS if name in found},
            size=size or len(raw),
            headers_only=True,
        )
    except Exception as exc:  # broken encoded words, odd bytes: the full parse will say more
        return _unreadable(raw, f"unreadable headers: {exc.__class__.__name__}")


def normalized_subject(subject: str) -> str:
    """The subject with reply/forward prefixes and list tags removed, case-folded.

    Prefixes in the languages recruiters write in: Re, Fwd/Fw, AW/WG (German), TR (French),
    RV (Spanish), SV/VS (Nordic), with counts like RE[2] or Re^2, in any repetition.
    """
    s = subject
    while True:
        stripped = _PREFIX_RE.sub("", s, count=1)
        stripped = _TAG_RE.sub("", stripped, count=1) if stripped == s else stripped
        if stripped == s:
            break
        s = stripped
    return _WS_RE.sub(" ", s).strip().casefold()


_PREFIX_RE = re.compile(
    r"^\s*(?:re|fwd?|aw|wg|tr|rv|sv|vs|antw|réf|ref)\s*(?:\[\d+\]|\^\d+|\(\d+\))?\s*[:：]\s*",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"^\s*\[[^\]]{1,40}\]\s*")


def _unreadable(raw: bytes, why: str) -> Message:
    digest = hashlib.sha256(raw).hexdigest()[:32]
    return Message(
        message_id=f"<sha256-{digest}@mailflow.invalid>",
        subject="",
        sender=None,
        size=len(raw),
        defects=(why,),
    )


def _clean(value: str) -> str:
    # Folded headers keep their CR/LF; nothing downstream should ever see one.
    return _WS_RE.sub(" ", value.replace("\r", " ").replace("\n", " ")).strip()


def _first_msgid(value: str) -> str:
    found = _MSGID_RE.search(value)
    return found.group(0) if found else ""


def _addresses(value: str, defects: list[str] | None = None) -> tuple[Address, ...]:
    if not value:
        return ()
    out = []
    try:
        pairs = email.utils.getaddresses([value])
    except Exception:  # getaddresses has raised IndexError on some garbage
        if defects is not None:
            defects.append("unreadable address list")
        return ()
    for name, addr in pairs:
        addr = addr.strip().lower()
        if "@" in addr:
            out.append(Address(_decode_words(name), addr))
    return tuple(out)


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    # RFC 5322 "-0000" means the zone is unknown; treat it as UTC rather than drop the date.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _walk(msg: email.message.Message) -> Iterable[email.message.Message]:
    try:
        yield from msg.walk()
    except Exception:  # a broken multipart tree: whatever we can reach is what we have
        yield msg


_MARKUP_RE = re.compile(r"<(?:!doctype|html|body|p|div|table|br)\b[^>]*>", re.IGNORECASE)


def _body(msg: email.message.Message, defects: list[str]) -> tuple[str, tuple[str, ...]]:
    plain: list[str] = []
    htmls: list[str] = []
    calendars: list[str] = []
    for part in _walk(msg):
        if part.is_multipart():
            continue
        try:
            ctype = part.get_content_type()
            filename = (part.get_filename() or "").lower()
            disposition = str(part.get("content-disposition", "")).lower()
        except Exception:  # a malformed Content-Type or -Disposition: treat as plain text
            ctype, filename, disposition = "text/plain", "", ""
        if ctype == "text/calendar" or filename.endswith(".ics"):
            calendars.append(_text_of(part, defects))
        elif disposition.startswith("attachment") or ctype == "message/rfc822":
            continue  # forwarded messages' parts are walked as parts of the tree already
        elif ctype == "text/plain":
            plain.append(_text_of(part, defects))
        elif ctype == "text/html":
            htmls.append(_text_of(part, defects))
    # A "text/plain" part that is markup (senders mislabel their HTML alternative): read it
    # as HTML, and drop it when a real plain part says the same thing.
    marked = [p for p in plain if _MARKUP_RE.search(p[:3000])]
    if marked and len(marked) < len(plain):
        plain = [p for p in plain if p not in marked]
    else:
        plain = [html_to_text(p) if p in marked else p for p in plain]
    if plain:
        text = "\n\n".join(plain)
    elif htmls:
        text = "\n\n".join(html_to_text(h) for h in htmls)
    else:
        text = ""
    return text.replace("\r\n", "\n").replace("\r", "\n"), tuple(c for c in calendars if c)


def _text_of(part: email.message.Message, defects: list[str]) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception as exc:  # broken base64 or quoted-printable: keep what is readable
        defects.append(f"body: {exc.__class__.__name__}")
        payload = part.get_payload()
    if payload is None:
        return ""
    if isinstance(payload, str):
        return payload
    if not isinstance(payload, bytes):
        return ""
    try:
        charset = part.get_content_charset() or "utf-8"
    except Exception:
        charset = "utf-8"
    try:
        return payload.decode(charset, "replace")
    except LookupError:  # an unknown charset name: UTF-8, else Latin-1, never a crash
        defects.append(f"body: unknown charset {charset[:40]}")
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload.decode("latin-1")


_BLOCK_RE = re.compile(
    r"<\s*(?:br|/p|p|/div|div|/tr|tr|/li|li|/h\d|h\d|/table|hr)\b[^>]*>", re.IGNORECASE
)
_DROP_RE = re.compile(r"<\s*(script|style|head)\b.*?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG_STRIP_RE = re.compile(r"<[^>]+>")
_CELL_RE = re.compile(r"<\s*/?\s*td\b[^>]*>", re.IGNORECASE)


_QUOTE_OPEN_RE = re.compile(r"<\s*blockquote\b[^>]*>", re.IGNORECASE)
_QUOTE_CLOSE_RE = re.compile(r"<\s*/\s*blockquote\s*>", re.IGNORECASE)
_OPEN, _CLOSE = "\x02", "\x03"  # control characters never found in mail text


def html_to_text(markup: str) -> str:
    """Readable text from HTML mail: block elements become line breaks, entities decoded.

    Quoted history (<blockquote>, which Gmail, Outlook and Apple Mail use) comes out with "> " before each
    line, nested as deep as it is, as in plain-text mail, so the classifier can tell the new
    text from the old. Good enough to find dates and phone numbers; not a renderer.
    """
    s = _QUOTE_OPEN_RE.sub("\n" + _OPEN + "\n", markup.replace(_OPEN, "").replace(_CLOSE, ""))
    s = _QUOTE_CLOSE_RE.sub("\n" + _CLOSE + "\n", s)
    s = _DROP_RE.sub(" ", s)
    s = _BLOCK_RE.sub("\n", s)
    s = _CELL_RE.sub(" ", s)
    s = _TAG_STRIP_RE.sub("", s)
    s = html.unescape(s).replace("\xa0", " ")
    out: list[str] = []
    depth = 0
    for raw_line in s.splitlines():
        line = _WS_RE.sub(" ", raw_line).strip()
        if line == _OPEN:
            depth += 1
            continue
        if line == _CLOSE:
            depth = max(depth - 1, 0)
            continue
        if line or (out and out[-1].strip("> ")):
            out.append(("> " * depth + line).rstrip() if depth else line)
    while out and not out[-1].strip("> "):
        out.pop()
    return "\n".join(out).strip()
