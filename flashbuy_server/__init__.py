"""The flash-buy platform: accounts, catalog, live rooms, flash-buys, orders and events.

Start it with ``flashbuy-server`` or, inside another program, with
:class:`flashbuy_server.server.ServerThread`.
"""
