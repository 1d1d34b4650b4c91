"""``flashbuy-audience``: a rehearsal audience against any platform, from the command line."""

import argparse
import asyncio
import json
import logging
import signal
from collections.abc import Sequence
from dataclasses import asdict

from flashbuy_server.rehearsal.audience import Audience
from flashbuy_server.rehearsal.audience_settings import AudienceConfig, AudienceStats


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flashbuy-audience",
        description="Simulated viewers that join a live room, comment in Chinese and buy.",
    )
    parser.add_argument(
        "--server", required=True, help="platform address, e.g. http://127.0.0.1:8700"
    )
    parser.add_argument("--room", type=int, required=True, help="live room id")
    parser.add_argument(
        "--viewers", type=int, default=20, help="how many viewers, 0-5000 (default: 20)"
    )
    parser.add_argument(
        "--comment-rate",
        type=float,
        default=2.0,
        help="comments per second from all viewers, each one a request (default: 2)",
    )
    parser.add_argument(
        "--buy-probability",
        type=float,
        default=0.3,
        help="chance that a viewer tries to buy an offer it gets (default: 0.3)",
    )
    shares = AudienceConfig.__dataclass_fields__
    for name, what in (
        ("late_share", "pay after the pay window ran out"),
        ("never_share", "never pay"),
        ("cancel_share", "cancel their order"),
    ):
        default = shares[name].default
        parser.add_argument(
            "--" + name.replace("_", "-"),
            type=float,
            default=default,
            help=f"share of buyers who {what} (default: {default}; the rest pay in seconds)",
        )
    parser.add_argument(
        "--queue-share",
        type=float,
        default=shares["queue_share"].default,
        help="chance that a viewer waits (候补) for a sold-out offer whose pieces are only "
        f"held (default: {shares['queue_share'].default})",
    )
    parser.add_argument(
        "--duration", type=float, help="stop after this many seconds (default: until Ctrl+C)"
    )
    parser.add_argument("--seed", type=int, help="make the run repeatable (default: random)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run an audience until Ctrl-C (or --duration); print what it did as JSON."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        config = AudienceConfig(
            server=args.server,
            room_id=args.room,
            viewers=args.viewers,
            comment_rate=args.comment_rate,
            buy_probability=args.buy_probability,
            late_share=args.late_share,
            never_share=args.never_share,
            cancel_share=args.cancel_share,
            queue_share=args.queue_share,
            seed=args.seed,
        )
    except ValueError as exc:
        parser.error(str(exc))
    if args.duration is not None and args.duration <= 0:
        parser.error("--duration must be more than 0 seconds")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")

    async def main_async() -> AudienceStats:
        audience = Audience(config)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, audience.request_stop)
        if args.duration is not None:
            loop.call_later(args.duration, audience.request_stop)
        return await audience.run()

    stats = asyncio.run(main_async())
    print(json.dumps(asdict(stats), ensure_ascii=False, indent=2))
    return 0 if stats.joined == config.viewers else 1
