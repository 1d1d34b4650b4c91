"""Whether the editor's fields make a template the platform takes, and if not, why.

The rules are the protocol's: :class:`~flashbuy_protocol.models.ShippingTemplateIn` is built
from the fields and its :class:`~pydantic.ValidationError` is put into the seller's words,
one :class:`~flashbuy_desktop.ui.form_errors.Problem` per field. Two things come before the
model: a fee is text until :func:`~flashbuy_protocol.money.parse_yuan` makes it fen (with the
model's bounds), and a region both priced and ticked "not shipped to" is named at once,
region by region, while the seller is still filling the other fields (the model refuses the
pair only once every field is valid, and without saying which region).

The sentences keep the editor's translation context (``ShippingTemplateEditor``), the one
they were first written in, so their translations hold.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QCoreApplication

from flashbuy_desktop.services.money_words import Amount, money_reason
from flashbuy_desktop.services.text_rule import text_rule_reason
from flashbuy_desktop.ui.form_errors import Problem
from flashbuy_protocol.enums import TemplateKind
from flashbuy_protocol.limits import FEE_MAX_FEN, TextProblem, text_problem, trim
from flashbuy_protocol.models import ShippingTemplateIn
from flashbuy_protocol.money import MoneyError, parse_yuan

# The editor's fields, as its problems name them.
NAME, FLAT, DEFAULT = "name", "flat", "default"


def fee_field(region: str) -> str:
    """The field name of ``region``'s own fee."""
    return f"fee:{region}"


@dataclass(frozen=True)
class TemplateForm:
    """What the editor's fields hold, as the seller typed it."""

    name: str
    kind: TemplateKind
    flat_fee: str = ""
    default_fee: str = ""
    region_fees: Sequence[tuple[str, str]] = ()  # (region, fee as typed), in the table's order
    excluded: Sequence[str] = ()


def check(form: TemplateForm) -> tuple[ShippingTemplateIn | None, list[Problem]]:
    """The request to send, or None and every reason it cannot be sent (in field order)."""
    problems: list[Problem] = []
    fees: dict[str, Any] = {}

    def fee(field: str, label: str, text: str) -> int | None:
        try:
            return parse_yuan(text, minimum=0, maximum=FEE_MAX_FEN)
        except MoneyError as exc:
            reason = money_reason(exc, Amount.POSTAGE)
            problems.append(
                Problem(
                    field,
                    QCoreApplication.translate(
                        "ShippingTemplateEditor", "{field}: {reason}"
                    ).format(field=label, reason=reason),
                )
            )
            return None

    region_fees: dict[str, int] = {}
    if form.kind is TemplateKind.FLAT:
        fees["flat_fee_fen"] = fee(
            FLAT, QCoreApplication.translate("ShippingTemplateEditor", "Postage"), form.flat_fee
        )
    elif form.kind is TemplateKind.BY_REGION:
        fees["default_fee_fen"] = fee(
            DEFAULT,
            QCoreApplication.translate("ShippingTemplateEditor", "Default postage"),
            form.default_fee,
        )
        for region, text in form.region_fees:
            label = QCoreApplication.translate(
                "ShippingTemplateEditor", "Postage to {region}"
            ).format(region=region)
            value = fee(fee_field(region), label, text)
            if value is not None:
                region_fees[region] = value
        for region, _text in form.region_fees:
            if region in form.excluded:
                sentence = QCoreApplication.translate(
                    "ShippingTemplateEditor",
                    "{region} has a postage and is also not shipped to; choose one",
                )
                problems.append(
                    Problem(fee_field(region), sentence.format(region=region), at_once=True)
                )
        fees["region_fees"] = region_fees

    try:
        body = ShippingTemplateIn(
            name=form.name, kind=form.kind, excluded_regions=list(form.excluded), **fees
        )
    except ValidationError as exc:
        # A rule between fields (loc ()) that broke because a fee above did is said already.
        said = bool(problems)
        found = [p for e in exc.errors() if (p := _problem(form, e, said)) is not None]
        return None, _by_field(found + problems)
    return (None, problems) if problems else (body, [])


def _by_field(problems: list[Problem]) -> list[Problem]:
    """The name's problems first, then the fees' in the order they were found."""
    return sorted(problems, key=lambda p: p.field != NAME)


def _problem(form: TemplateForm, error: Any, said: bool) -> Problem | None:
    loc = tuple(error.get("loc", ()))
    kind = error.get("type", "")
    if loc[:1] == ("name",):
        return Problem(NAME, _name_reason(form.name, kind, error.get("ctx") or {}))
    if not loc and said:
        return None
    field = {"flat_fee_fen": FLAT, "default_fee_fen": DEFAULT}.get(str(loc[0]) if loc else "", "")
    if loc[:1] == ("region_fees",) and len(loc) > 1:
        field = fee_field(str(loc[1]))
    # Not reached while the fee bounds above are the model's; said rather than lost.
    return Problem(
        field or NAME,
        QCoreApplication.translate(
            "ShippingTemplateEditor", "The platform would refuse this template: {reason}"
        ).format(reason=error["msg"]),
        at_once=not field,
    )


def _name_reason(name: str, kind: str, ctx: dict[str, Any]) -> str:
    trimmed = trim(name)
    if kind == "string_too_short":
        return QCoreApplication.translate("ShippingTemplateEditor", "Enter a template name")
    if kind == "string_too_long":
        return QCoreApplication.translate(
            "ShippingTemplateEditor", "The template name has at most {max} characters (now {n})"
        ).format(max=ctx.get("max_length"), n=len(trimmed))
    rule = text_problem(trimmed)
    if rule is TextProblem.CONTROL:
        return QCoreApplication.translate(
            "ShippingTemplateEditor", "The template name cannot contain control characters"
        )
    if rule is not None:
        return text_rule_reason(
            rule, QCoreApplication.translate("ShippingTemplateEditor", "template name")
        )
    return QCoreApplication.translate(
        "ShippingTemplateEditor", "The platform would refuse this template: {reason}"
    ).format(reason=kind)
