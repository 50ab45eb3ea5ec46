"""The settings file: found in one place, parsed and validated in one place.

The values are NamedTuples: immutable like frozen dataclasses, and several times cheaper
to define, a cost every scheduled run pays at start-up.

`locate()` decides which file; `load()` turns its text into one frozen `Settings` value or
raises a single `SettingsError` that lists every problem (file, section, key, what is
wrong), so a user fixes the file in one go rather than one error per run.

Secrets never live here: the file may name a `password_command` (or, with `auth = oauth2`,
a `token_command` that prints an OAuth2 access token), and the secret itself is fetched at
connect time by `credentials.py`.
"""


import configparser
import os
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mailflow.errors import SettingsError

T = TypeVar("T")

SECURITY_CHOICES = ("ssl", "starttls", "none")
AUTH_CHOICES = ("password", "oauth2")


class Account(NamedTuple):
    name: str  # "default" for a plain [account] section; the part after "account " otherwise
    source: str  # "imap" or "maildir"
    maildir: Path | None = None
    host: str = ""
    port: int = 993
    security: str = "ssl"
    username: str = ""
    password_command: str | None = None
    folders: tuple[str, ...] = ("INBOX",)
    sent_folder: str | None = None  # None: found by its \Sent special-use attribute
    drafts_folder: str | None = None
    mirror_drafts: bool = False  # show pending drafts in the IMAP Drafts folder
    read_sent: bool = True
    lookback_days: int | None = 30  # None: all history
    max_body_bytes: int = 10_000_000
    batch_size: int = 500
    timeout: float = 30.0
    cafile: Path | None = None  # extra CA bundle, for self-hosted servers and the tests
    auth: str = "password"  # password | oauth2 (XOAUTH2 with token_command's access token)
    token_command: str | None = None  # prints an access token; required with auth = oauth2

    @property
    def keyring_user(self) -> str:
        return f"imap:{self.username}@{self.host}"


class Smtp(NamedTuple):
    host: str = ""
    port: int = 587
    security: str = "starttls"
    username: str = ""
    password_command: str | None = None
    save_sent: str = "auto"  # auto | yes | no
    cafile: Path | None = None
    auth: str = "password"  # password | oauth2
    token_command: str | None = None

    @property
    def keyring_user(self) -> str:
        return f"smtp:{self.username}@{self.host}"


class User(NamedTuple):
    name: str
    email: str
    phone: str | None = None
    timezone: str = "UTC"
    signature: str = ""
    aliases: tuple[str, ...] = ()  # other addresses that are also "me"

    @property
    def addresses(self) -> tuple[str, ...]:
        return (self.email.lower(), *(a.lower() for a in self.aliases))


class Policy(NamedTuple):
    """The career advice's numbers (see shared DOMAIN.md); every one can be changed."""

    confirm_before: timedelta = timedelta(hours=2)
    confirm_stale_before: timedelta = timedelta(minutes=30)
    grace: timedelta = timedelta(minutes=15)
    available_for: timedelta = timedelta(minutes=30)
    missed_call_expires: timedelta = timedelta(hours=24)
    call_duration: timedelta = timedelta(minutes=30)
    thank_you_within: timedelta = timedelta(hours=24)
    follow_up_after_business_days: int = 2
    second_follow_up_after_days: int = 7
    default_respond_business_days: int = 5
    business_hours: tuple[int, int] = (9, 17)
    cool_off: timedelta = timedelta(minutes=30)
    undo_window: timedelta = timedelta(minutes=2)
    max_per_run: int = 5
    max_per_thread_per_day: int = 2
    alert_after: timedelta = timedelta(hours=2)


class Notify(NamedTuple):
    """How mailflow tells you drafts wait, besides the line `run` prints for cron."""

    command: str | None = None  # e.g. notify-send; gets a title and a body as arguments
    digest: bool = False  # a short email to your own address (the one unreviewed send)


class Settings(NamedTuple):
    path: Path
    accounts: tuple[Account, ...]
    user: User
    smtp: Smtp | None
    state_dir: Path
    policy: Policy = Policy()
    notify: Notify = Notify()

    @property
    def account(self) -> Account:
        return self.accounts[0]


def locate(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--config, else $MAILFLOW_CONFIG, else $XDG_CONFIG_HOME/mailflow/settings.ini."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("MAILFLOW_CONFIG")
    if env:
        return Path(env).expanduser()
    return config_dir() / "settings.ini"


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "mailflow"


def default_state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "mailflow"


def read(path: Path) -> Settings:
    """Read and validate the settings file at `path`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(
            f"{path}: no settings file", hint="run `mailflow init` or pass --config PATH"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read the settings file: {exc}") from None
    return load(text, path)


def load(text: str, path: Path) -> Settings:
    """Parse settings text; `path` names the file in errors and anchors relative paths."""
    parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=("#", ";"))
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as exc:
        first = str(exc).splitlines()[0]
        raise SettingsError(f"{path}: not a valid settings file: {first}") from None
    return _Reader(parser, path).settings()


class _Reader:
    """Collects every problem instead of stopping at the first."""

    def __init__(self, parser: configparser.ConfigParser, path: Path) -> None:
        self.parser = parser
        self.path = path
        self.base = path.parent
        self.problems: list[str] = []
        self.used: dict[str, set[str]] = {}

    def problem(self, section: str, key: str, what: str) -> None:
        self.problems.append(f"[{section}] {key}: {what}")

    def get(
        self, section: str, key: str, convert: Callable[[str], T], default: T
    ) -> T:
        self.used.setdefault(section, set()).add(key)
        if not self.parser.has_option(section, key):
            return default
        raw = self.parser.get(section, key).strip()
        if raw == "":
            return default
        try:
            return convert(raw)
        except ValueError as exc:
            self.problem(section, key, str(exc))
            return default

    def required(self, section: str, key: str) -> str:
        value = self.get(section, key, str, "")
        if not value:
            self.problem(section, key, "is required")
        return value

    def settings(self) -> Settings:
        account_sections = [
            s for s in self.parser.sections() if s == "account" or s.startswith("account ")
        ]
        if not account_sections:
            self.problems.append("[account]: section missing (where is your mail?)")
        accounts = tuple(self.account(s) for s in account_sections)
        names = [a.name for a in accounts]
        if len(set(names)) != len(names):
            self.problems.append("[account ...]: two accounts have the same name")
        user = self.user()
        smtp = self.smtp() if self.parser.has_section("smtp") else None
        state_dir = self.get("paths", "state_dir", self.path_value, default_state_dir())
        policy = self.policy()
        notify = Notify(
            command=self.get("notify", "notify_command", str, None),
            digest=self.get("notify", "digest", _bool, False),
        )
        if notify.digest and smtp is None:
            self.problem("notify", "digest", "yes needs an [smtp] section to send it")
        self.check_unknown_keys()
        if self.problems:
            raise SettingsError(f"{self.path}: " + "; ".join(self.problems))
        return Settings(self.path, accounts, user, smtp, state_dir, policy, notify)

    def account(self, section: str) -> Account:
        name = section[len("account") :].strip() or "default"
        source_raw = self.get(section, "source", str, "imap")
        maildir = None
        if source_raw.startswith("maildir:"):
            source = "maildir"
            maildir = self.path_value(source_raw[len("maildir:") :])
            if not maildir.is_dir():
                self.problem(section, "source", f"no Maildir at {maildir}")
        elif source_raw == "imap":
            source = "imap"
        else:
            self.problem(section, "source", f"{source_raw!r}: use imap or maildir:PATH")
            source = "imap"
        security = self.get(section, "security", _choice(SECURITY_CHOICES), "ssl")
        default_port = 993 if security == "ssl" else 143
        host = self.get(section, "host", str, "")
        username = self.get(section, "username", str, "")
        if source == "imap":
            if not host:
                self.problem(section, "host", "is required for an IMAP account")
            if not username:
                self.problem(section, "username", "is required for an IMAP account")
            if security == "none" and host and not _is_loopback(host):
                self.problem(
                    section, "security",
                    "none sends your password in clear text; it is only allowed for a "
                    "server on this machine (127.0.0.1 or localhost)",
                )
        lookback = self.get(section, "lookback_days", _lookback, 30)
        auth, token_command = self.auth(section, needed=source == "imap")
        return Account(
            name=name,
            source=source,
            maildir=maildir,
            host=host,
            port=self.get(section, "port", _port, default_port),
            security=security,
            username=username,
            password_command=self.get(section, "password_command", str, None),
            folders=self.get(section, "folders", _folders, ("INBOX",)),
            sent_folder=self.get(section, "sent_folder", str, None),
            drafts_folder=self.get(section, "drafts_folder", str, None),
            mirror_drafts=self.get(section, "mirror_drafts", _bool, False),
            read_sent=self.get(section, "read_sent", _bool, True),
            lookback_days=lookback,
            max_body_bytes=self.get(section, "max_body_bytes", _size, 10_000_000),
            batch_size=self.get(section, "batch_size", _positive_int, 500),
            timeout=self.get(section, "timeout", _seconds, 30.0),
            cafile=self.get(section, "cafile", self.path_value, None),
            auth=auth,
            token_command=token_command,
        )

    def user(self) -> User:
        s = "user"
        if not self.parser.has_section(s):
            self.problems.append("[user]: section missing (your name and email)")
            return User(name="", email="")
        email = self.required(s, "email")
        if email and "@" not in email:
            self.problem(s, "email", f"{email!r} is not an email address")
        return User(
            name=self.required(s, "name"),
            email=email,
            phone=self.get(s, "phone", str, None),
            timezone=self.get(s, "timezone", _zone, system_zone()),
            signature=self.get(s, "signature", lambda v: v.replace("\\n", "\n"), ""),
            aliases=self.get(s, "aliases", _folders, ()),
        )

    def smtp(self) -> Smtp:
        s = "smtp"
        security = self.get(s, "security", _choice(SECURITY_CHOICES), "starttls")
        host = self.required(s, "host")
        if security == "none" and host and not _is_loopback(host):
            self.problem(s, "security", "none is only allowed for a server on this machine")
        auth, token_command = self.auth(s)
        return Smtp(
            host=host,
            port=self.get(s, "port", _port, 465 if security == "ssl" else 587),
            security=security,
            username=self.required(s, "username"),
            password_command=self.get(s, "password_command", str, None),
            save_sent=self.get(s, "save_sent", _choice(("auto", "yes", "no")), "auto"),
            cafile=self.get(s, "cafile", self.path_value, None),
            auth=auth,
            token_command=token_command,
        )

    def auth(self, section: str, needed: bool = True) -> tuple[str, str | None]:
        """`auth` and `token_command`: oauth2 needs a command that prints the token."""
        auth = self.get(section, "auth", _choice(AUTH_CHOICES), "password")
        token_command = self.get(section, "token_command", str, None)
        if needed and auth == "oauth2" and not token_command:
            self.problem(
                section, "token_command",
                "is required with auth = oauth2 (a command that prints an access token)",
            )
        return auth, token_command

    def policy(self) -> Policy:
        s, d = "policy", Policy()
        kwargs: dict[str, object] = {}
        for name in Policy._fields:
            default = getattr(d, name)
            if isinstance(default, timedelta):
                kwargs[name] = self.get(s, name, _duration, default)
            elif isinstance(default, tuple):
                kwargs[name] = self.get(s, name, _hours_range, default)
            else:
                kwargs[name] = self.get(s, name, _positive_int, default)
        return Policy(**kwargs)  # type: ignore[arg-type]

    def check_unknown_keys(self) -> None:
        # A typo ("lookback_day") silently ignored is a setting the user thinks they have.
        for section in self.parser.sections():
            key_section = "account" if section.startswith("account") else section
            known = self.used.get(section) or self.used.get(key_section)
            if known is None:
                self.problems.append(f"[{section}]: unknown section")
                continue
            for key in self.parser.options(section):
                if key not in known:
                    self.problem(section, key, "unknown key")

    def path_value(self, raw: str) -> Path:
        p = Path(os.path.expandvars(raw)).expanduser()
        return p if p.is_absolute() else (self.base / p).resolve()


def system_zone() -> str:
    """The machine's IANA zone: $TZ, else /etc/localtime's link, else UTC."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and _valid_zone(tz):
        return tz
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        name = target.split("zoneinfo/", 1)[1]
        if _valid_zone(name):
            return name
    try:
        name = Path("/etc/timezone").read_text().strip()
        if _valid_zone(name):
            return name
    except OSError:
        pass
    return "UTC"


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _zone(raw: str) -> str:
    if not _valid_zone(raw):
        raise ValueError(f"{raw!r} is not a time zone name (like Europe/Berlin)")
    return raw


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def convert(raw: str) -> str:
        if raw.lower() not in options:
            raise ValueError(f"{raw!r}: use one of {', '.join(options)}")
        return raw.lower()

    return convert


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a whole number") from None
    if value < 1:
        raise ValueError(f"{raw!r} must be at least 1")
    return value


def _port(raw: str) -> int:
    value = _positive_int(raw)
    if value > 65535:
        raise ValueError(f"{raw!r} is not a port number (1-65535)")
    return value


def _bool(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in ("yes", "true", "on", "1"):
        return True
    if lowered in ("no", "false", "off", "0"):
        return False
    raise ValueError(f"{raw!r}: use yes or no")


def _lookback(raw: str) -> int | None:
    if raw.lower() == "all":
        return None
    return _positive_int(raw)


def _folders(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(",") if part.strip())


_DURATION_RE = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)\s*$",
    re.IGNORECASE,
)


def _duration(raw: str) -> timedelta:
    m = _DURATION_RE.match(raw)
    if not m:
        raise ValueError(f"{raw!r} is not a duration (like 30m, 2h or 1d)")
    amount, unit = float(m.group(1)), m.group(2).lower()[0]
    return timedelta(seconds=amount * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit])


def _seconds(raw: str) -> float:
    return _duration(raw if not raw.replace(".", "", 1).isdigit() else raw + "s").total_seconds()


def _size(raw: str) -> int:
    m = re.match(r"^\s*(\d+)\s*([kmg]?)b?\s*$", raw, re.IGNORECASE)
    if not m:
        raise ValueError(f"{raw!r} is not a size (like 10MB)")
    return int(m.group(1)) * {"": 1, "k": 10**3, "m": 10**6, "g": 10**9}[m.group(2).lower()]


def _hours_range(raw: str) -> tuple[int, int]:
    m = re.match(r"^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*$", raw)
    if not m or not 0 <= int(m.group(1)) < int(m.group(2)) <= 24:
        raise ValueError(f"{raw!r} is not a range of hours (like 9-17)")
    return int(m.group(1)), int(m.group(2))
