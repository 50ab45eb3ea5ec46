"""`mailflow schedule` output: a crontab line cron and /bin/sh read back as the argv we
meant, and systemd units that systemd itself accepts (`systemd-analyze verify`)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mailflow.schedule import crontab_line, install_instructions, systemd_units

# Every character that means something to sh, cron or systemd, in one directory name.
HOSTILE_DIR = "my mail $HOME %d ;&|`x` 'q' \"dq\" \\ é"


def recorder(path: Path) -> Path:
    """An executable that writes its argv (without argv[0]) as JSON to $ARGV_OUT."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        "with open(os.environ['ARGV_OUT'], 'w') as f:\n"
        "    json.dump(sys.argv[1:], f)\n"
        "print('output for cron')\n"
    )
    path.chmod(0o755)
    return path


# --- cron ------------------------------------------------------------------------------

FIELD_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]  # crontab(5)


def cron_field_values(field: str, low: int, high: int) -> set[int]:
    """The values one crontab time field selects; AssertionError when it is not valid."""
    values: set[int] = set()
    for part in field.split(","):
        m = re.fullmatch(r"(\*|\d+(?:-\d+)?)(?:/(\d+))?", part)
        assert m, f"{field!r} is not a crontab time field"
        base, step = m.group(1), int(m.group(2) or 1)
        assert step >= 1
        if base == "*":
            start, stop = low, high
        elif "-" in base:
            start, stop = map(int, base.split("-"))
        else:
            start = stop = int(base)
            assert m.group(2) is None, "a step needs a range or *"
        assert low <= start <= stop <= high, f"{part!r} is outside {low}-{high}"
        values.update(range(start, stop + 1, step))
    return values


def split_crontab_line(line: str) -> tuple[list[set[int]], str]:
    """Five time fields (as the values they select) and the command, as cron splits them."""
    assert "\n" not in line and "\r" not in line
    parts = line.split(None, 5)
    assert len(parts) == 6, f"not 5 time fields and a command: {line!r}"
    fields = [cron_field_values(f, lo, hi) for f, (lo, hi) in zip(parts[:5], FIELD_RANGES, strict=True)]
    return fields, parts[5]


def as_cron_passes_it_to_sh(command: str) -> str:
    """cron's own pass over the command (crontab(5)): an unescaped % ends the command (the
    rest is stdin) and `\\%` loses its backslash. The test insists on no stdin part."""
    out, escaped = [], False
    for ch in command:
        if escaped:
            out.append(ch if ch == "%" else "\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "%":
            raise AssertionError(f"unescaped % in the crontab command: {command!r}")
        else:
            out.append(ch)
    if escaped:
        out.append("\\")
    return "".join(out)


def run_minutes(fields: list[set[int]]) -> list[int]:
    """Minutes of the day the line runs at (day, month and weekday fields must be `*`)."""
    assert fields[2] == set(range(1, 32)) and fields[3] == set(range(1, 13))
    assert fields[4] == set(range(0, 8))
    return sorted(h * 60 + m for h in fields[1] for m in fields[0])


def test_the_default_line_runs_quietly_every_ten_minutes():
    line = crontab_line(executable="/home/alex/.local/bin/mailflow",
                        config=Path("/home/alex/.config/mailflow/settings.ini"))
    assert line == ("*/10 * * * * /home/alex/.local/bin/mailflow "
                    "--config /home/alex/.config/mailflow/settings.ini -q run")
    fields, command = split_crontab_line(line)
    assert run_minutes(fields)[:3] == [0, 10, 20]
    assert shlex.split(as_cron_passes_it_to_sh(command))[-2:] == ["-q", "run"]


@pytest.mark.parametrize("every", [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 360, 1440])
def test_cron_intervals_are_even_all_day(every):
    line = crontab_line(executable="/usr/bin/mailflow", config=Path("/etc/m.ini"),
                        every_minutes=every)
    fields, _ = split_crontab_line(line)
    minutes = run_minutes(fields)
    gaps = {b - a for a, b in zip(minutes, [*minutes[1:], minutes[0] + 1440], strict=True)}
    assert gaps == {every}, line


@pytest.mark.parametrize("every", [7, 45, 90, 300, 0, -5, True, 2.5])
def test_intervals_cron_cannot_keep_are_refused(every):
    with pytest.raises(ValueError):
        crontab_line(executable="/usr/bin/mailflow", config=Path("/etc/m.ini"),
                     every_minutes=every)


def test_hostile_paths_reach_mailflow_as_exact_argv_through_cron_and_sh(tmp_path):
    exe = recorder(tmp_path / HOSTILE_DIR / "bin dir" / "mail flow")
    config = tmp_path / HOSTILE_DIR / "settings 100%.ini"
    log = tmp_path / HOSTILE_DIR / "run %s.log"
    line = crontab_line(executable=str(exe), config=config, every_minutes=5, log=log)
    fields, command = split_crontab_line(line)
    assert run_minutes(fields)[:2] == [0, 5]

    sh_command = as_cron_passes_it_to_sh(command)
    words = shlex.split(sh_command)
    assert words[:5] == [str(exe), "--config", str(config), "-q", "run"]
    assert words[5:] == [f">>{log}", "2>&1"]

    # And for real: /bin/sh runs it from an unrelated directory, as cron would.
    out = tmp_path / "argv.json"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "ARGV_OUT": str(out)}
    subprocess.run(["/bin/sh", "-c", sh_command], env=env, cwd="/", check=True, timeout=30)
    assert json.loads(out.read_text()) == ["--config", str(config), "-q", "run"]
    assert log.read_text() == "output for cron\n"
    assert not (Path("/") / "x").exists() and not (tmp_path / "x").exists()


def test_without_a_log_the_output_goes_to_cron_which_mails_it(tmp_path):
    exe = recorder(tmp_path / "a b" / "mailflow")
    line = crontab_line(executable=str(exe), config=tmp_path / "a b" / "s.ini")
    _, command = split_crontab_line(line)
    assert ">" not in command and "2>&1" not in command
    env = {"PATH": "/usr/bin:/bin", "ARGV_OUT": str(tmp_path / "argv.json")}
    done = subprocess.run(["/bin/sh", "-c", as_cron_passes_it_to_sh(command)], env=env,
                          capture_output=True, text=True, check=True, timeout=30)
    assert done.stdout == "output for cron\n"


@pytest.mark.parametrize("kwargs", [
    {"executable": "mailflow", "config": Path("/etc/m.ini")},
    {"executable": "/usr/bin/mailflow", "config": Path("settings.ini")},
    {"executable": "/usr/bin/mailflow", "config": Path("/tmp/a\nb.ini")},
    {"executable": "/usr/bin/mail\rflow", "config": Path("/etc/m.ini")},
    {"executable": "/usr/bin/mailflow", "config": Path("/etc/m.ini"), "log": Path("rel.log")},
])
def test_paths_cron_cannot_hold_are_refused(kwargs):
    with pytest.raises(ValueError):
        crontab_line(**kwargs)


# --- systemd ---------------------------------------------------------------------------


def parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """systemd's INI dialect (systemd.syntax(7)): sections, Key=value, # and ; comments,
    repeatable keys. No continuation lines are expected in our units."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        assert not line.endswith("\\"), f"unexpected continuation: {raw!r}"
        if line.startswith("["):
            assert line.endswith("]"), raw
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"key outside a section: {raw!r}"
        key, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Za-z0-9-]+", key.strip()), f"not Key=value: {raw!r}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


_C_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
              "\\": "\\", '"': '"', "'": "'", "s": " "}


def systemd_exec_argv(value: str) -> list[str]:
    """ExecStart= words as systemd.service(5) reads them: whitespace splits unless quoted,
    C escapes, `%%` is a literal %, and in the arguments (not the program path) `$$` is a
    literal $. Other specifiers or variables would make the result depend on the host."""
    words: list[str] = []
    i, n = 0, len(value)
    while i < n:
        while i < n and value[i] in " \t":
            i += 1
        if i == n:
            break
        word, quote = [], None
        while i < n and (quote or value[i] not in " \t"):
            ch = value[i]
            if ch == "\\":
                word.append(_C_ESCAPES[value[i + 1]])
                i += 2
                continue
            if quote and ch == quote:
                quote = None
            elif not quote and ch in "\"'":
                quote = ch
            else:
                word.append(ch)
            i += 1
        assert quote is None, f"unclosed quote in {value!r}"
        words.append("".join(word))
    out = []
    for k, word in enumerate(words):
        assert not re.search(r"%[^%]", word.replace("%%", "")), f"a specifier in {word!r}"
        word = word.replace("%%", "%")
        if k > 0:
            assert not re.search(r"\$[^$]", word.replace("$$", "")), f"a variable in {word!r}"
            word = word.replace("$$", "$")
        out.append(word)
    return out


def test_the_units_have_the_sections_and_keys_a_user_timer_needs():
    units = systemd_units(executable="/home/alex/.local/bin/mailflow",
                          config=Path("/home/alex/.config/mailflow/settings.ini"),
                          every_minutes=15)
    assert set(units) == {"mailflow.service", "mailflow.timer"}
    service = parse_unit(units["mailflow.service"])
    assert set(service) == {"Unit", "Service"}
    assert service["Unit"]["Description"][0]
    s = service["Service"]
    assert s["Type"] == ["oneshot"]
    assert systemd_exec_argv(s["ExecStart"][0]) == [
        "/home/alex/.local/bin/mailflow", "--config", "/home/alex/.config/mailflow/settings.ini",
        "-q", "run"]
    assert s["SuccessExitStatus"] == ["75"]  # lock held by another run: not a failure
    assert int(s["Nice"][0]) > 0
    assert re.fullmatch(r"\d+min", s["TimeoutStartSec"][0])
    # No secrets and nothing from the caller's environment in a world-readable unit file.
    assert "Environment" not in s and "EnvironmentFile" not in s
    assert not re.search(r"(?i)^\s*[^#].*(password|token|secret)\s*=",
                         units["mailflow.service"], re.MULTILINE)

    timer = parse_unit(units["mailflow.timer"])
    assert set(timer) == {"Unit", "Timer", "Install"}
    t = timer["Timer"]
    assert t["OnUnitActiveSec"] == ["15min"]
    assert t["OnBootSec"] and t["Persistent"] == ["true"]
    assert "Unit" not in t  # the timer starts mailflow.service by its matching name
    assert timer["Install"]["WantedBy"] == ["timers.target"]


def test_hostile_paths_are_quoted_for_systemd():
    exe = "/home/alex/my tools %h $HOME é/mail flow"
    config = Path(f"/home/alex/{HOSTILE_DIR}/settings 100%.ini")
    units = systemd_units(executable=exe, config=config)
    exec_start = parse_unit(units["mailflow.service"])["Service"]["ExecStart"]
    assert len(exec_start) == 1
    assert systemd_exec_argv(exec_start[0]) == [exe, "--config", str(config), "-q", "run"]


@pytest.mark.parametrize("exe", ["/opt/it's/mailflow", '/opt/"q"/mailflow', "/opt/a\\b/mailflow",
                                 "mailflow", "/opt/a\nb/mailflow"])
def test_programs_systemd_refuses_to_run_are_refused_here(exe):
    with pytest.raises(ValueError):
        systemd_units(executable=exe, config=Path("/etc/m.ini"))


def test_every_minutes_must_be_a_positive_whole_number():
    for bad in (0, -1, True, 1.5):
        with pytest.raises(ValueError):
            systemd_units(executable="/usr/bin/mailflow", config=Path("/etc/m.ini"),
                          every_minutes=bad)  # type: ignore[arg-type]
    units = systemd_units(executable="/usr/bin/mailflow", config=Path("/etc/m.ini"),
                          every_minutes=7)  # fine for systemd, unlike cron
    assert "OnUnitActiveSec=7min" in units["mailflow.timer"]


def sh_words(text: str) -> list[str]:
    """Words of a POSIX sh command line, without expansions. Unlike shlex, a backslash in
    double quotes also escapes $ and ` (that is how systemd's dump quotes words)."""
    words: list[str] = []
    word: list[str] = []
    in_word, quote, i = False, "", 0
    while i < len(text):
        ch = text[i]
        if quote == "'":
            if ch == "'":
                quote = ""
            else:
                word.append(ch)
        elif quote == '"':
            if ch == "\\" and text[i + 1] in '$`"\\':
                i += 1
                word.append(text[i])
            elif ch == '"':
                quote = ""
            else:
                word.append(ch)
        elif ch in " \t":
            if in_word:
                words.append("".join(word))
                word, in_word = [], False
        else:
            in_word = True
            if ch == "\\":
                i += 1
                word.append(text[i])
            elif ch in "'\"":
                quote = ch
            else:
                word.append(ch)
        i += 1
    assert not quote, f"unclosed quote in {text!r}"
    if in_word:
        words.append("".join(word))
    return words


def systemd_analyze_verify(
    directory: Path, level: str = "notice"
) -> subprocess.CompletedProcess[str]:
    """`systemd-analyze verify --user` on the two units in `directory`."""
    runtime = directory / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    # A user manager needs a runtime directory; at its default level it prints nothing,
    # not even errors, hence an explicit level (notice: errors and warnings).
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "SYSTEMD_LOG_LEVEL": level,
           "SYSTEMD_PAGER": "", "SYSTEMD_COLORS": "0"}
    files = [str(directory / "mailflow.service"), str(directory / "mailflow.timer")]
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", "--user", *files],
                          env=env, capture_output=True, text=True, timeout=120)
    if "Failed to initialize manager" in done.stderr:
        # No user manager could start in this sandbox: the system manager reads the same
        # unit syntax and checks the same ExecStart.
        done = subprocess.run(["systemd-analyze", "verify", "--man=no", *files],
                              env=env, capture_output=True, text=True, timeout=120)
    return done


def verify_problems(done: subprocess.CompletedProcess[str]) -> list[str]:
    # Unknown keys and the like are warnings with exit status 0: any line about our units
    # counts. Lines about the host's other units (a sandbox's odd setup) do not.
    problems = [ln for ln in done.stderr.splitlines() if "mailflow." in ln]
    if done.returncode != 0:
        problems.append(f"exit status {done.returncode}")
    return problems


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed (apt-get install systemd); the "
                           "units are still checked by parsing them above")
def test_systemd_analyze_verify_accepts_the_units(tmp_path):
    # verify checks that ExecStart's program exists and is executable, so it gets a real one,
    # in a directory whose name needs every kind of escaping systemd accepts in a path.
    exe = recorder(tmp_path / "my tools %h $HOME é" / "mail flow")
    config = tmp_path / HOSTILE_DIR / "settings 100%.ini"
    for name, text in systemd_units(executable=str(exe), config=config).items():
        (tmp_path / name).write_text(text)

    done = systemd_analyze_verify(tmp_path)
    assert verify_problems(done) == [], done.stderr[-3000:]

    # The manager's own dump (debug level) shows the command line it parsed: where present,
    # it must be our argv (specifiers resolved, `$$` still waiting for exec time).
    debug = systemd_analyze_verify(tmp_path, "debug")
    dumped = re.findall(r"Command Line: (.*)", debug.stdout + debug.stderr)
    if dumped:
        argv = sh_words(dumped[0])
        assert argv[0] == str(exe)
        assert [a.replace("$$", "$") for a in argv[1:]] == ["--config", str(config), "-q", "run"]

    # The check has teeth: the same units with a program that does not exist are refused.
    exe.rename(exe.with_name("gone"))
    assert verify_problems(systemd_analyze_verify(tmp_path)) != []


def test_install_instructions_say_how_and_what_to_know():
    cron = install_instructions("cron")
    assert "crontab -e" in cron and "MAILTO" in cron
    systemd = install_instructions("systemd")
    assert "~/.config/systemd/user/" in systemd
    assert "systemctl --user daemon-reload && systemctl --user enable --now mailflow.timer" \
        in systemd
    assert "loginctl enable-linger" in systemd
    assert "journalctl --user -u mailflow.service" in systemd
    with pytest.raises(ValueError):
        install_instructions("launchd")
