"""The command line: click commands over `service`, and the one error handler.

Exit codes: 0 fine; 1 a run error (server unreachable, login refused); 2 bad settings or
usage; 75 another run holds the lock (cron tries again next time).
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from mailflow import settings as settings_mod
from mailflow.errors import ExitStatus, MailflowError, RunInProgress, SettingsError, UsageError

EXIT_CODES = """\b
Exit codes: 0 fine, 1 a run error (server unreachable, login refused),
2 bad settings or usage, 75 another run holds the lock."""


class Context:
    def __init__(self, config: str | None, now: str | None, debug: bool,
                 quiet: bool = False) -> None:
        self.quiet = quiet
        self.config_path = settings_mod.locate(config)
        self.now_text = now
        self.debug = debug
        self._settings: settings_mod.Settings | None = None

    @property
    def settings(self) -> settings_mod.Settings:
        if self._settings is None:
            self._settings = settings_mod.read(self.config_path)
            _log_to_file(self._settings)
        return self._settings

    def now(self, zone: str | None = None) -> datetime:
        """The clock, read once per command: --now, else the real time."""
        if not self.now_text:
            return datetime.now(UTC)
        try:
            value = datetime.fromisoformat(self.now_text)
        except ValueError:
            raise UsageError(
                f"--now {self.now_text!r} is not an ISO 8601 time",
                hint="like 2026-11-24T15:00:00+01:00",
            ) from None
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo(zone or self.settings.user.timezone))
        return value


def _log_to_file(settings: settings_mod.Settings) -> None:
    """A log file in the state directory: what cron runs did, for when something looks off."""
    from logging.handlers import RotatingFileHandler

    from mailflow.store import prepare_state_dir

    try:
        prepare_state_dir(settings.state_dir)
        handler = RotatingFileHandler(settings.state_dir / "mailflow.log", maxBytes=1_000_000,
                                      backupCount=3, encoding="utf-8")
    except (OSError, MailflowError):
        return  # an unwritable state dir is reported where it matters, by the store
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("mailflow").addHandler(handler)


class MailflowGroup(click.Group):
    """Turns every MailflowError into one line on stderr and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MailflowError as exc:
            obj = ctx.obj
            if isinstance(obj, Context) and obj.debug:
                raise
            # Under cron (-q) a run that finds the previous one still going says nothing:
            # the exit code tells, and the next run catches up.
            if not (isinstance(exc, RunInProgress) and isinstance(obj, Context) and obj.quiet):
                click.echo(f"mailflow: {exc}", err=True)
            sys.exit(int(exc.exit_status))
        except KeyboardInterrupt:
            click.echo("mailflow: interrupted; nothing half-done was kept", err=True)
            sys.exit(130)


@click.group(cls=MailflowGroup, epilog=EXIT_CODES)
@click.option("--config", "config", metavar="PATH", envvar=None,
              help="Settings file (default: $MAILFLOW_CONFIG, else "
                   "~/.config/mailflow/settings.ini).")
@click.option("--now", metavar="ISO8601", help="Run at a simulated time (tests, the example).")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.option("-v", "--verbose", count=True, help="More log output (repeat for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.version_option(package_name="mailflow")
@click.pass_context
def cli(ctx: click.Context, config: str | None, now: str | None, debug: bool,
        verbose: int, quiet: bool) -> None:
    """Keep interview conversations moving, without sending anything you did not read.

    \b
    Example:
      mailflow --config examples/settings.ini poll
      mailflow --config examples/settings.ini status
    """
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logger = logging.getLogger("mailflow")
    logger.setLevel(min(level, logging.INFO))  # the log file always gets INFO
    logger.propagate = False
    for handler in list(logger.handlers):  # CliRunner invokes main() many times in one process
        logger.removeHandler(handler)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(level)
    console.setFormatter(logging.Formatter("mailflow: %(message)s"))
    logger.addHandler(console)
    ctx.obj = Context(config, now, debug, quiet)


@cli.command()
@click.option("--account", metavar="NAME", help="Poll only this account.")
@click.pass_obj
def poll(obj: Context, account: str | None) -> None:
    """Read new mail (read-only) and update the tracked threads.

    \b
    Example:
      mailflow poll
      mailflow --config examples/settings.ini poll
    """
    from mailflow import service

    settings = obj.settings
    if account and account not in {a.name for a in settings.accounts}:
        raise UsageError(f"there is no account {account!r} in {settings.path}")
    reports = service.poll(settings, obj.now(), progress=_progress_factory(), only=account)
    for report in reports:
        logging.getLogger("mailflow").info(
            "%s: %d screened, %d read, %d tracked, %d new threads, %d problems",
            report.account, sum(report.folders.values()), report.fetched, report.tracked,
            report.new_threads, report.problems,
        )


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--problems", is_flag=True, help="List messages that could not be read fully.")
@click.pass_obj
def status(obj: Context, as_json: bool, problems: bool) -> None:
    """Every tracked thread: counterpart, company, state, interview, next step.

    \b
    Example:
      mailflow status
      mailflow status --json | jq '.threads[] | select(.state == "scheduled")'
    """
    from mailflow import service

    settings = obj.settings
    if problems:
        rows = service.problems(settings)
        for r in rows:
            click.echo(f"{r['folder']} uid {r['uid'] or '-'}  {r['subject'] or '(no subject)'}: "
                       f"{r['what']}")
        if not rows:
            click.echo("No problems recorded.")
        return
    lines, accounts = service.status(settings, obj.now())
    problem_count = len(service.problems(settings))
    if as_json:
        click.echo(json.dumps({
            "threads": [line.to_json() for line in lines],
            "accounts": [dict(a) for a in accounts],
            "problems": problem_count,
        }, indent=2))
        return
    if not lines:
        click.echo("No interview threads yet. Run `mailflow poll` first.")
    else:
        _table(
            ["#", "With", "Company", "State", "Interview", "Last message", "Next step"],
            [[str(x.id), x.counterpart, x.company, x.state.replace("_", " "), x.interview,
              x.last_message, x.next_step] for x in lines],
        )
        for x in lines:
            for flag in x.flags:
                click.echo(f"! thread {x.id}: {flag}")
    for a in accounts:
        if a["last_error"]:
            click.echo(f"\nAccount {a['name']}: last poll failed at {a['last_error_at']}: "
                       f"{a['last_error']}")
    if problem_count:
        click.echo(f"\n{problem_count} message(s) could not be read fully: "
                   "mailflow status --problems")


@cli.command()
@click.argument("thread", type=int)
@click.pass_obj
def show(obj: Context, thread: int) -> None:
    """One thread's messages and events, oldest first.

    \b
    Example:
      mailflow show 3
    """
    from mailflow import service

    settings = obj.settings
    row, items = service.show(settings, thread)
    zone = ZoneInfo(settings.user.timezone)
    click.echo(f"Thread {row['id']}: {row['subject']}")
    click.echo(f"With {row['counterpart_name'] or ''} <{row['counterpart_email']}>"
               f"{'  (' + row['company'] + ')' if row['company'] else ''}; state {row['state']}")
    for item in items:
        at = datetime.fromisoformat(str(item["at"])).astimezone(zone).strftime("%Y-%m-%d %H:%M")
        if item["type"] == "message":
            arrow = "->" if item["direction"] == "out" else "<-"
            click.echo(f"\n{at} {arrow} [{item['kind']}] {item['from']}: {item['subject']}")
            for text_line in str(item["excerpt"]).splitlines()[:6]:
                click.echo(f"    {text_line}")
        elif item["type"] == "draft":
            click.echo(f"{at}    draft {item['id']} {item['kind']} ({item['state']})")
        else:
            click.echo(f"{at}    event {item['name']} {_brief(item['data'])}")


@cli.command()
@click.pass_obj
def plan(obj: Context) -> None:
    """Bring the timeline up to date: create due drafts, expire stale ones.

    \b
    Example:
      mailflow plan
      mailflow --now 2026-11-24T12:00:00-05:00 plan
    """
    from mailflow import service

    report = service.plan(obj.settings, obj.now())
    _plan_summary(report)


@cli.command()
@click.pass_obj
def run(obj: Context) -> None:
    """The scheduled job: poll, bring the timeline up to date, say what needs you.

    Silent when there is nothing to say, so cron mails you only when it matters.

    \b
    Example:
      mailflow run
      */10 * * * * mailflow -q run
    """
    from mailflow import service

    report = service.run_once(obj.settings, obj.now(), progress=_progress_factory())
    _report_run(report)
    if report.alerts:
        sys.exit(int(ExitStatus.RUN_ERROR))


@cli.command()
@click.option("--interval", default=300.0, show_default=True, metavar="SECONDS",
              help="Run at least this often, even with no mail and nothing due.")
@click.pass_obj
def watch(obj: Context, interval: float) -> None:
    """Stay connected: react to new mail within seconds (IMAP IDLE) and to timed actions.

    Stops cleanly on Ctrl-C or SIGTERM. Reconnects with backoff when the server goes away.

    \b
    Example:
      mailflow watch
      mailflow --now 2026-11-24T12:55:00-05:00 watch --interval 5
    """
    from mailflow import watch as watcher

    settings = obj.settings
    clock = watcher.Clock(obj.now() if obj.now_text else None)
    watcher.watch(settings, clock, interval, _report_run)


@cli.command()
@click.argument("kind", type=click.Choice(["cron", "systemd"]))
@click.option("--every", default=10, show_default=True, metavar="MINUTES",
              help="How often the run happens.")
@click.pass_obj
def schedule(obj: Context, kind: str, every: int) -> None:
    """Print a ready crontab line, or a systemd user service and timer, for these settings.

    \b
    Example:
      mailflow schedule cron
      mailflow schedule systemd --every 5
    """
    import shutil

    from mailflow import schedule as schedules

    settings = obj.settings  # validated first: never schedule a broken file
    executable = shutil.which("mailflow") or sys.argv[0]
    try:
        if kind == "cron":
            click.echo(schedules.crontab_line(executable=executable, config=settings.path.resolve(),
                                              every_minutes=every))
        else:
            for name, text in schedules.systemd_units(executable=executable,
                                                      config=settings.path.resolve(),
                                                      every_minutes=every).items():
                click.echo(f"# ~/.config/systemd/user/{name}\n{text}")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    click.echo("\n" + schedules.install_instructions(kind), err=True)


@cli.command()
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a self-contained HTML page (a timeline of every thread) here.")
@click.option("--json", "as_json", is_flag=True, help="The data the page is built from.")
@click.pass_context
def report(ctx: click.Context, html_path: Path | None, as_json: bool) -> None:
    """The whole search at a glance: a terminal table, an HTML timeline, or JSON.

    \b
    Example:
      mailflow report
      mailflow report --html ~/interviews.html
    """
    from mailflow import report as reports

    obj: Context = ctx.obj
    if html_path is None and not as_json:
        ctx.invoke(status)
        return
    data = reports.build(obj.settings, obj.now())
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    if html_path is not None:
        _write_private(html_path, reports.render_html(data).encode("utf-8"))
        click.echo(f"Wrote {html_path}", err=as_json)


@cli.command()
@click.option("--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the .ics (default: standard output).")
@click.pass_obj
def calendar(obj: Context, output: Path | None) -> None:
    """Every interview as a calendar event (.ics), with its zone and a 15-minute alarm.

    Importing it again updates the events instead of duplicating them.

    \b
    Example:
      mailflow calendar --output ~/interviews.ics
    """
    from mailflow import ics

    data = ics.export(obj.settings, obj.now())
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        _write_private(output, data)
        click.echo(f"Wrote {output}")


def _write_private(path: Path, data: bytes) -> None:
    """Temp-then-rename, mode 0600: the file holds names and times from your mail."""
    import os

    path = path.expanduser()
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None


def _report_run(report) -> None:  # type: ignore[no-untyped-def]
    """One line per thing that needs the user; nothing when all is well (cron stays quiet)."""
    _plan_summary(report.plan)
    if report.poll_error is not None:
        logging.getLogger("mailflow").info("poll failed: %s", report.poll_error)  # quiet until alert_after
    if report.sent is not None:
        _send_summary(report.sent)
    if report.news:
        click.echo(f"{report.waiting} draft(s) wait for review: mailflow review")
    for alert in report.alerts:
        click.echo(f"mailflow: {alert}", err=True)


@cli.group(invoke_without_command=True)
@click.option("--all", "include_done", is_flag=True, help="Also sent, expired and discarded.")
@click.pass_context
def drafts(ctx: click.Context, include_done: bool) -> None:
    """The drafts waiting for review, with when each may be sent and until when.

    \b
    Example:
      mailflow drafts
      mailflow drafts --all
    """
    from mailflow import service

    if ctx.invoked_subcommand is not None:
        return
    obj: Context = ctx.obj
    settings = obj.settings
    zone = ZoneInfo(settings.user.timezone)
    rows = service.list_drafts(settings, include_done)
    if not rows:
        click.echo("No drafts." if include_done else "No drafts wait for review.")
        return

    def when(value: str | None) -> str:
        if not value:
            return "-"
        return datetime.fromisoformat(value).astimezone(zone).strftime("%a %d %b %H:%M")

    _table(["#", "Thread", "Kind", "State", "Not before", "Expires", "Subject"],
           [[str(r["id"]), str(r["thread_id"]), r["kind"].replace("_", " "), r["state"],
             when(r["not_before"]), when(r["expires_at"]), r["subject"]] for r in rows])
    for r in rows:
        for note in json.loads(r["notes"]):
            click.echo(f"! draft {r['id']}: {note}")


@drafts.command("show")
@click.argument("draft_id", type=int, metavar="ID")
@click.option("--to", "to", metavar="ADDRESS", help="The recipient to fingerprint for.")
@click.pass_obj
def drafts_show(obj: Context, draft_id: int, to: str | None) -> None:
    """Print one draft exactly as it would leave, with its fingerprint.

    The fingerprint covers recipient, subject, body and threading: pass it to
    `mailflow approve ID --fingerprint F` to approve what you saw, not what the
    draft became.

    \b
    Example:
      mailflow drafts show 4
      mailflow drafts show 4 --to priya.shah@northwind.example
    """
    from mailflow import outbox, sending, service

    detail = service.draft_detail(obj.settings, draft_id)
    recipient = (to or detail.proposed_to).lower()
    fingerprint = outbox.fingerprint(sending.view(detail.draft), recipient)
    _print_draft(obj, detail, recipient)
    click.echo(f"\nfingerprint {fingerprint}")


@cli.command()
@click.argument("draft_id", type=int, metavar="ID")
@click.option("--fingerprint", required=True, help="From `mailflow drafts show ID`.")
@click.option("--to", "to", metavar="ADDRESS", help="Default: the thread's counterpart.")
@click.option("--outsider", is_flag=True,
              help="Confirm a recipient who took no part in the thread (typed in full).")
@click.pass_obj
def approve(obj: Context, draft_id: int, fingerprint: str, to: str | None,
            outsider: bool) -> None:
    """Approve a draft for sending, if it is still exactly what you read.

    It leaves after the undo window (and not before its time); until then
    `mailflow cancel ID` takes it back.

    \b
    Example:
      mailflow approve 4 --fingerprint 3f2a...
    """
    from mailflow import service

    row = service.approve(obj.settings, draft_id, obj.now(), to=to, seen_fingerprint=fingerprint,
                          typed_in_full=outsider)
    click.echo(_approved_line(obj, row))


@cli.command()
@click.argument("draft_id", type=int, metavar="ID")
@click.pass_obj
def cancel(obj: Context, draft_id: int) -> None:
    """Take back an approval before the message leaves (the undo window).

    \b
    Example:
      mailflow cancel 4
    """
    from mailflow import service

    service.cancel(obj.settings, draft_id, obj.now())
    click.echo(f"Draft {draft_id} is back in review; nothing was sent.")


@cli.command()
@click.argument("draft_id", type=int, metavar="ID")
@click.pass_obj
def discard(obj: Context, draft_id: int) -> None:
    """Throw a draft away; mailflow will not make it again.

    \b
    Example:
      mailflow discard 4
    """
    from mailflow import service

    service.discard(obj.settings, draft_id, obj.now())
    click.echo(f"Draft {draft_id} discarded.")


@cli.command()
@click.argument("draft_id", type=int, metavar="ID")
@click.pass_obj
def edit(obj: Context, draft_id: int) -> None:
    """Edit a draft in $EDITOR (as git does). Any approval is withdrawn.

    \b
    Example:
      EDITOR=nano mailflow edit 4
    """
    _edit(obj, draft_id)


@cli.command()
@click.pass_obj
def send(obj: Context) -> None:
    """Send what you approved and is due: poll first, then SMTP, exactly once.

    \b
    Example:
      mailflow send
    """
    from mailflow import service

    report = service.send(obj.settings, obj.now(), progress=_progress_factory())
    _send_summary(report)


@cli.command()
@click.pass_obj
def review(obj: Context) -> None:
    """Read each pending draft, exactly as it would leave, and decide.

    For a missed-call note it first asks whether the call took place. Needs a
    terminal: under cron or in a pipe it refuses and changes nothing.

    \b
    Example:
      mailflow review
    """
    from mailflow import outbox, sending, service

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("review needs a terminal (it shows each draft and asks you)",
                         hint="for scripts: mailflow drafts show ID, then mailflow approve ID")
    settings = obj.settings
    pending = [r for r in service.list_drafts(settings) if r["state"] in ("pending", "unknown")]
    if not pending:
        click.echo("Nothing to review.")
        return
    for position, row in enumerate(pending, 1):
        draft_id = row["id"]
        click.echo(click.style(f"\n== Draft {draft_id} ({position} of {len(pending)}) ==",
                               bold=True))
        if row["kind"].startswith("missed_call"):
            answer = click.prompt("Did the call take place?", type=click.Choice(
                ["yes", "no", "skip"]), default="skip")
            if answer == "yes":
                service.mark(settings, row["thread_id"], "held", obj.now())
                click.echo("Marked as held; the missed-call note is discarded.")
                continue
            if answer == "no":
                with contextlib.suppress(UsageError):  # already marked missed
                    service.mark(settings, row["thread_id"], "missed", obj.now())
        while True:
            detail = service.draft_detail(settings, draft_id)
            _print_draft(obj, detail, None)
            choice = click.prompt("[a]pprove, [e]dit, [s]kip, [d]iscard, [q]uit",
                                  type=click.Choice(["a", "e", "s", "d", "q"]),
                                  show_choices=False)
            if choice == "q":
                return
            if choice == "s":
                break
            if choice == "d":
                service.discard(settings, draft_id, obj.now())
                click.echo(f"Draft {draft_id} discarded.")
                break
            if choice == "e":
                _edit(obj, draft_id)
                continue
            to = click.prompt("Send to", default=detail.proposed_to).strip().lower()
            outsider = to not in detail.participants
            if outsider:
                click.echo(f"{to} took no part in this thread.")
                again = click.prompt("Type the address again, in full, to confirm")
                if again.strip().lower() != to:
                    click.echo("The addresses differ; not approved.")
                    continue
            seen = outbox.fingerprint(sending.view(detail.draft), to)
            try:
                approved = service.approve(settings, draft_id, obj.now(), to=to,
                                           seen_fingerprint=seen, typed_in_full=outsider)
            except UsageError as exc:
                click.echo(f"Not approved: {exc}")
                break
            click.echo(_approved_line(obj, approved))
            break


def _edit(obj: Context, draft_id: int) -> None:
    from mailflow import service

    detail = service.draft_detail(obj.settings, draft_id)
    text = f"Subject: {detail.draft['subject']}\n\n{detail.draft['body']}"
    edited = click.edit(text, extension=".txt", require_save=True)
    if edited is None or edited == text:
        click.echo("No change.")
        return
    head, _sep, body = edited.partition("\n\n")
    if not head.lower().startswith("subject:"):
        raise UsageError("the first line must stay `Subject: ...`, then a blank line")
    service.edit(obj.settings, draft_id, head.split(":", 1)[1].strip(), body, obj.now())
    click.echo(f"Draft {draft_id} changed; any approval was withdrawn.")


def _print_draft(obj: Context, detail, recipient: str | None) -> None:  # type: ignore[no-untyped-def]
    from mailflow import service

    settings = obj.settings
    zone = ZoneInfo(settings.user.timezone)
    d, t = detail.draft, detail.thread
    click.echo(f"Thread {t['id']}: {t['counterpart_name'] or ''} <{t['counterpart_email']}>"
               f"{'  ' + t['company'] if t['company'] else ''}  ({t['state'].replace('_', ' ')})")
    if detail.last_from_them is not None:
        m = detail.last_from_them
        click.echo(f"Their last message ({m['subject']}):")
        for line in str(m["excerpt"]).splitlines()[:4]:
            click.echo(f"  | {line}")
        facts = json.loads(m["facts"])
        if facts.get("evidence"):
            click.echo(f"  read from: \"{facts['evidence']}\"")
    if t["interview_start"]:
        start = datetime.fromisoformat(t["interview_start"])
        click.echo("Interview: " + service.format_instant(start, zone, t["interview_zone"]))
    click.echo(click.style("--- exactly as it will leave ---", dim=True))
    click.echo(f"From: {settings.user.name} <{settings.user.email}>")
    click.echo(f"To: {recipient or '(bound when you approve; proposed: ' + detail.proposed_to + ')'}")
    click.echo(f"Subject: {d['subject']}")
    if d["in_reply_to"]:
        click.echo(f"In-Reply-To: {d['in_reply_to']}")
    refs = json.loads(d["refs"])
    if refs:
        click.echo(f"References: {' '.join(refs)}")
    click.echo("")
    click.echo(d["body"].rstrip("\n"))
    click.echo(click.style("---", dim=True))
    not_before = datetime.fromisoformat(d["not_before"]).astimezone(zone)
    expires = (datetime.fromisoformat(d["expires_at"]).astimezone(zone).strftime("%a %d %b %H:%M")
               if d["expires_at"] else "never")
    click.echo(f"May leave from {not_before:%a %d %b %H:%M}; stale at {expires}.")
    for note in json.loads(d["notes"]):
        click.echo(click.style(f"note: {note}", fg="yellow"))
    for flag in detail.tone_flags:
        click.echo(click.style(f"tone: {flag.why}", fg="red"))
    if detail.cool_off_until:
        click.echo(click.style(
            "heated wording: it can be approved from "
            f"{detail.cool_off_until.astimezone(zone):%H:%M} (or edit it calmer)", fg="red"))
    if d["last_error"]:
        click.echo(f"last attempt: {d['last_error']}")


def _approved_line(obj: Context, row) -> str:  # type: ignore[no-untyped-def]
    zone = ZoneInfo(obj.settings.user.timezone)
    when = datetime.fromisoformat(row["send_after"]).astimezone(zone)
    return (f"Approved draft {row['id']} to {row['recipient']}. It leaves at the next run after "
            f"{when:%a %d %b %H:%M}; until then: mailflow cancel {row['id']}")


def _send_summary(report) -> None:  # type: ignore[no-untyped-def]
    for draft_id in report.sent:
        click.echo(f"Sent draft {draft_id}.")
    for draft_id in report.reconciled:
        click.echo(f"Draft {draft_id} was sent by an earlier run (found in Sent).")
    for draft_id in report.held:
        click.echo(f"Draft {draft_id} is back in review: they wrote since you approved it.")
    for draft_id in report.retry:
        click.echo(f"Draft {draft_id}: the server deferred it; mailflow will try again.")
    for draft_id in report.failed:
        click.echo(f"Draft {draft_id} failed; see mailflow drafts --all.")
    for draft_id in report.unknown:
        click.echo(f"Draft {draft_id}: not sure it was delivered; see mailflow drafts --all.")


@cli.command()
@click.argument("thread", type=int)
@click.argument("what", type=click.Choice(["held", "missed", "i-missed", "respond-by", "offer",
                                           "rejected"]))
@click.argument("day", required=False, metavar="[DATE]")
@click.pass_obj
def mark(obj: Context, thread: int, what: str, day: str | None) -> None:
    """Tell mailflow what happened: the call was held, they missed it, you missed it,
    the date they promised an answer by, an offer, a rejection.

    \b
    Example:
      mailflow mark 3 held
      mailflow mark 3 missed
      mailflow mark 3 respond-by 2026-12-04
    """
    from datetime import date

    from mailflow import service

    respond_by = None
    if what == "respond-by":
        try:
            respond_by = date.fromisoformat(day or "")
        except ValueError:
            raise UsageError(f"respond-by needs a date like 2026-12-04, not {day!r}") from None
    elif day:
        raise UsageError(f"mark {what} takes no date")
    state = service.mark(obj.settings, thread, what, obj.now(), respond_by)
    click.echo(f"Thread {thread} is now {state.value.replace('_', ' ')}.")


@cli.command()
@click.argument("thread", type=int)
@click.pass_obj
def withdraw(obj: Context, thread: int) -> None:
    """You are giving up on this company: a short, polite withdrawal is drafted.

    \b
    Example:
      mailflow withdraw 3
    """
    from mailflow import service

    service.mark(obj.settings, thread, "withdraw", obj.now())
    click.echo(f"Thread {thread} is withdrawn; the note waits for review: mailflow drafts")


def _plan_summary(report) -> None:  # type: ignore[no-untyped-def]
    log = logging.getLogger("mailflow")
    log.info("%d draft(s) created, %d expired, %d obsolete, %d thread(s) closed",
             len(report.created), len(report.expired), len(report.obsolete), len(report.closed))


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--tz", "tz", metavar="ZONE", help="Your time zone (default: the settings').")
@click.option("--me", "me", metavar="ADDRESS", multiple=True,
              help="Your own address (default: the settings' email).")
@click.pass_obj
def inspect(obj: Context, path: Path, as_json: bool, tz: str | None, me: tuple[str, ...]) -> None:
    """What mailflow understands from one message file (.eml).

    \b
    Example:
      mailflow inspect invite.eml
      mailflow inspect --json --tz Europe/Berlin invite.eml
    """
    from mailflow import classify, messages

    settings = _optional_settings(obj)
    zone = tz or (settings.user.timezone if settings else settings_mod.system_zone())
    try:
        ZoneInfo(zone)
    except (KeyError, ValueError):
        raise UsageError(f"--tz {zone!r} is not a time zone name (like Europe/Berlin)") from None
    addresses = me or (settings.user.addresses if settings else ())
    msg = messages.parse(path.read_bytes())
    understanding = classify.understand(msg, me=addresses, tz=zone)
    if as_json:
        click.echo(json.dumps(understanding.to_json(), indent=2, ensure_ascii=False))
        return
    click.echo(classify.describe(understanding, zone))


@cli.command()
@click.option("--path", "target", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the settings (default: the --config location).")
@click.pass_obj
def init(obj: Context, target: Path | None) -> None:
    """Ask a few questions, write the settings file, store the password, try the login.

    \b
    Example:
      mailflow init
    """
    from mailflow import wizard

    wizard.run(target or obj.config_path)


def _optional_settings(obj: Context) -> settings_mod.Settings | None:
    try:
        return obj.settings
    except SettingsError:
        if obj.config_path.exists():
            raise
        return None


def _progress_factory():  # type: ignore[no-untyped-def]
    if not sys.stderr.isatty():
        return None  # under cron: no bars, no noise

    class Bar:
        def __init__(self) -> None:
            self.bar: Any = None

        def start(self, total: int, label: str) -> None:
            if total >= 200:  # a short poll needs no bar
                self.bar = click.progressbar(length=total, label=label, file=sys.stderr)
                self.bar.__enter__()

        def advance(self, n: int) -> None:
            if self.bar is not None:
                self.bar.update(n)

        def finish(self) -> None:
            if self.bar is not None:
                self.bar.__exit__(None, None, None)
                self.bar = None

    return Bar


def _table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    # Long cells are cut, except in the last column, which may run on.
    widths = [min(w, 48) for w in widths[:-1]] + [widths[-1]]

    def fmt(cells: list[str]) -> str:
        return "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    click.echo(fmt(headers))
    click.echo(fmt(["-" * w for w in widths]))
    for r in rows:
        click.echo(fmt(r))


def _brief(data: Any) -> str:
    return " ".join(f"{k}={v}" for k, v in sorted(dict(data).items())) if data else ""


def main() -> None:
    cli(prog_name="mailflow")


__all__ = ["cli", "main", "ExitStatus"]
