"""The way from the new flash-buy window to the shipping-template editor (tests replace it)."""

import importlib
from typing import Any, cast

from PySide6.QtWidgets import QWidget

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_protocol.models import ShippingTemplate


class TemplateEditorHook:
    """Opens the shipping-template editor; tests replace :meth:`create`."""

    @classmethod
    def create(
        cls, parent: QWidget, client: PlatformClient, tasks: Tasks
    ) -> ShippingTemplate | None:
        """The template the seller just made, or None if they cancelled."""
        module: Any = importlib.import_module("flashbuy_desktop.ui.shipping")  # loaded lazily
        return cast(
            "ShippingTemplate | None", module.ShippingTemplateEditor.create(parent, client, tasks)
        )
