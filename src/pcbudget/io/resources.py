"""Where the shipped data lives: `resources/` beside the source tree, or inside the package."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def resource(*parts: str) -> Path:
    """The path of a shipped resource file (a wheel carries them in pcbudget/resources)."""
    for base in (_PACKAGE / "resources", _PACKAGE.parent.parent / "resources"):
        candidate = base.joinpath(*parts)
        if candidate.exists():
            return candidate
    raise FileNotFoundError("/".join(parts))


def sample_book() -> Path:
    """The shipped LLR sample book (read it or copy it; never edit it in place)."""
    name = "llr-2019-24.pcbook"
    for base in (_PACKAGE / "sample_budgets", _PACKAGE.parent.parent / "sample_budgets"):
        if (base / name).exists():
            return base / name
    raise FileNotFoundError(name)
