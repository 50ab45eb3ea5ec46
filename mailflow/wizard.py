"""`mailflow init`: the questions, the settings file, the keyring, a first login.

Terminal I/O goes through click, so the tests drive it with CliRunner's input.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from mailflow import credentials
from mailflow.errors import MailflowError, SecretError, UsageError
from mailflow.settings import load, system_zone

TEMPLATE = """\
# mailflow settings, written by `mailflow init`. settings.example.ini documents every key.

[user]
name = {name}
email = {email}
phone = {phone}
timezone = {timezone}

[account]
source = imap
host = {host}
port = {port}
security = {security}
username = {username}
{password_line}
[smtp]
host = {smtp_host}
port = {smtp_port}
security = starttls
username = {username}
{smtp_password_line}"""


def run(path: Path) -> None:
    if path.exists() and not click.confirm(f"{path} exists. Replace it?", default=False):
        raise UsageError("nothing changed", hint=f"edit {path} by hand, or pass --path")
    name = click.prompt("Your name")
    email = click.prompt("Your email address")
    phone = click.prompt("Your phone number (for recruiters to call)", default="",
                         show_default=False)
    timezone = click.prompt("Your time zone", default=system_zone())
    host = click.prompt("IMAP server", default=_guess_host(email, "imap"))
    security = click.prompt("IMAP security", default="ssl",
                            type=click.Choice(["ssl", "starttls", "none"]))
    port = click.prompt("IMAP port", default=993 if security == "ssl" else 143, type=int)
    username = click.prompt("Username", default=email)
    secret = click.prompt("Password (or app password)", hide_input=True)
    smtp_host = click.prompt("SMTP server", default=_guess_host(email, "smtp"))

    stored = True
    keyring_user = f"imap:{username}@{host}"
    try:
        credentials.store_in_keyring(keyring_user, secret)
        credentials.store_in_keyring(f"smtp:{username}@{smtp_host}", secret)
    except SecretError as exc:
        stored = False
        click.echo(f"Note: {exc}", err=True)
    text = TEMPLATE.format(
        name=name, email=email, phone=phone, timezone=timezone, host=host, port=port,
        security=security, username=username, smtp_host=smtp_host, smtp_port=587,
        password_line="" if stored else "# password_command = pass show mail/imap\n",
        smtp_password_line="" if stored else "# password_command = pass show mail/smtp\n",
    )
    settings = load(text, path)  # the same validation a run uses: never write a bad file
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
    click.echo(f"Wrote {path}")

    from mailflow.imap import ImapSource

    try:
        with ImapSource(settings.account, password=secret) as src:
            sent = src.sent_folder()
    except MailflowError as exc:
        click.echo(f"The login did not work yet: {exc}", err=True)
        raise
    click.echo(f"Logged in to {host}. Sent folder: {sent or 'not found (set sent_folder)'}.")
    click.echo("Next: mailflow poll, then mailflow status.")


def _guess_host(email: str, kind: str) -> str:
    domain = email.rsplit("@", 1)[-1].lower()
    known = {
        "gmail.com": {"imap": "imap.gmail.com", "smtp": "smtp.gmail.com"},
        "outlook.com": {"imap": "outlook.office365.com", "smtp": "smtp.office365.com"},
        "hotmail.com": {"imap": "outlook.office365.com", "smtp": "smtp.office365.com"},
        "fastmail.com": {"imap": "imap.fastmail.com", "smtp": "smtp.fastmail.com"},
    }
    return known.get(domain, {}).get(kind, f"{kind}.{domain}")
