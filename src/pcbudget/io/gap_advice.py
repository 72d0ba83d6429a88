"""What to do about figures an import leaves unworkable: the lines whose rate has nothing to
apply to, said in the import's own output, and the two ways out where PCNs are missing."""

from __future__ import annotations

from ..book.store import Book
from ..engine import Model
from ..engine.gaps import missing_populations


def gap_advice(book: Book) -> list[str]:
    """One line per unworkable line, then the remedy; empty when every figure can be worked out."""
    model = Model(book)
    gaps = missing_populations(model.results)
    kinds = {o.kind for o in model.structure.orgs}
    if not gaps:
        return []
    out = ["These figures cannot be worked out yet (no population to apply the rate to):"]
    out += [f"  {g.sentence()}" for g in gaps]
    at_pcn = [g.line for g in gaps if g.level == "pcn"]
    if at_pcn:
        out.append(
            "The book's PCNs have no population (population files since 2023/24 name no PCNs):"
            " import PCN membership (pcbudget import-pcns BOOK FILE, or File > Import PCN"
            " Membership), or hold these lines at practice level:"
            f" pcbudget line BOOK level {','.join(at_pcn)} practice"
        )
    if any(g.measure == "adjusted" and g.level in kinds for g in gaps):
        out.append(
            "No PCN adjusted population was given: import it (org_code,measure,year,value), or"
            " estimate it from the weighted list: pcbudget estimate-adjusted BOOK"
        )
    return out
