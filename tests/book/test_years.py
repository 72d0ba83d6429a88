import pytest

from pcbudget.book import BookError
from pcbudget.book.years import normalise_year, year_run


@pytest.mark.parametrize("text", ["2019/20", "2019-20", "2019/2020", "201920", "2019"])
def test_year_spellings_normalise(text: str) -> None:
    assert normalise_year(text) == "2019/20"


@pytest.mark.parametrize("text", ["2019/21", "19/20", "next year", "2019/2021"])
def test_bad_years_are_refused(text: str) -> None:
    with pytest.raises(BookError, match="financial year"):
        normalise_year(text)


def test_year_run_crosses_the_century() -> None:
    assert year_run("2098/99", 3) == ["2098/99", "2099/00", "2100/01"]
