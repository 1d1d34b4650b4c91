"""Which of a form's problems to show, and when: never before the seller did anything.

A form that opens already saying "enter a name" scolds the seller for what they have not
had a chance to do. A problem of a field shows once the seller has edited that field (and
left it wrong, e.g. typed a name and deleted it), or once they tried to save; a problem
the seller made between two fields (a region both priced and excluded) shows at once.
A window reserves room for a few lines of problems, so a new one never moves its buttons;
:func:`fit_lines` says which lines go in that room.
"""

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One reason a form cannot be saved, tied to the field it is about."""

    field: str  # which field: "name", "fee:广东"...; what the seller touches
    text: str  # the sentence shown
    at_once: bool = False  # shown as soon as it exists (the seller's own combination)


def shown(problems: Sequence[Problem], touched: Collection[str], tried: bool) -> list[Problem]:
    """The problems to show: all once the seller ``tried`` to save, else those of ``touched``."""
    return [p for p in problems if tried or p.at_once or p.field in touched]


def fit_lines(texts: Sequence[str], room: int, more: Callable[[int], str]) -> list[str]:
    """At most ``room`` lines: all of ``texts`` if they fit, else the first ones and ``more(n)``.

    ``more(n)`` words the ``n`` lines left out ("还有 2 处问题").
    """
    if room <= 0:
        return []
    if len(texts) <= room:
        return list(texts)
    kept = list(texts[: room - 1])
    return [*kept, more(len(texts) - len(kept))]
