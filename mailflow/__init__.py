"""mailflow: keeps a job seeker's interview conversations moving, never sending unread mail."""

__version__ = "0.1.0"
