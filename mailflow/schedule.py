"""What `mailflow schedule cron|systemd` prints: a crontab line, or a systemd user timer.

Pure functions: no I/O, no clock, no environment. The caller passes absolute paths (the
installed `mailflow` script and the settings file) because neither cron nor systemd runs
in the directory, or with the PATH, the user typed the command in.

Quoting is the hard part and is done per format:
- crontab: the command goes to /bin/sh, so every argument is shell-quoted; and cron itself
  turns an unescaped `%` into a newline (crontab(5)), so `%` becomes `\\%` after quoting.
- systemd: ExecStart= has its own rules (systemd.service(5), "Command lines"): words are
  split at whitespace unless double-quoted, C escapes apply everywhere, `%` starts a
  specifier (write `%%`) and `$` starts an environment variable in the arguments
  (write `$$`). The program path itself is never variable-expanded, so its `$` stays as is.
Neither format can carry a line break or other control character inside a path, so such
paths are refused rather than written in a way that would run something else.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

# Intervals cron can repeat *evenly*: `*/7` would run at :56 and again at :00 (4 minutes).
_CRON_MINUTES = tuple(n for n in range(1, 60) if 60 % n == 0)
_CRON_HOURS = tuple(n for n in range(1, 25) if 24 % n == 0)

# A first poll of a large mailbox can take minutes; a run that is still going after this
# long is stuck (a server that accepts the connection and then never answers), and killing
# it frees the lock for the next run. Progress is committed per batch, so nothing is lost.
TIMEOUT_START = "15min"

# Exit status 75: another run (a `watch`, or a manual `run`) holds the lock. That is not a
# failure of this run, so systemd should not mark the unit failed for it.
_EXIT_LOCKED = 75

_SYSTEMD_BARE = re.compile(r"[A-Za-z0-9_@%+=:,./$-]+")


def crontab_line(
    *, executable: str, config: Path, every_minutes: int = 10, log: Path | None = None
) -> str:
    """One crontab line (no trailing newline) that runs `mailflow -q run` every n minutes.

    `-q` keeps the run silent unless something needs the user, and cron mails whatever a
    job prints, so the user gets mail only then. With `log`, output is appended to that
    file instead (for machines with no mail transfer agent, where cron drops it).
    """
    argv = [_absolute(executable, "executable"), "--config", _absolute(config, "config"),
            "-q", "run"]
    command = " ".join(_shell_word(a) for a in argv)
    if log is not None:
        command += f" >>{_shell_word(_absolute(log, 'log'))} 2>&1"
    return f"{_cron_schedule(every_minutes)} {_cron_percent(command)}"


def systemd_units(
    *, executable: str, config: Path, every_minutes: int = 10
) -> dict[str, str]:
    """A systemd *user* service and timer: {"mailflow.service": ..., "mailflow.timer": ...}.

    The units name the settings file and nothing else: passwords stay behind the
    `password_command` or keyring the settings name, never in a unit file (unit files are
    world-readable and show up in `systemctl show`).
    """
    program = _absolute(executable, "executable")
    if any(ch in program for ch in "\"'\\"):
        # systemd refuses such a program path outright ("Executable name contains special
        # characters"), however it is quoted.
        raise ValueError(f"executable {program!r}: systemd cannot run a program whose path "
                         "contains a quote or a backslash; link it from a plainer path")
    exec_start = " ".join([
        _systemd_word(program, expand_env=False),
        "--config",
        _systemd_word(_absolute(config, "config"), expand_env=True),
        "-q",
        "run",
    ])
    interval = f"{_positive(every_minutes)}min"
    service = f"""\
# Written by `mailflow schedule systemd`. No secrets here: passwords come from the
# password_command or the keyring named in the settings file.
[Unit]
Description=mailflow: read new mail, update the timeline, send what you approved

[Service]
Type=oneshot
ExecStart={exec_start}
# Exit status {_EXIT_LOCKED}: another run holds the lock; the next timer run catches up.
SuccessExitStatus={_EXIT_LOCKED}
Nice=10
TimeoutStartSec={TIMEOUT_START}
"""
    timer = f"""\
# Written by `mailflow schedule systemd`.
[Unit]
Description=Run mailflow every {every_minutes} minutes

[Timer]
OnBootSec=2min
OnUnitActiveSec={interval}
Persistent=true

[Install]
WantedBy=timers.target
"""
    return {"mailflow.service": service, "mailflow.timer": timer}


def install_instructions(kind: str) -> str:
    """How to install what `crontab_line` ("cron") or `systemd_units` ("systemd") made."""
    if kind == "cron":
        return """\
To install: run `crontab -e` and add the line above as a line of its own.

Cron mails whatever the job prints to your local mailbox; mailflow prints only when
something needs you (drafts waiting for review, polling failing for hours). Put
MAILTO=you@example.com above the line to have it mailed elsewhere (this needs a working
mail transfer agent on this machine).

Cron runs with a minimal environment: a notify_command such as notify-send reaches your
desktop only if the line sets DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/<your uid>/bus,
and a password_command that needs your desktop keyring may need the same."""
    if kind == "systemd":
        return """\
To install: save the two files in ~/.config/systemd/user/ (mkdir -p it), then run
  systemctl --user daemon-reload && systemctl --user enable --now mailflow.timer

Check it with `systemctl --user list-timers mailflow.timer`; the output of each run is
in `journalctl --user -u mailflow.service`. Nobody reads the journal unprompted, so set
notify_command and/or digest in the settings to hear about drafts waiting for review.

Your user's systemd runs only while you are logged in. To keep mailflow running after
you log out (or on a server you never log in to), run once:
  loginctl enable-linger $USER"""
    raise ValueError(f"{kind!r}: the schedule kinds are cron and systemd")


# --- cron ------------------------------------------------------------------------------


def _cron_schedule(every_minutes: int) -> str:
    """The five time fields: minute hour day-of-month month day-of-week."""
    n = _positive(every_minutes)
    if n in _CRON_MINUTES:
        return "* * * * *" if n == 1 else f"*/{n} * * * *"
    if n % 60 == 0 and n // 60 in _CRON_HOURS:
        hours = n // 60
        return f"0 {'*' if hours == 1 else f'*/{hours}'} * * *"
    raise ValueError(
        f"cron cannot run something evenly every {n} minutes: use one of "
        f"{', '.join(map(str, _CRON_MINUTES))} minutes, or a whole number of hours that "
        "divides 24"
    )


def _shell_word(value: str) -> str:
    return shlex.quote(value)


def _cron_percent(command: str) -> str:
    # cron cuts the command at the first unescaped % (the rest becomes stdin), even inside
    # shell quotes; it removes the backslash of `\%` before handing the line to /bin/sh.
    return command.replace("%", "\\%")


# --- systemd ---------------------------------------------------------------------------


def _systemd_word(value: str, *, expand_env: bool) -> str:
    """One ExecStart= word that systemd reads back as exactly `value`."""
    escaped = value.replace("%", "%%")
    if expand_env:
        escaped = escaped.replace("$", "$$")
    if _SYSTEMD_BARE.fullmatch(value):
        return escaped
    # Inside double quotes only the backslash and the double quote need escaping; the
    # unit-file line cannot end in a lone backslash (a continuation) since it ends in `"`.
    escaped = escaped.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


# --- shared ----------------------------------------------------------------------------


def _absolute(value: str | Path, what: str) -> str:
    text = str(value)
    if not Path(text).is_absolute():
        raise ValueError(f"{what} {text!r} must be an absolute path: cron and systemd do not "
                         "run in your current directory")
    bad = [ch for ch in text if ord(ch) < 0x20 or ord(ch) == 0x7F]
    if bad:
        raise ValueError(f"{what} {text!r} contains a control character (like a line break), "
                         "which neither a crontab nor a unit file can hold: rename it")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{what} {text!r} is not valid UTF-8: rename it") from None
    return text


def _positive(every_minutes: int) -> int:
    # bool is an int; `every_minutes=True` is a bug, not "every minute".
    if isinstance(every_minutes, bool) or not isinstance(every_minutes, int) \
            or every_minutes < 1:
        raise ValueError(f"every {every_minutes!r} minutes: use a whole number of at least 1")
    return every_minutes
