"""Money at the text boundary: typed amounts to integer pence, pence to text, half away from zero.

Stored and rolled-up amounts are integer pence; Decimal is used only here, where text is parsed,
so `£1.2m`, `250k` and `(1,000)` mean exactly what a finance lead typed.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np

from .bounds import AMOUNT_POUNDS, RATE, SHARE
from .errors import BookError

_SCALE = {"": 1, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
_MONEY = re.compile(
    r"^(?P<sign>[-+])?\s*£?\s*(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s*(?P<scale>k|m|bn)?$",
    re.IGNORECASE | re.ASCII,
)
#: Larger amounts are surely a typing slip (the whole NHS budget is under £200bn).
MAX_POUNDS = AMOUNT_POUNDS.high


def parse_money(text: str) -> int:
    """Parse a typed amount (`1,234,567`, `£1.2m`, `250k`, `(1,000)`, `-1000`) into pence."""
    raw = str(text).strip()
    if raw.isascii() and raw.isdigit() and len(raw) < 13:  # whole pounds under £1tn: most ledgers
        return int(raw) * 100
    if not raw:
        raise BookError("Enter an amount, e.g. 1,250,000 or £1.25m.")
    if raw.startswith("=") or raw.startswith("@"):
        raise BookError(f"'{raw}' looks like a formula: enter an amount such as 1,250,000.")
    body = raw
    negative = False
    if body.startswith("(") and body.endswith(")"):
        negative, body = True, body[1:-1].strip()
    match = _MONEY.match(body)
    if match is not None and negative and match["sign"]:
        match = None  # '(-1000)' says negative twice: refuse rather than guess
    if match is None:
        raise BookError(
            f"'{raw}' is not an amount: use digits with optional £, commas, k/m/bn "
            "and brackets for negatives, e.g. 1,234,567, £1.2m, 250k, (1,000)."
        )
    if match["sign"] == "-":
        negative = not negative
    try:
        pounds = Decimal(match["digits"].replace(",", "")) * _SCALE[(match["scale"] or "").lower()]
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise BookError(f"'{raw}' is not an amount.") from exc
    if pounds > MAX_POUNDS:
        raise BookError(f"'{raw}' is over £1 trillion: check the amount.")
    pence = int((pounds * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return -pence if negative else pence


def pounds_text(pence: int) -> str:
    """Pence as plain pounds with two decimals and no separators, e.g. -1234.50 (for csv)."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(int(pence)), 100)
    return f"{sign}{whole}.{part:02d}"


def format_money(pence: int, *, unit: str = "£", decimals: int = 2) -> str:
    """Pence for a person: thousands separators, negatives in brackets; unit '£' or '£k'.

    Rounded half away from zero (ROUND_HALF_UP) in whole numbers, exactly, as Decimal would:
    a grid formats a row of these as it scrolls into view, and Decimal costs several times more."""
    pence = int(pence)
    per_unit, places = (100_000 if unit == "£k" else 100), 10**decimals
    shown = (2 * abs(pence) * places + per_unit) // (2 * per_unit)  # in units of the last place
    whole, part = divmod(shown, places)
    text = f"{whole:,}.{part:0{decimals}d}" if decimals else f"{whole:,}"
    return f"({text})" if pence < 0 and shown else text


def to_pence(value: float | int | Decimal | str, where: str = "") -> int:
    """One number of pounds (from a workbook cell, a file or a calculation) to pence, half up.

    A float is read as the shortest text that gives it back (its repr), so 0.125 becomes 13p
    and 1.005 becomes 101p, exactly as typing those figures does; bools, NaN, infinities and
    amounts past £1 trillion are refused by the book's one amount bound, naming `where`.
    """
    if isinstance(value, float):
        pence = _whole_pence(float(value))
        if pence is not None:
            return pence
    # str() of a float is its shortest round-trip text: 0.125 stays 0.125, never 0.12499...
    pounds = AMOUNT_POUNDS.number(float(value) if isinstance(value, float) else value, where)
    return int((pounds * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


#: Under this many pounds a float's pence fit a float exactly (10**14 < 2**53), and its ulp
#: (at most 2**-13) is far below a penny.
_FAST_POUNDS = float(AMOUNT_POUNDS.high)


def _whole_pence(pounds: float) -> int | None:
    """The pence of a float that is a whole number of pence (p / 100 for some whole p), as
    most figures read from a workbook are, or None for the rest (and NaN, and the bound's
    edge): `to_pence`'s fast path, with no Decimal.

    The same pence the Decimal path gives: p / 100 is the float nearest the decimal p/100, so
    the shortest text that gives `pounds` back (its repr, which the Decimal path reads) is
    that decimal. A shorter or equally short decimal within an ulp of it would be a multiple
    of 0.001 other than p/100, so 0.001 or more away, yet an ulp under £1 trillion is
    below 0.0002.
    """
    if not -_FAST_POUNDS < pounds < _FAST_POUNDS:
        return None
    pence = round(pounds * 100)
    return pence if pence / 100 == pounds else None


def grow(pence: np.ndarray | int, rate: np.ndarray | float | Decimal) -> np.ndarray:
    """Pence grown by a fraction, `pence x (1 + rate)`, half away from zero, as int64.

    The one rule for a year grown from the year before: the engine's uplift lines and the
    grid's Fill right both call it, so a filled cell equals the uplift the engine would give.
    """
    factor = 1.0 + np.asarray(rate, dtype=np.float64)
    return round_half_away(np.multiply(pence, factor, dtype=np.float64))


def round_half_away(values: np.ndarray) -> np.ndarray:
    """Round to whole numbers as int64, half away from zero like Excel's ROUND.

    Scaling by 1 + 1e-15 first (a few units in the last place) absorbs binary noise, so
    100.49999999999999 (1.005 pounds in pence) rounds up as Excel does.
    """
    x = np.asarray(values, dtype=np.float64)
    y = np.abs(np.atleast_1d(x))  # a new array, rounded in place to spare memory
    y *= 1.0 + 1e-15
    y += 0.5
    np.floor(y, out=y)
    np.copysign(y, np.atleast_1d(x), out=y)
    return y.astype(np.int64).reshape(x.shape)


def round_half_away_into(
    values: np.ndarray, out: np.ndarray, *, non_negative: bool = False
) -> np.ndarray:
    """`round_half_away(values)` written into the int64 array `out`, spoiling `values` (float64).

    The engine's hot path: no temporaries. Bit for bit the same: x(1 + 1e-15) + 0.5 with x's
    sign, truncated toward zero, is |x|(1 + 1e-15) + 0.5 floored with x's sign, as IEEE
    multiplication and addition are symmetric in sign. `non_negative` promises no value is
    below zero (so the sign need not be looked at).
    """
    values *= 1.0 + 1e-15
    if non_negative:
        values += 0.5
    else:
        values += np.copysign(0.5, values)
    np.copyto(out, values, casting="unsafe")  # truncates toward zero, as astype does
    return out


def round_pence(pounds: np.ndarray) -> np.ndarray:
    """Float pounds to int64 pence, half away from zero."""
    return round_half_away(np.multiply(pounds, 100.0))


def parse_decimal(
    text: str | Decimal | float,
    what: str,
    *,
    allow_percent: bool = False,
    low: Decimal | None = None,
    high: Decimal | None = None,
) -> Decimal:
    """Parse a rate, share or growth typed as text ('1.761', '4.5%'); a percentage -> fraction.

    With `low`/`high`, values outside [low, high] are refused with the bounds named.
    """
    raw = str(text).strip().replace(",", "")
    percent = allow_percent and raw.endswith("%")
    if percent:
        raw = raw[:-1].strip()
    raw = raw.lstrip("£")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise BookError(f"'{text}' is not a number for {what}.") from None
    if not value.is_finite():
        raise BookError(f"'{text}' is not a number for {what}.")
    value = value / 100 if percent else value
    if (low is not None and value < low) or (high is not None and value > high):
        raise BookError(f"{text} is out of range for {what} ({low} to {high}).")
    return value


def rate_value(basis: str, text: str | Decimal | float, line_code: str) -> Decimal:
    """A line's yearly rate as typed: £ a head (or bed, or point) for a per-head line, a share
    ('0.5%' or '0.005') for a share-of-allocation line; BookError naming the line if not."""
    if basis == "allocation_share":
        return parse_decimal(
            text,
            f"the share of allocation of {line_code}",
            allow_percent=True,
            low=SHARE.low,
            high=SHARE.high,
        )
    return parse_decimal(text, f"the £ rate of {line_code}", low=Decimal(0), high=RATE.high)
