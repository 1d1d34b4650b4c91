"""The payment boundary: checkout, the provider's signed callback, and the sandbox provider.

- :mod:`.provider`: what the platform asks of a provider and the callback's body.
- :mod:`.signature`: signing and checking a callback (HMAC-SHA256, a timestamp).
- :mod:`.checkout`: ``POST /orders/{id}/checkout``, a payment for a held order.
- :mod:`.callback`: ``POST /payments/callback``, the provider says a payment succeeded.
- :mod:`.sandbox`: the provider that ships, for the demo and the tests.

``router`` serves all of them; ``BODY_LIMITS`` are the routes' own body limits for the guard.
"""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

from flashbuy_server.guard import BodyLimit
from flashbuy_server.payments import callback, checkout, sandbox

# The routes themselves, not the three routers included: the guard (rules_of) reads a
# router's own routes, and an included router is one nested entry of the list.
router = APIRouter()
for _part in (checkout, callback, sandbox):
    router.routes.extend(_part.router.routes)

BODY_LIMITS: dict[Callable[..., Any], BodyLimit] = {callback.receive: callback.BODY_LIMIT}
