"""The one exception type users can meet: its message is written for them and shown as is."""


class BookError(Exception):
    """A problem a user can act on: a bad value, a damaged or newer book, a locked book."""
