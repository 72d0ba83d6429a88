"""pcbudget: five-year NHS primary care budget planning over SQLite budget books."""

__version__ = "0.1.0"
