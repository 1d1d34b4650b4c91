"""What rehearsal viewers are called and what they say: Chinese nicknames, small talk, and now
and then purchase intent about a piece number (the console's intent rules should catch it)."""

import random

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
_NAMES = (
    "小美",
    "阿珍",
    "玉儿",
    "大壮",
    "晓晓",
    "翠翠",
    "明明",
    "婷婷",
    "老周",
    "佳佳",
    "小雨",
    "阿杰",
)
_SMALL_TALK = (
    "主播好",
    "晚上好呀",
    "这个种水不错",
    "颜色好正",
    "能再近一点看看吗",
    "有证书吗",
    "手镯圈口多大",
    "好漂亮",
    "刚进来，在播什么",
    "支持主播",
    "这个是A货吗",
    "灯光下看看",
)
_INTENT = (
    "{n}号多少钱",
    "{n}号多少钱?",
    "要了",
    "#{n}",
    "{n}号我要",
    "拍了",
    "{n}号要",
    "这个多少钱",
)


def nickname(rng: random.Random) -> str:
    """A plausible Chinese viewer nickname."""
    return rng.choice(_SURNAMES) + rng.choice(_NAMES) + str(rng.randint(1, 999))


def comment_text(rng: random.Random, intent_share: float = 0.35) -> str:
    """Small talk, or now and then purchase intent about a piece number."""
    if rng.random() < intent_share:
        return rng.choice(_INTENT).format(n=rng.randint(1, 30))
    return rng.choice(_SMALL_TALK)
