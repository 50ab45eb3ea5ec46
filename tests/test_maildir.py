import mailbox

import pytest

from mailflow.errors import ConnectionFailed
from mailflow.maildir import MaildirSource

from factories import mail
from test_poller import NOW


def test_reads_inbox_and_maildirplusplus_folders(tmp_path):
    box = mailbox.Maildir(tmp_path / "m", factory=None, create=True)
    key = box.add(mail("One", "x", date=NOW))
    sent = box.add_folder("Sent Items")
    sent.add(mail("Two", "y", date=NOW))
    src = MaildirSource(tmp_path / "m")
    assert src.keys("INBOX") == [key]
    assert src.sent_folder() == "Sent Items"
    assert b"Subject: One" in src.read("INBOX", key)
    assert src.read("INBOX", "gone") is None
    assert sorted(src.folders()) == ["INBOX", "Sent Items"]


def test_not_a_maildir(tmp_path):
    with pytest.raises(ConnectionFailed, match="is not a Maildir"):
        MaildirSource(tmp_path)


def test_unknown_folder(tmp_path):
    mailbox.Maildir(tmp_path / "m", create=True)
    with pytest.raises(ConnectionFailed, match="no folder 'Jobs'"):
        MaildirSource(tmp_path / "m").keys("Jobs")


def test_reading_changes_no_file(tmp_path):
    box = mailbox.Maildir(tmp_path / "m", factory=None, create=True)
    box.add(mail("One", "x", date=NOW))
    before = sorted(p.name for p in (tmp_path / "m").rglob("*"))
    src = MaildirSource(tmp_path / "m")
    for k in src.keys("INBOX"):
        src.read("INBOX", k)
    assert sorted(p.name for p in (tmp_path / "m").rglob("*")) == before
