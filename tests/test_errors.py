from mailflow.errors import (
    ExitStatus,
    LoginFailed,
    MailflowError,
    RunInProgress,
    SettingsError,
    TLSFailure,
    UsageError,
)


def test_exit_codes():
    assert MailflowError("x").exit_status == ExitStatus.RUN_ERROR == 1
    assert SettingsError("x").exit_status == UsageError("x").exit_status == ExitStatus.USAGE == 2
    assert RunInProgress("x").exit_status == ExitStatus.LOCKED == 75
    assert TLSFailure("x").exit_status == LoginFailed("x").exit_status == 1


def test_message_and_hint_read_as_one_line():
    assert str(MailflowError("cannot reach x", hint="check host")) == "cannot reach x (check host)"
    assert str(MailflowError("plain")) == "plain"
