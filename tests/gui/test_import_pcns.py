"""File > Import PCN Membership: practices move under their PCNs, the missing-population banner
for a PCN-level line goes, and one undo puts the tree back."""

from __future__ import annotations

from pathlib import Path

from pcbudget.book import open_book
from pcbudget.book.organisations import add_line
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.session import Session
from pcbudget.io.nhs_populations import import_populations

from ..io.payments_files import write_payments
from ..io.test_pcn_membership import PAID_2021
from ..io.test_population_tree import WEIGHTED_2025, blank, write_file


def test_import_pcn_membership_from_the_file_menu(qtbot, tmp_path: Path, messages) -> None:  # type: ignore[no-untyped-def]
    book = blank(tmp_path / "icb.pcbook")
    import_populations(book, write_file(tmp_path / "pops.csv", WEIGHTED_2025))
    add_line(
        book,
        "pcn_local",
        "PCN local scheme",
        section="pcn",
        budget_type="CC",
        level="pcn",
        basis="per_head",
        measure="weighted",
        rate="2.50",
    )
    book.close()
    win = MainWindow(Session(open_book(tmp_path / "icb.pcbook")))
    qtbot.addWidget(win)
    win.show()
    assert "PCN local scheme" in win.gap_banner.toolTip()  # no PCN to hold it yet
    assert "Import PCN Membership…" in [a.text() for a in win.file_actions.actions()]
    paid = write_payments(tmp_path / "nhspaymentsgp-21-22-csv.csv", "2021/22", PAID_2021)
    depth = win.undo_view.history.position
    thread = win.file_actions.import_pcns(str(paid))
    qtbot.waitUntil(lambda: thread.isFinished() and bool(messages), timeout=30000)
    title, text = messages[0]
    assert title == "Import PCN membership"
    assert "Practices moved into their PCN: 3" in text and "Row 6: practice Z99999" in text
    # Every PCN now has a weighted population: the line is no longer named as missing one
    # (the national lines on the adjusted population still are).
    assert "PCN local scheme" not in win.gap_banner.toolTip()
    win.navigator.select("U89141")
    assert win.org_label.text().startswith("U89141")
    qtbot.waitUntil(lambda: win.undo_view.history.position == depth + 1, timeout=5000)
    win.undo_action.trigger()
    assert "U89141" not in {o.code for o in win.session.structure.orgs}
    win.close()


def test_a_membership_from_a_later_year_moves_the_practice_from_then(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, messages
) -> None:
    from pcbudget.gui.navigator import dated_moves

    book = blank(tmp_path / "icb.pcbook")
    import_populations(book, write_file(tmp_path / "pops.csv", WEIGHTED_2025))
    book.close()
    plain = tmp_path / "pcns.csv"
    plain.write_text(
        "practice_code,pcn_code,pcn_name,from_year\n"
        "A81001,U89141,North PCN,2025/26\n"
        "A81001,U89142,Queens PCN,2026/27\n",
        encoding="utf-8",
    )
    win = MainWindow(Session(open_book(tmp_path / "icb.pcbook")))
    qtbot.addWidget(win)
    win.show()
    thread = win.file_actions.import_pcns(str(plain))
    qtbot.waitUntil(lambda: thread.isFinished() and bool(messages), timeout=30000)
    _title, text = messages[0]
    assert "Row 3: A81001 moves to U89142 from 2026/27" in text
    s = win.session.structure
    assert dated_moves(s, s.org("A81001")) == ["→ U89142 from 2026/27"]
    win.close()
