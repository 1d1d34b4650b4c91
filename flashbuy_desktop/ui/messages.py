"""What the seller reads when something goes wrong: one sentence per platform error code.

Every failure, from any task, is turned into words here and shown in one place
(the main window's error bar), so messages stay consistent and translatable.
"""

from PySide6.QtCore import QCoreApplication

from flashbuy_desktop.api.client import ClientError, OfflineError, PlatformError
from flashbuy_protocol.errors import ErrorCode


def _tr(text: str) -> str:
    return QCoreApplication.translate("Messages", text)


def _messages() -> dict[str, str]:
    return {
        ErrorCode.INVALID_CREDENTIALS: _tr("用户名或密码不对"),
        ErrorCode.UNAUTHENTICATED: _tr("请重新登录"),
        ErrorCode.TOKEN_EXPIRED: _tr("登录已过期，请重新登录"),
        ErrorCode.TOKEN_REVOKED: _tr("已在别处退出登录，请重新登录"),
        ErrorCode.FORBIDDEN: _tr("没有权限操作这个直播间"),
        ErrorCode.CREATOR_NOT_INVITED: _tr("闪购需平台邀请开通：您的账号尚未受邀"),
        ErrorCode.SHOP_NOT_QUALIFIED: _tr("该店铺未达到闪购的商家标准"),
        ErrorCode.CATEGORY_NOT_APPROVED: _tr("该类目不支持闪购（仅限平台认可的非标品类目）"),
        ErrorCode.SHOP_NOT_BOUND: _tr("您未绑定该店铺，不能售卖它的商品"),
        ErrorCode.QUOTA_FULL_EXCEEDED: _tr("该商品的全量闪购次数已用完"),
        ErrorCode.QUOTA_TARGETED_EXCEEDED: _tr("该商品的定向闪购次数已用完"),
        ErrorCode.TARGET_NOT_IN_ROOM: _tr("定向的观众已不在直播间"),
        ErrorCode.LIVE_NOT_ACTIVE: _tr("直播已结束"),
        ErrorCode.LIVE_ALREADY_ACTIVE: _tr("已有一场直播在进行中"),
        ErrorCode.PICTURE_INVALID: _tr("商品图片无法识别，请重新截图"),
        ErrorCode.PICTURE_TOO_LARGE: _tr("商品图片太大"),
        ErrorCode.TEMPLATE_NOT_FOUND: _tr("运费模板不存在，请重新选择"),
        ErrorCode.TEMPLATE_IN_USE: _tr("有进行中的闪购在使用该运费模板"),
        ErrorCode.FLASHBUY_SOLD_OUT: _tr("已售罄"),
        ErrorCode.FLASHBUY_ENDED: _tr("闪购已结束"),
        ErrorCode.INTERNAL_ERROR: _tr("平台出错了，操作未生效，请稍后再试"),
    }


def describe(error: BaseException) -> str:
    """A sentence for the seller about ``error`` (the platform's code decides it)."""
    if isinstance(error, PlatformError):
        return _messages().get(str(error.code), error.message)
    if isinstance(error, OfflineError):
        return _tr("连不上平台，正在重试；请检查网络")
    if isinstance(error, ClientError):
        return _tr("平台的回复无法识别，请升级控制台")
    return _tr("出错了：") + str(error)
