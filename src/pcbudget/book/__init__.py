"""The budget book: one SQLite file holding a five-year primary care budget (no Qt here)."""

from .create import NewLine, NewOrg, create_book
from .edits import Change, set_allocation, set_amount, set_amounts, set_population, set_rate
from .errors import BookError
from .store import Book, open_book
from .structure import Structure, load_structure
from .undo_history import redo, undo

__all__ = [
    "Book",
    "BookError",
    "Change",
    "NewLine",
    "NewOrg",
    "Structure",
    "create_book",
    "load_structure",
    "open_book",
    "redo",
    "set_allocation",
    "set_amount",
    "set_amounts",
    "set_population",
    "set_rate",
    "undo",
]
