"""The sentence a seller reads when typed text breaks the platform's text rule.

The rule itself is ``flashbuy_protocol.limits.text_problem`` (the one the platform
applies); this only puts each problem into words, for the field the seller typed in.
"""

from PySide6.QtCore import QCoreApplication

from flashbuy_protocol.limits import TextProblem


def text_rule_reason(problem: TextProblem, field: str) -> str:
    """Why the text typed in ``field`` (already translated, e.g. 标题) cannot be used."""
    if problem is TextProblem.CONTROL:
        text = QCoreApplication.translate(
            "TextRule", "The {field} holds a control character (pasted?); type it again"
        )
    elif problem is TextProblem.DIRECTION:
        text = QCoreApplication.translate(
            "TextRule",
            "The {field} holds a hidden character that changes the text's direction; type it again",
        )
    else:
        text = QCoreApplication.translate(
            "TextRule", "The {field} shows nothing: it holds only invisible characters"
        )
    return text.format(field=field)
