<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>CancelOrderDialog</name>
    <message>
        <source>Cancel order</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <source>Cancel {nickname}&apos;s unpaid order (¥{price})?</source>
        <translation>取消 {nickname} 的待付款订单（¥{price}）？</translation>
    </message>
    <message>
        <source>The piece goes to the next viewer in the queue, or back on sale. The buyer sees your reason.</source>
        <translation>这件货会转给候补的下一位观众，没有候补就重新开售。买家会看到取消原因。</translation>
    </message>
    <message>
        <source>Reason, e.g. the buyer asked to cancel</source>
        <translation>原因，例如：买家要求取消</translation>
    </message>
    <message>
        <source>Keep the order</source>
        <translation>保留订单</translation>
    </message>
</context>
<context>
    <name>CaptureFrame</name>
    <message>
        <source>Capture frame</source>
        <translation>捕获框</translation>
    </message>
    <message>
        <source>⠿ Drag here to move · drag the corners to resize</source>
        <translation>⠿ 拖这里移动 · 拖四角调整大小</translation>
    </message>
    <message>
        <source>⠿ Capture frame</source>
        <translation>⠿ 捕获框</translation>
    </message>
</context>
<context>
    <name>CaptureService</name>
    <message>
        <source>The capture failed: {error}</source>
        <translation>截图失败：{error}</translation>
    </message>
</context>
<context>
    <name>CaptureWatch</name>
    <message>
        <source>A console window covers the capture frame, so this picture cannot be used. Move the window off the frame: the picture is retaken as soon as it is clear.</source>
        <translation>控制台的窗口挡住了捕获框，这张图不能用。请把窗口移开，移开后会自动重拍。</translation>
    </message>
</context>
<context>
    <name>CardFill</name>
    <message>
        <source>Reading the card…</source>
        <translation>正在读取卡片…</translation>
    </message>
    <message>
        <source>Read from the card; please check</source>
        <translation>读自卡片，请核对</translation>
    </message>
    <message>
        <source>Read from the card; please check (the piece number was {piece})</source>
        <translation>读自卡片，请核对（原件号为 {piece}）</translation>
    </message>
    <message>
        <source>The price on the card could not be read; type the price</source>
        <translation>卡片上的价格未能读出，请输入价格</translation>
    </message>
    <message>
        <source>Piece number read from the card; the price could not be read: type the price</source>
        <translation>件号读自卡片；价格未能读出，请输入价格</translation>
    </message>
    <message>
        <source>The card could not be read; type the price</source>
        <translation>卡片未能读出，请输入价格</translation>
    </message>
    <message>
        <source>The piece number on the card could not be read; it is back to {piece}</source>
        <translation>卡片上的件号未能读出，已恢复为 {piece}</translation>
    </message>
    <message>
        <source>Price read from the card; please check. The piece number could not be read; it is back to {piece}</source>
        <translation>价格读自卡片，请核对；件号未能读出，已恢复为 {piece}</translation>
    </message>
    <message>
        <source>The card could not be read; the piece number is back to {piece}; type the price</source>
        <translation>卡片未能读出，件号已恢复为 {piece}，请输入价格</translation>
    </message>
</context>
<context>
    <name>CommentDelegate</name>
    <message>
        <source>Hand over to this viewer</source>
        <translation>转给这位观众</translation>
    </message>
    <message>
        <source>Start a targeted flash-buy for {nickname}</source>
        <translation>给 {nickname} 发起定向闪购</translation>
    </message>
    <message>
        <source>Give the piece that came back to {nickname}</source>
        <translation>把退回的这件转给 {nickname}</translation>
    </message>
</context>
<context>
    <name>CommentView</name>
    <message>
        <source>Live comments</source>
        <translation>直播评论</translation>
    </message>
    <message>
        <source>Purchase intent only</source>
        <translation>只看购买意向</translation>
    </message>
    <message>
        <source>Show only comments that ask to buy or ask a price, like “要了”, “3号多少钱”, “#3”</source>
        <translation>只显示像“要了”“3号多少钱”“#3”这样的评论</translation>
    </message>
    <message numerus="yes">
        <source>Paused, %n new comment(s)</source>
        <translation>
            <numerusform>已暂停，%n 条新评论</numerusform>
        </translation>
    </message>
    <message>
        <source>Paused (press {key} to go on)</source>
        <translation>已暂停（按 {key} 继续）</translation>
    </message>
    <message>
        <source>Paused (move the pointer away to go on)</source>
        <translation>已暂停（移开鼠标继续）</translation>
    </message>
</context>
<context>
    <name>Comments</name>
    <message>
        <source>{nickname}: {text}</source>
        <translation>{nickname}：{text}</translation>
    </message>
    <message>
        <source>{nickname}: {text} {time}</source>
        <translation>{nickname}：{text} {time}</translation>
    </message>
    <message>
        <source>{nickname}:</source>
        <translation>{nickname}：</translation>
    </message>
</context>
<context>
    <name>Console</name>
    <message>
        <source>Starting the local demo platform…</source>
        <translation>正在启动本地演示平台…</translation>
    </message>
    <message>
        <source>Flash-buy console</source>
        <translation>闪购控制台</translation>
    </message>
    <message>
        <source>This system has no keyring: the sign-in lasts for this run only, and you will sign in again at the next start</source>
        <translation>系统没有可用的钥匙串：登录只在本次运行有效，下次启动需重新登录</translation>
    </message>
    <message>
        <source>Report a problem</source>
        <translation>问题反馈</translation>
    </message>
    <message>
        <source>The console has not reached the platform yet, so the report cannot be sent. The log file is here:
{path}</source>
        <translation>控制台还没有连上平台，反馈暂时无法发送。日志文件在：
{path}</translation>
    </message>
</context>
<context>
    <name>ConsoleSettings</name>
    <message>
        <source>the platform address starts with http:// or https://</source>
        <translation>平台地址应以 http:// 或 https:// 开头</translation>
    </message>
    <message>
        <source>press a key for this hotkey</source>
        <translation>请按下要设置的快捷键</translation>
    </message>
    <message>
        <source>a hotkey is one key combination, such as F2 or Ctrl+R</source>
        <translation>快捷键只能是一个按键组合，例如 F2 或 Ctrl+R</translation>
    </message>
    <message>
        <source>this is not a key the console knows</source>
        <translation>无法识别这个按键</translation>
    </message>
    <message>
        <source>a hotkey needs a key besides Ctrl, Shift, Alt or Meta</source>
        <translation>快捷键除 Ctrl、Shift、Alt、Meta 外还需要一个按键</translation>
    </message>
    <message>
        <source>Enter, Esc, Tab, Space, Backspace, Delete, the arrow keys, Home, End, Page Up and Page Down work the windows; on their own they cannot be hotkeys</source>
        <translation>Enter、Esc、Tab、空格、Backspace、Delete、方向键、Home、End、Page Up 和 Page Down 用于操作窗口，单独按下不能设为快捷键</translation>
    </message>
    <message>
        <source>two actions cannot have the same hotkey</source>
        <translation>两个操作不能使用同一个快捷键</translation>
    </message>
</context>
<context>
    <name>CrashWindow</name>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Something went wrong in the console.</source>
        <translation>控制台出错了。</translation>
    </message>
    <message>
        <source>The console keeps running, but what you were doing may not have finished. The details are saved in the log; a problem report sends them to us.</source>
        <translation>控制台仍在运行，但刚才的操作可能没有完成。详细信息已记入日志；提交问题反馈即可发给我们。</translation>
    </message>
    <message>
        <source>Report a problem…</source>
        <translation>问题反馈…</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详情</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>And 1 more error</source>
        <translation>还有 1 个错误</translation>
    </message>
    <message>
        <source>And {count} more errors</source>
        <translation>还有 {count} 个错误</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>隐藏详情</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>显示详情</translation>
    </message>
</context>
<context>
    <name>FlashBuyFields</name>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>e.g. 3</source>
        <translation>如 3</translation>
    </message>
    <message>
        <source>Piece no.</source>
        <translation>件号</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Yuan, e.g. 1288 or 1288.50</source>
        <translation>元，如 1288 或 1288.50</translation>
    </message>
    <message>
        <source>Price (yuan)</source>
        <translation>价格 (元)</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source> min</source>
        <comment>a spin box&apos;s unit</comment>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Unpaid after this long, the order expires and the piece goes to the next buyer</source>
        <translation>超过这个时间未付款，订单超时，这件转给下一位买家</translation>
    </message>
    <message>
        <source>Time to pay</source>
        <translation>付款时限</translation>
    </message>
    <message>
        <source>Loading shipping templates…</source>
        <translation>正在读取运费模板…</translation>
    </message>
    <message>
        <source>New…</source>
        <comment>a shipping template</comment>
        <translation>新建…</translation>
    </message>
    <message>
        <source>Shipping template</source>
        <translation>运费模板</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>选填</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>No. {piece} {product}</source>
        <translation>{piece}号 {product}</translation>
    </message>
    <message>
        <source>sold</source>
        <comment>a flash-buy</comment>
        <translation>已售出</translation>
    </message>
    <message>
        <source>on sale</source>
        <comment>a flash-buy</comment>
        <translation>进行中</translation>
    </message>
    <message>
        <source>⚠ No. {piece} already has a flash-buy in this live ({state}: {title}, ¥{price}). Press Enter again to publish it anyway.</source>
        <translation>⚠ 件号 {piece} 本场已有闪购（{state}：{title}，¥{price}）。再按一次 Enter 仍然发布。</translation>
    </message>
    <message>
        <source>Make a shipping template</source>
        <translation>请新建运费模板</translation>
    </message>
    <message>
        <source>Choose a product that can be flash-bought</source>
        <translation>请选择可闪购的商品</translation>
    </message>
    <message>
        <source>Enter a title</source>
        <translation>请输入标题</translation>
    </message>
    <message>
        <source>title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>piece number</source>
        <translation>件号</translation>
    </message>
    <message>
        <source>note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Choose a shipping template (or click “New…”)</source>
        <translation>请选择运费模板（可点“新建…”）</translation>
    </message>
</context>
<context>
    <name>FlashBuyPanel</name>
    <message>
        <source>All modes</source>
        <translation>全部模式</translation>
    </message>
    <message>
        <source>Full</source>
        <comment>flash-buy mode</comment>
        <translation>全量</translation>
    </message>
    <message>
        <source>Targeted</source>
        <comment>flash-buy mode</comment>
        <translation>定向</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类目</translation>
    </message>
    <message>
        <source>Search titles or piece numbers</source>
        <translation>搜索标题或编号</translation>
    </message>
    <message>
        <source>End flash-buy</source>
        <translation>结束闪购</translation>
    </message>
    <message>
        <source>End the selected active flash-buy: it disappears from the live room at once and viewers can no longer buy it</source>
        <translation>结束选中的进行中闪购：直播间立即隐藏，观众无法再购买</translation>
    </message>
    <message>
        <source>See the picture large</source>
        <translation>查看大图</translation>
    </message>
    <message>
        <source>Could not load the buyers</source>
        <translation>无法加载买家</translation>
    </message>
    <message>
        <source>Could not load the flash-buys</source>
        <translation>无法加载闪购列表</translation>
    </message>
    <message>
        <source>{what}: {why}</source>
        <translation>{what}：{why}</translation>
    </message>
    <message>
        <source>Could not load the categories</source>
        <translation>无法加载类目</translation>
    </message>
    <message>
        <source>Could not end the flash-buy</source>
        <translation>结束闪购失败</translation>
    </message>
    <message>
        <source>All {n}</source>
        <translation>全部 {n}</translation>
    </message>
    <message>
        <source>Active {n}</source>
        <translation>进行中 {n}</translation>
    </message>
    <message>
        <source>Sold out {n}</source>
        <translation>已售罄 {n}</translation>
    </message>
    <message>
        <source>Ended {n}</source>
        <translation>已结束 {n}</translation>
    </message>
</context>
<context>
    <name>FlashBuyTableModel</name>
    <message>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Sold/stock</source>
        <translation>已售/库存</translation>
    </message>
    <message>
        <source>Buyer</source>
        <translation>买家</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Sold out</source>
        <translation>已售罄</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>Click to see the picture large</source>
        <translation>点击查看大图</translation>
    </message>
    <message>
        <source>#{piece} · {title}</source>
        <translation>#{piece} · {title}</translation>
    </message>
    <message>
        <source>Paid {paid} · unpaid {held} / {stock}</source>
        <translation>已付 {paid} · 待付 {held} / {stock}</translation>
    </message>
    <message>
        <source>Sold {sold}/{stock}</source>
        <translation>已售 {sold}/{stock}</translation>
    </message>
    <message>
        <source>{left} left</source>
        <translation>剩 {left}</translation>
    </message>
    <message>
        <source>The first unpaid order runs out in {left}</source>
        <translation>最早的待付款订单 {left} 后超时</translation>
    </message>
    <message>
        <source>Waiting {n}</source>
        <translation>候补 {n}</translation>
    </message>
    <message>
        <source>{n} viewer(s) wait for a piece to come back</source>
        <translation>{n} 位观众在候补</translation>
    </message>
    <message>
        <source>Targeted: {names}</source>
        <translation>定向: {names}</translation>
    </message>
    <message>
        <source>Full</source>
        <comment>flash-buy mode</comment>
        <translation>全量</translation>
    </message>
    <message>
        <source>{title}
Product: {product}
Category: {category}</source>
        <translation>{title}
商品: {product}
类目: {category}</translation>
    </message>
    <message>
        <source>Note: {note}</source>
        <translation>备注: {note}</translation>
    </message>
    <message>
        <source>{status} ({time})</source>
        <translation>{status}（{time}）</translation>
    </message>
    <message>
        <source>Buyers: {names}</source>
        <translation>买家: {names}</translation>
    </message>
    <message>
        <source>No buyers yet</source>
        <translation>暂无买家</translation>
    </message>
</context>
<context>
    <name>FlashBuys</name>
    <message>
        <source>End flash-buy</source>
        <translation>结束闪购</translation>
    </message>
    <message>
        <source>End the flash-buy “{name}”?</source>
        <translation>确定结束闪购「{name}」吗？</translation>
    </message>
    <message>
        <source>Once ended it disappears from the live room at once, viewers can no longer buy it, and it cannot be restored.</source>
        <translation>结束后直播间立即隐藏该闪购，观众无法再购买，且不能恢复。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>GlobalHotkeys</name>
    <message>
        <source>On Wayland, global hotkeys work only while an X11 program has focus.</source>
        <translation>Wayland 下，全局快捷键只在 X11 程序有焦点时有效。</translation>
    </message>
    <message>
        <source>{key} ({action}) cannot be global on this system; it works only while the console has focus.</source>
        <translation>本系统无法将 {key}（{action}）设为全局快捷键，只在控制台有焦点时有效。</translation>
    </message>
    <message>
        <source>{key} ({action}) is taken by another program, which gets it instead of the console; choose another key for it in the settings.</source>
        <translation>{key}（{action}）已被其他程序占用，按下时控制台收不到；请在设置里换一个键。</translation>
    </message>
    <message>
        <source>{key} ({action}) types text, so it cannot be global; it works only while the console has focus. Choose a function key such as F2 for it.</source>
        <translation>{key}（{action}）会输入文字，不能设为全局快捷键，只在控制台有焦点时有效。请改用 F2 这类功能键。</translation>
    </message>
    <message>
        <source>The system refused {key} ({action}) as a global hotkey; it works only while the console has focus.</source>
        <translation>系统拒绝将 {key}（{action}）设为全局快捷键，只在控制台有焦点时有效。</translation>
    </message>
    <message>
        <source>Global hotkeys need X11 or XWayland, and this Wayland session has no XWayland; the hotkeys work only while the console has focus.</source>
        <translation>全局快捷键需要 X11 或 XWayland，当前 Wayland 会话没有 XWayland，快捷键只在控制台有焦点时有效。</translation>
    </message>
    <message>
        <source>This system does not allow global hotkeys; the hotkeys work only while the console has focus.</source>
        <translation>本系统不支持全局快捷键，快捷键只在控制台有焦点时有效。</translation>
    </message>
</context>
<context>
    <name>GoLiveDialog</name>
    <message>
        <source>Give the live a title</source>
        <translation>请填写直播标题</translation>
    </message>
    <message>
        <source>A title has at most {n} characters</source>
        <translation>标题最多 {n} 个字</translation>
    </message>
    <message>
        <source>The title holds a character that cannot be shown; type it again</source>
        <translation>标题里有无法显示的字符，请重新输入</translation>
    </message>
    <message>
        <source>title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Go live</source>
        <translation>开播</translation>
    </message>
    <message>
        <source>Title of the new live (viewers see it in the live room):</source>
        <translation>新直播的标题（观众在直播间看到）：</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Going live…</source>
        <translation>正在开播…</translation>
    </message>
</context>
<context>
    <name>LiveHeader</name>
    <message>
        <source>Not live</source>
        <translation>未开播</translation>
    </message>
    <message>
        <source>Go live</source>
        <translation>开播</translation>
    </message>
    <message>
        <source>End live</source>
        <translation>结束直播</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>菜单</translation>
    </message>
    <message>
        <source>● Live</source>
        <translation>● 直播中</translation>
    </message>
    <message>
        <source>Live ended</source>
        <translation>直播已结束</translation>
    </message>
    <message>
        <source>Start a new live</source>
        <translation>开始新直播</translation>
    </message>
    <message numerus="yes">
        <source>%n viewer(s)</source>
        <translation>
            <numerusform>观众 %n 人</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) · sales ¥{sales}</source>
        <translation>
            <numerusform>订单 %n · 成交 ¥{sales}</numerusform>
        </translation>
    </message>
    <message>
        <source>Paid orders and what they were paid, postage aside</source>
        <translation>已付款的订单数和成交额（不含运费）</translation>
    </message>
    <message>
        <source>· unpaid ¥{held}</source>
        <translation>· 待付 ¥{held}</translation>
    </message>
    <message>
        <source>Orders waiting to be paid: {n}</source>
        <translation>待付款订单：{n}</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>连接中…</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>重连中…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
</context>
<context>
    <name>LivesModel</name>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>Flash-buys</source>
        <translation>闪购</translation>
    </message>
    <message>
        <source>Started at</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Ended at</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>成交额</translation>
    </message>
    <message>
        <source>Live now</source>
        <translation>直播中</translation>
    </message>
</context>
<context>
    <name>LivesWindow</name>
    <message>
        <source>Past lives</source>
        <translation>往期直播</translation>
    </message>
    <message>
        <source>Loading the lives…</source>
        <translation>正在加载直播…</translation>
    </message>
    <message>
        <source>Open flash-buys</source>
        <translation>查看闪购</translation>
    </message>
    <message>
        <source>Lives: {n}</source>
        <translation>共 {n} 场直播</translation>
    </message>
    <message>
        <source>No lives yet</source>
        <translation>还没有直播</translation>
    </message>
    <message>
        <source>Could not load the lives: {why}</source>
        <translation>无法加载直播：{why}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Jade live</source>
        <translation>翡翠直播</translation>
    </message>
    <message>
        <source>Flash-buy console</source>
        <translation>闪购控制台</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Report a problem…</source>
        <translation>问题反馈…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Past lives…</source>
        <translation>往期直播…</translation>
    </message>
    <message>
        <source>New full flash-buy</source>
        <translation>新建全量闪购</translation>
    </message>
    <message>
        <source>Pause comments</source>
        <translation>暂停评论</translation>
    </message>
    <message>
        <source>Shipping templates…</source>
        <translation>运费模板…</translation>
    </message>
    <message>
        <source>New full flash-buy ({key})</source>
        <translation>新建全量闪购 ({key})</translation>
    </message>
    <message>
        <source>Show capture frame</source>
        <translation>显示捕获框</translation>
    </message>
    <message>
        <source>Lock capture frame</source>
        <translation>锁定捕获框</translation>
    </message>
    <message>
        <source>Go live first, then create flash-buys</source>
        <translation>请先开播，再创建闪购</translation>
    </message>
    <message>
        <source>There is no capture frame to take the picture from</source>
        <translation>没有捕获框，无法截图</translation>
    </message>
    <message>
        <source>End live</source>
        <translation>结束直播</translation>
    </message>
    <message>
        <source>End the live “{title}” now?</source>
        <translation>现在结束直播“{title}”吗？</translation>
    </message>
    <message>
        <source>The live room closes: every active flash-buy ends at once and can no longer be bought. An ended live cannot be resumed; you can start a new one.</source>
        <translation>直播间将关闭：所有进行中的闪购立即结束，观众无法再购买。直播结束后不能恢复，但可以开始新的直播。</translation>
    </message>
    <message>
        <source>Keep the live on</source>
        <translation>继续直播</translation>
    </message>
    <message>
        <source>The live goes on on the platform: viewers can still buy its active flash-buys. Sign in again to manage it.</source>
        <translation>直播仍在平台上继续，观众仍可购买进行中的闪购。重新登录即可继续管理这场直播。</translation>
    </message>
    <message>
        <source>Sign out of the console?</source>
        <translation>要退出登录吗？</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Quit the console</source>
        <translation>退出控制台</translation>
    </message>
    <message>
        <source>The live “{title}” is still on. Quit the console?</source>
        <translation>直播“{title}”仍在进行中，要退出控制台吗？</translation>
    </message>
    <message>
        <source>The live goes on on the platform without the console: viewers stay and can still buy its active flash-buys, and nobody here sees their comments. To end it, choose Keep the console open, then End live.</source>
        <translation>退出后直播仍在平台上继续：观众留在直播间，仍可购买进行中的闪购，但这里不再显示他们的评论。如要结束直播，请选择“不退出”，再点“结束直播”。</translation>
    </message>
    <message>
        <source>Keep the console open</source>
        <translation>不退出</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>Wrong account or password</source>
        <translation>账号或密码不对</translation>
    </message>
    <message>
        <source>Too many attempts; please try again in a moment</source>
        <translation>尝试次数过多，请稍后再试</translation>
    </message>
    <message>
        <source>Too many requests in a short time; please try again in a moment</source>
        <translation>操作太频繁，请稍后再试</translation>
    </message>
    <message>
        <source>Please sign in again</source>
        <translation>请重新登录</translation>
    </message>
    <message>
        <source>Your sign-in has expired; please sign in again</source>
        <translation>登录已过期，请重新登录</translation>
    </message>
    <message>
        <source>You were signed out elsewhere; please sign in again</source>
        <translation>已在别处退出登录，请重新登录</translation>
    </message>
    <message>
        <source>You are not allowed to manage this live room</source>
        <translation>没有权限操作这个直播间</translation>
    </message>
    <message>
        <source>Flash-buys are opened by invitation of the platform: your account has not been invited</source>
        <translation>闪购需平台邀请开通：您的账号尚未受邀</translation>
    </message>
    <message>
        <source>This shop does not meet the platform&apos;s standard for flash-buys</source>
        <translation>该店铺未达到闪购的商家标准</translation>
    </message>
    <message>
        <source>This category cannot be flash-bought (only non-standard categories the platform approved)</source>
        <translation>该类目不支持闪购（仅限平台认可的非标品类目）</translation>
    </message>
    <message>
        <source>You are not bound to this shop and cannot sell its products</source>
        <translation>您未绑定该店铺，不能售卖它的商品</translation>
    </message>
    <message>
        <source>This product has no full flash-buys left</source>
        <translation>该商品的全量闪购次数已用完</translation>
    </message>
    <message>
        <source>This product has no targeted flash-buys left</source>
        <translation>该商品的定向闪购次数已用完</translation>
    </message>
    <message>
        <source>The targeted viewer is no longer in the live room</source>
        <translation>定向的观众已不在直播间</translation>
    </message>
    <message>
        <source>The live has ended</source>
        <translation>直播已结束</translation>
    </message>
    <message>
        <source>A live is already going on</source>
        <translation>已有一场直播在进行中</translation>
    </message>
    <message>
        <source>The product picture cannot be read; please capture it again</source>
        <translation>商品图片无法识别，请重新截图</translation>
    </message>
    <message>
        <source>The product picture is too large</source>
        <translation>商品图片太大</translation>
    </message>
    <message>
        <source>The shipping template does not exist; please choose again</source>
        <translation>运费模板不存在，请重新选择</translation>
    </message>
    <message>
        <source>An active flash-buy uses this shipping template</source>
        <translation>有进行中的闪购在使用该运费模板</translation>
    </message>
    <message>
        <source>Sold out</source>
        <translation>已售罄</translation>
    </message>
    <message>
        <source>The flash-buy has ended</source>
        <translation>闪购已结束</translation>
    </message>
    <message>
        <source>The platform could not read what the console sent; please update the console</source>
        <translation>平台无法识别控制台发送的内容，请升级控制台</translation>
    </message>
    <message>
        <source>It is no longer on the platform (it may have been deleted)</source>
        <translation>平台上已没有这项内容（可能已被删除）</translation>
    </message>
    <message>
        <source>The platform does not support this action; please update the console</source>
        <translation>平台不支持这个操作，请升级控制台</translation>
    </message>
    <message>
        <source>The platform refused the request&apos;s identifier; please update the console</source>
        <translation>平台拒绝了请求标识，请升级控制台</translation>
    </message>
    <message>
        <source>This request was already made with other content; please try again</source>
        <translation>该请求已用不同的内容提交过，请重试</translation>
    </message>
    <message>
        <source>A targeted flash-buy needs the viewer it is for</source>
        <translation>定向闪购需要指定观众</translation>
    </message>
    <message>
        <source>A full flash-buy goes to every viewer and cannot name one</source>
        <translation>全量闪购推送给所有观众，不能指定观众</translation>
    </message>
    <message>
        <source>The viewer is not in the live room</source>
        <translation>该观众不在直播间</translation>
    </message>
    <message>
        <source>The platform&apos;s record of this live differs from the console&apos;s; reloading it</source>
        <translation>平台上本场直播的记录与控制台不一致，正在重新加载</translation>
    </message>
    <message>
        <source>The product picture is missing; please capture it again</source>
        <translation>商品图片已丢失，请重新截图</translation>
    </message>
    <message>
        <source>The report is not a valid zip and the platform did not take it; please save it as a zip and contact support</source>
        <translation>反馈包不是有效的 zip 文件，平台未接收；请保存为 zip 后联系客服</translation>
    </message>
    <message>
        <source>The report is too large (over {limit} MB); untick the capture frame screenshot and try again, or save it as a zip for support</source>
        <translation>反馈包太大（超过 {limit} MB），请取消捕获框截图后重试，或保存为 zip 发给客服</translation>
    </message>
    <message>
        <source>The platform did not accept the report&apos;s content; please save it as a zip for support</source>
        <translation>反馈包内容无效，平台未接收；请保存为 zip 发给客服</translation>
    </message>
    <message>
        <source>You have sent {count} problem reports in the last hour; save this one as a zip and send it later</source>
        <translation>一小时内您已发送 {count} 份问题反馈；请先将这份保存为 zip，稍后再发送</translation>
    </message>
    <message>
        <source>This flash-buy was not offered to this viewer</source>
        <translation>该闪购没有推送给这位观众</translation>
    </message>
    <message>
        <source>This viewer has already bought it</source>
        <translation>该观众已经购买过</translation>
    </message>
    <message>
        <source>The shipping template does not deliver to this region</source>
        <translation>运费模板不配送该地区</translation>
    </message>
    <message>
        <source>You blocked this viewer: unblock them on their card first</source>
        <translation>你已拉黑这位观众：请先在观众卡片上取消拉黑</translation>
    </message>
    <message>
        <source>This viewer left too many orders unpaid and is held back from this flash-buy</source>
        <translation>这位观众超时未付款（跑单）次数过多，不能参与这个闪购</translation>
    </message>
    <message>
        <source>The order is no longer waiting for payment (paid, expired or cancelled)</source>
        <translation>这个订单已不是待付款（已付款、已超时或已取消）</translation>
    </message>
    <message>
        <source>No piece of this flash-buy is free: every one is paid or held for a buyer</source>
        <translation>这个闪购没有空闲的件：每件都已付款或为买家保留中</translation>
    </message>
    <message>
        <source>The viewer is no longer waiting in this flash-buy&apos;s queue</source>
        <translation>这位观众已不在这个闪购的候补中</translation>
    </message>
    <message>
        <source>The platform failed and nothing was done; please try again later</source>
        <translation>平台出错了，操作未生效，请稍后再试</translation>
    </message>
    <message>
        <source>The platform refused a request that was too large; please update the console</source>
        <translation>平台拒绝了过大的请求，请更新控制台</translation>
    </message>
    <message>
        <source>The request reached the platform too slowly; check the network and try again</source>
        <translation>请求传到平台太慢，请检查网络后重试</translation>
    </message>
    <message>
        <source>The platform is busy and nothing was done; please try again in a moment</source>
        <translation>平台繁忙，未做任何操作，请稍后重试</translation>
    </message>
    <message>
        <source>The platform refused the input: {detail}</source>
        <translation>平台认为填写有误：{detail}</translation>
    </message>
    <message>
        <source>Cannot reach the platform; retrying. Please check the network</source>
        <translation>连不上平台，正在重试；请检查网络</translation>
    </message>
    <message>
        <source>The platform&apos;s answer was not understood; please update the console</source>
        <translation>平台的回复无法识别，请升级控制台</translation>
    </message>
    <message>
        <source>Something went wrong: {error}</source>
        <translation>出错了：{error}</translation>
    </message>
</context>
<context>
    <name>NewFlashBuyDialog</name>
    <message>
        <source>New targeted flash-buy</source>
        <translation>新建定向闪购</translation>
    </message>
    <message>
        <source>New full flash-buy</source>
        <translation>新建全量闪购</translation>
    </message>
    <message>
        <source>Targeted flash-buy: only the viewers below can see and buy it</source>
        <translation>定向闪购：只有下面的观众能看到并购买</translation>
    </message>
    <message>
        <source>Full flash-buy: every viewer in the live room gets the invitation</source>
        <translation>全量闪购：直播间的所有观众都会收到邀请</translation>
    </message>
    <message>
        <source>Loading products…</source>
        <translation>正在读取商品…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message numerus="yes">
        <source>Viewers with %n or more expired order(s) with you cannot buy it (settings)</source>
        <translation>
            <numerusform>在你这里跑单 %n 次及以上的观众不能购买（设置）</numerusform>
        </translation>
    </message>
    <message>
        <source>Create (Enter)</source>
        <translation>创建 (Enter)</translation>
    </message>
    <message>
        <source>The live has ended, so nothing can be published: start a new live first</source>
        <translation>直播已结束，不能再发布闪购；请先开始新的直播</translation>
    </message>
    <message>
        <source>No product can be flash-bought: first list products of a non-standard category in your shop</source>
        <translation>没有可闪购的商品：请先在店铺中上架非标品类目的商品</translation>
    </message>
    <message>
        <source>; </source>
        <comment>between reasons</comment>
        <translation>；</translation>
    </message>
    <message>
        <source>Flash-buys cannot be created: {reasons}</source>
        <translation>不能创建闪购：{reasons}</translation>
    </message>
    <message>
        <source>Full {full_left}/{full_limit}    Targeted {targeted_left}/{targeted_limit}</source>
        <translation>全量 {full_left}/{full_limit}    定向 {targeted_left}/{targeted_limit}</translation>
    </message>
    <message>
        <source>The live has ended</source>
        <translation>直播已结束</translation>
    </message>
    <message>
        <source>Choose a product that can be flash-bought</source>
        <translation>请选择可闪购的商品</translation>
    </message>
    <message>
        <source>This product has no full flash-buys left ({left}/{limit})</source>
        <translation>该商品的全量闪购次数已用完（{left}/{limit}）</translation>
    </message>
    <message>
        <source>This product has no targeted flash-buys left ({left}/{limit})</source>
        <translation>该商品的定向闪购次数已用完（{left}/{limit}）</translation>
    </message>
    <message>
        <source>No picture yet: wait for the capture, or press {key} to retake</source>
        <translation>还没有图片：请等截图完成或按 {key} 重拍</translation>
    </message>
    <message>
        <source>Enter a price</source>
        <translation>请输入价格</translation>
    </message>
    <message>
        <source>The price cannot be negative</source>
        <translation>价格不能为负数</translation>
    </message>
    <message>
        <source>The price can contain only digits and a decimal point</source>
        <translation>价格只能包含数字和小数点</translation>
    </message>
    <message>
        <source>The price has at most two decimals</source>
        <translation>价格最多两位小数</translation>
    </message>
    <message>
        <source>The price is at least {min} yuan</source>
        <translation>价格至少 {min} 元</translation>
    </message>
    <message>
        <source>The price is at most {max} yuan</source>
        <translation>价格最多 {max} 元</translation>
    </message>
    <message>
        <source>A targeted flash-buy needs at least one viewer</source>
        <translation>定向闪购至少要选一位观众</translation>
    </message>
    <message>
        <source>Invalid input: {reason}</source>
        <translation>填写有误：{reason}</translation>
    </message>
    <message>
        <source>No. {piece} was already published in this live: press Enter again to publish it anyway</source>
        <translation>件号 {piece} 本场已发布过：再按一次 Enter 仍然发布</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>正在创建…</translation>
    </message>
</context>
<context>
    <name>OrdersModel</name>
    <message>
        <source>Buyer</source>
        <translation>买家</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Placed</source>
        <translation>下单</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>The piece</source>
        <translation>货品去向</translation>
    </message>
    <message>
        <source>{nickname}, {region}</source>
        <translation>{nickname}，{region}</translation>
    </message>
    <message>
        <source>Pay by {time}</source>
        <translation>请在 {time} 前付款</translation>
    </message>
</context>
<context>
    <name>OrdersPane</name>
    <message>
        <source>Cancel order…</source>
        <translation>取消订单…</translation>
    </message>
    <message>
        <source>Cancel the selected unpaid order: its piece goes to the next in the queue</source>
        <translation>取消选中的待付款订单：这件货转给候补的下一位</translation>
    </message>
    <message>
        <source>Give to them</source>
        <translation>转给这位</translation>
    </message>
    <message>
        <source>Give the piece to the selected waiting viewer, with a fresh pay window</source>
        <translation>把这件货转给选中的候补观众，重新计时付款</translation>
    </message>
    <message>
        <source>Select a flash-buy to see its orders</source>
        <translation>选中一个闪购，查看它的订单</translation>
    </message>
    <message>
        <source>Orders of {title}</source>
        <translation>{title} 的订单</translation>
    </message>
    <message>
        <source>Orders: {n}</source>
        <translation>订单 {n}</translation>
    </message>
    <message>
        <source>Waiting: {n}</source>
        <translation>候补 {n}</translation>
    </message>
    <message>
        <source>{place}. {nickname}  {time}</source>
        <translation>{place}. {nickname}  {time}</translation>
    </message>
    <message>
        <source>Could not cancel the order</source>
        <translation>无法取消订单</translation>
    </message>
    <message>
        <source>Give the piece to {nickname}</source>
        <translation>转给 {nickname}</translation>
    </message>
    <message>
        <source>Cancel {old}&apos;s unpaid order and give the piece to {new}?</source>
        <translation>取消 {old} 的待付款订单，把这件货转给 {new}？</translation>
    </message>
    <message>
        <source>{old} has not paid yet. Their order is cancelled now and {new} gets a fresh pay window.</source>
        <translation>{old} 还没有付款。对方的订单会立即取消，{new} 重新计时付款。</translation>
    </message>
    <message>
        <source>Give to {nickname}</source>
        <translation>转给 {nickname}</translation>
    </message>
    <message>
        <source>Keep {nickname}&apos;s order</source>
        <translation>保留 {nickname} 的订单</translation>
    </message>
    <message>
        <source>Could not give the piece</source>
        <translation>无法转给这位观众</translation>
    </message>
    <message>
        <source>{what}: {why}</source>
        <translation>{what}：{why}</translation>
    </message>
    <message>
        <source>Unpaid</source>
        <translation>待付款</translation>
    </message>
    <message>
        <source>Unpaid {left}</source>
        <translation>待付款 {left}</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已付款</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已超时</translation>
    </message>
    <message>
        <source>buyer</source>
        <translation>买家</translation>
    </message>
    <message>
        <source>seller</source>
        <translation>卖家</translation>
    </message>
    <message>
        <source>Cancelled ({who}: {reason})</source>
        <translation>已取消（{who}：{reason}）</translation>
    </message>
    <message>
        <source>Cancelled ({who})</source>
        <translation>已取消（{who}）</translation>
    </message>
    <message>
        <source>Given by you</source>
        <translation>卖家指定</translation>
    </message>
    <message>
        <source>From the queue</source>
        <translation>候补转入</translation>
    </message>
    <message>
        <source>Came back</source>
        <translation>重新售出</translation>
    </message>
    <message>
        <source>{how}, was {nickname}&apos;s</source>
        <translation>{how}，原属 {nickname}</translation>
    </message>
    <message>
        <source>Moved to {nickname}</source>
        <translation>转给 {nickname}</translation>
    </message>
    <message>
        <source>Piece released</source>
        <translation>已释放</translation>
    </message>
</context>
<context>
    <name>PastLiveWindow</name>
    <message>
        <source>Past live: {title}</source>
        <translation>往期直播：{title}</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <source>since {start}, still live</source>
        <translation>{start} 开始，仍在直播</translation>
    </message>
    <message>
        <source>Flash-buys {flashbuys} · orders {orders} · sales ¥{sales}</source>
        <translation>闪购 {flashbuys} · 订单 {orders} · 成交 ¥{sales}</translation>
    </message>
</context>
<context>
    <name>PicturePane</name>
    <message>
        <source>Taking the picture…</source>
        <translation>正在截图…</translation>
    </message>
    <message>
        <source>Drag to crop the picture</source>
        <translation>拖动鼠标可裁剪图片</translation>
    </message>
    <message>
        <source>Retake ({key})</source>
        <translation>重拍 ({key})</translation>
    </message>
    <message>
        <source>The captured picture cannot be shown; please retake it</source>
        <translation>截到的图片无法显示，请重拍</translation>
    </message>
    <message>
        <source>No order card was found in the picture</source>
        <translation>未在画面中找到开单卡片</translation>
    </message>
    <message>
        <source>The picture is blurry; better retake it</source>
        <translation>画面模糊，建议重拍</translation>
    </message>
    <message>
        <source>Press {key} to retake</source>
        <translation>按 {key} 重拍</translation>
    </message>
    <message>
        <source>Cropped to {width}×{height} (double-click to undo)</source>
        <translation>已裁剪为 {width}×{height}（双击取消）</translation>
    </message>
</context>
<context>
    <name>PicturePopup</name>
    <message>
        <source>{title} (loading the picture…)</source>
        <translation>{title}（正在加载大图…）</translation>
    </message>
    <message>
        <source>{title} (the picture could not be read)</source>
        <translation>{title}（图片无法读取）</translation>
    </message>
    <message>
        <source>{title} ({reason})</source>
        <translation>{title}（{reason}）</translation>
    </message>
</context>
<context>
    <name>PicturePreview</name>
    <message>
        <source>Drag to crop the picture tighter; double-click to undo the crop</source>
        <translation>拖动鼠标框选更紧的裁剪范围；双击取消裁剪</translation>
    </message>
</context>
<context>
    <name>PiecePicker</name>
    <message>
        <source>{title} (¥{price})</source>
        <translation>{title}（¥{price}）</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>转给观众</translation>
    </message>
    <message>
        <source>Which piece goes to {nickname}?</source>
        <translation>哪一件转给 {nickname}？</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ProblemReportDialog</name>
    <message>
        <source>Report a problem</source>
        <translation>问题反馈</translation>
    </message>
    <message>
        <source>Tell us what happened. The files below are exactly what will be sent to support; sign-in tokens and passwords are removed from them.</source>
        <translation>请告诉我们发生了什么。下面列出的文件就是将发送给客服的全部内容；其中的登录凭证和密码已被去除。</translation>
    </message>
    <message>
        <source>What happened? What did you do just before, and what did you expect?</source>
        <translation>发生了什么？出问题前您做了什么，本来期望看到什么？</translation>
    </message>
    <message>
        <source>Add a screenshot of the capture frame&apos;s area</source>
        <translation>附上捕获框区域的截图</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Save as zip…</source>
        <translation>保存为 zip…</translation>
    </message>
    <message>
        <source>Send to support</source>
        <translation>发送给客服</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>What will be sent:</source>
        <translation>将发送的内容：</translation>
    </message>
    <message>
        <source>Preparing the report…</source>
        <translation>正在准备反馈…</translation>
    </message>
    <message>
        <source>Your account could not be read ({reason}); the report goes without it.</source>
        <translation>无法读取您的账号信息（{reason}）；反馈中将不含账号信息。</translation>
    </message>
    <message>
        <source>A screenshot could not be taken: {reason}</source>
        <translation>无法截图：{reason}</translation>
    </message>
    <message>
        <source>There is no capture frame on screen to take a picture of.</source>
        <translation>屏幕上没有捕获框，无法截取。</translation>
    </message>
    <message>
        <source>{count} files, {size} to send</source>
        <translation>共 {count} 个文件，{size}</translation>
    </message>
    <message>
        <source>The report is larger than the platform takes ({limit} MB): untick the capture frame&apos;s screenshot, or shorten the description</source>
        <translation>反馈包超过了平台可接收的大小（{limit} MB）：请取消捕获框截图，或缩短描述</translation>
    </message>
    <message>
        <source>The report could not be prepared: {reason}</source>
        <translation>无法生成反馈：{reason}</translation>
    </message>
    <message>
        <source>Save the problem report</source>
        <translation>保存问题反馈</translation>
    </message>
    <message>
        <source>Zip files (*.zip)</source>
        <translation>Zip 压缩包 (*.zip)</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Saved to {path}</source>
        <translation>已保存到 {path}</translation>
    </message>
    <message>
        <source>The report could not be saved: {reason}</source>
        <translation>反馈无法保存：{reason}</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <source>Sent. Your report number is {number}: give it to support.</source>
        <translation>已发送。反馈编号 {number}，请告知客服。</translation>
    </message>
    <message>
        <source>Not sent: {reason} You can save the zip and send it another way.</source>
        <translation>未发送：{reason} 您可以保存为 zip，再通过其他方式发给客服。</translation>
    </message>
</context>
<context>
    <name>ProductPicker</name>
    <message>
        <source>Loading products…</source>
        <translation>正在读取商品…</translation>
    </message>
    <message>
        <source>Choose a product</source>
        <translation>请选择商品</translation>
    </message>
    <message>
        <source>{product} · {shop}</source>
        <translation>{product} · {shop}</translation>
    </message>
    <message>
        <source>{product} ({reason})</source>
        <translation>{product}（{reason}）</translation>
    </message>
    <message>
        <source>{product}    Full {full_left}/{full_limit} · Targeted {t_left}/{t_limit}</source>
        <translation>{product}    全量 {full_left}/{full_limit} · 定向 {t_left}/{t_limit}</translation>
    </message>
    <message>
        <source>No full flash-buys left for this product ({left}/{limit})</source>
        <translation>该商品的全量闪购次数已用完（{left}/{limit}）</translation>
    </message>
    <message>
        <source>No targeted flash-buys left for this product ({left}/{limit})</source>
        <translation>该商品的定向闪购次数已用完（{left}/{limit}）</translation>
    </message>
    <message>
        <source>The product used last, “{product}”, cannot be used: {reason}. Choose a product.</source>
        <translation>上次用的商品“{product}”现在不能用：{reason}。请选择商品。</translation>
    </message>
    <message>
        <source>The product used last is no longer offered. Choose a product.</source>
        <translation>上次用的商品已不在可选列表中，请选择商品。</translation>
    </message>
    <message>
        <source>account not invited</source>
        <translation>账号未受邀</translation>
    </message>
    <message>
        <source>shop not qualified</source>
        <translation>店铺未达标</translation>
    </message>
    <message>
        <source>category not approved</source>
        <translation>类目未获批</translation>
    </message>
    <message>
        <source>shop not bound</source>
        <translation>未绑定店铺</translation>
    </message>
    <message>
        <source>not eligible</source>
        <translation>不可闪购</translation>
    </message>
    <message>
        <source>This product cannot be flash-bought</source>
        <translation>该商品不可闪购</translation>
    </message>
</context>
<context>
    <name>Publishing</name>
    <message>
        <source>Cannot reach the platform, so the flash-buy is not confirmed; check the network, then press Enter to try again</source>
        <translation>连不上平台，闪购未确认创建；请检查网络后再按 Enter 重试</translation>
    </message>
</context>
<context>
    <name>RegionFees</name>
    <message>
        <source>Yuan, charged to every region without a postage of its own</source>
        <translation>元，未单独设置的地区按此收取</translation>
    </message>
    <message>
        <source>Default postage (yuan)</source>
        <translation>默认运费（元）</translation>
    </message>
    <message>
        <source>Regions with a postage of their own:</source>
        <translation>单独设置运费的地区：</translation>
    </message>
    <message>
        <source>Add region</source>
        <translation>添加地区</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <source>Postage (yuan)</source>
        <translation>运费（元）</translation>
    </message>
    <message>
        <source>yuan</source>
        <translation>元</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
</context>
<context>
    <name>SettingsWindow</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Empty: the demo platform inside the console</source>
        <translation>留空：使用控制台内置的演示平台</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>General</source>
        <translation>通用</translation>
    </message>
    <message>
        <source>Capture</source>
        <translation>截图</translation>
    </message>
    <message>
        <source>The console grabs this many frames and keeps the sharpest one</source>
        <translation>每次截图连拍的帧数，保留最清晰的一帧</translation>
    </message>
    <message>
        <source>From the start of one frame&apos;s grab to the next one&apos;s</source>
        <translation>相邻两帧开始截取的时间间隔</translation>
    </message>
    <message>
        <source>Read the piece number and price from the card</source>
        <translation>读取卡片上的件号和价格</translation>
    </message>
    <message>
        <source>After each picture the console reads the order card and fills in the piece number and price it is sure of; check them before you publish</source>
        <translation>每次截图后自动读取开单卡片，填入能确认的件号和价格；发布前请核对</translation>
    </message>
    <message>
        <source>Frames per capture</source>
        <translation>连拍帧数</translation>
    </message>
    <message>
        <source>Time between frames</source>
        <translation>帧间隔</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>订单</translation>
    </message>
    <message>
        <source> min</source>
        <comment>a spin box&apos;s unit</comment>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>How long a buyer has to pay once a piece is theirs; unpaid, the piece goes to the next buyer. Each new flash-buy can change it.</source>
        <translation>抢到后须在多长时间内付款；超时未付，这件转给下一位买家。每个新闪购可单独修改。</translation>
    </message>
    <message>
        <source>Hold back viewers who left orders unpaid from full flash-buys</source>
        <translation>限制跑单的观众参与全量闪购</translation>
    </message>
    <message>
        <source> expired order(s)</source>
        <comment>a spin box&apos;s unit</comment>
        <translation> 次跑单</translation>
    </message>
    <message>
        <source>Viewers with this many expired orders with you cannot buy full flash-buys; you can still offer them a targeted one.</source>
        <translation>在你这里跑单达到这个次数的观众不能购买全量闪购；你仍可以对他们发定向闪购。</translation>
    </message>
    <message>
        <source>Time to pay</source>
        <translation>付款时限</translation>
    </message>
    <message>
        <source>Hold back after</source>
        <translation>跑单达到</translation>
    </message>
    <message>
        <source>Hotkeys</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Global hotkeys: also work while the streaming software has focus</source>
        <translation>全局快捷键：在直播软件里也能按</translation>
    </message>
    <message>
        <source>New full flash-buy and Pause or resume comments then work in every program, without switching back to the console. The console takes these keys from the whole desktop: other programs no longer receive them.</source>
        <translation>开启后，“新建全量闪购”和“暂停或继续评论”在任何程序里都能按，不必切回控制台。这两个键由控制台独占，其他程序不再收到。</translation>
    </message>
    <message>
        <source>Rehearsal audience</source>
        <translation>彩排观众</translation>
    </message>
    <message>
        <source>Simulated viewers comment and buy in the demo</source>
        <translation>演示中由模拟观众发评论、下单</translation>
    </message>
    <message>
        <source>Only with the demo platform inside the console.</source>
        <translation>仅在使用控制台内置的演示平台时可用。</translation>
    </message>
    <message>
        <source>Viewers</source>
        <translation>观众人数</translation>
    </message>
    <message>
        <source>Hotkeys, capture settings and the language apply as soon as you save. The platform address and the rehearsal audience apply the next time the console starts.</source>
        <translation>快捷键、截图设置和语言保存后立即生效；平台地址和彩排观众在下次启动控制台时生效。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>New full flash-buy</source>
        <translation>新建全量闪购</translation>
    </message>
    <message>
        <source>Retake the picture</source>
        <translation>重拍图片</translation>
    </message>
    <message>
        <source>Pause or resume comments</source>
        <translation>暂停或继续评论</translation>
    </message>
    <message>
        <source>Already the hotkey of “{action}”</source>
        <translation>已是“{action}”的快捷键</translation>
    </message>
    <message>
        <source>The settings could not be saved to {path}: {reason}</source>
        <translation>设置无法保存到 {path}：{reason}</translation>
    </message>
</context>
<context>
    <name>Shipping</name>
    <message>
        <source>Enter the postage</source>
        <translation>请输入运费</translation>
    </message>
    <message>
        <source>The postage cannot be negative</source>
        <translation>运费不能为负数</translation>
    </message>
    <message>
        <source>The postage can contain only digits and a decimal point</source>
        <translation>运费只能包含数字和小数点</translation>
    </message>
    <message>
        <source>The postage has at most two decimals</source>
        <translation>运费最多两位小数</translation>
    </message>
    <message>
        <source>The postage is at most {max} yuan</source>
        <translation>运费最多 {max} 元</translation>
    </message>
    <message>
        <source>This shipping template no longer exists (it may have been deleted elsewhere)</source>
        <translation>该运费模板已不存在（可能已在别处删除）</translation>
    </message>
    <message>
        <source>Free shipping</source>
        <translation>包邮</translation>
    </message>
    <message>
        <source>Flat fee</source>
        <translation>统一运费</translation>
    </message>
    <message>
        <source>By region</source>
        <translation>按地区计费</translation>
    </message>
    <message>
        <source>Default ¥{fee}</source>
        <translation>默认 ¥{fee}</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between the fees of a summary</comment>
        <translation>，</translation>
    </message>
    <message>
        <source>Not shipped to: {regions}</source>
        <translation>不发: {regions}</translation>
    </message>
    <message>
        <source>Delete shipping template</source>
        <translation>删除运费模板</translation>
    </message>
    <message>
        <source>Delete the shipping template “{name}”?</source>
        <translation>确定删除运费模板「{name}」吗？</translation>
    </message>
    <message>
        <source>Once deleted it cannot be chosen for new flash-buys; the postage of orders already placed does not change.</source>
        <translation>删除后新建闪购时不能再选择它；已有订单的运费不受影响。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ShippingTemplateEditor</name>
    <message>
        <source>Edit shipping template</source>
        <translation>编辑运费模板</translation>
    </message>
    <message>
        <source>New shipping template</source>
        <translation>新建运费模板</translation>
    </message>
    <message>
        <source>e.g. Free shipping to Jiangsu, Zhejiang, Shanghai (at most {n} characters)</source>
        <translation>例如：江浙沪包邮（最多 {n} 个字）</translation>
    </message>
    <message>
        <source>Template name</source>
        <translation>模板名称</translation>
    </message>
    <message>
        <source>Free shipping</source>
        <translation>包邮</translation>
    </message>
    <message>
        <source>Flat fee</source>
        <translation>统一运费</translation>
    </message>
    <message>
        <source>By region</source>
        <translation>按地区计费</translation>
    </message>
    <message>
        <source>Fee type</source>
        <translation>计费方式</translation>
    </message>
    <message>
        <source>Regions not shipped to (buyers in a ticked region cannot order)</source>
        <translation>不发货地区（勾选的地区买家无法下单）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Buyers pay no postage.</source>
        <translation>买家无需支付运费。</translation>
    </message>
    <message>
        <source>Yuan, e.g. 12 or 8.50; 0 means no postage</source>
        <translation>元，例如 12 或 8.50；0 表示免运费</translation>
    </message>
    <message>
        <source>Postage (yuan)</source>
        <translation>运费（元）</translation>
    </message>
    <message>
        <source>Enter a template name</source>
        <translation>请填写模板名称</translation>
    </message>
    <message>
        <source>The template name has at most {max} characters (now {n})</source>
        <translation>模板名称最多 {max} 个字（现在 {n} 个）</translation>
    </message>
    <message>
        <source>The template name cannot contain control characters</source>
        <translation>模板名称不能包含控制字符</translation>
    </message>
    <message>
        <source>template name</source>
        <translation>模板名称</translation>
    </message>
    <message>
        <source>{field}: {reason}</source>
        <translation>{field}：{reason}</translation>
    </message>
    <message>
        <source>Postage</source>
        <translation>运费</translation>
    </message>
    <message>
        <source>Default postage</source>
        <translation>默认运费</translation>
    </message>
    <message>
        <source>Postage to {region}</source>
        <translation>{region}运费</translation>
    </message>
    <message>
        <source>{region} has a postage and is also not shipped to; choose one</source>
        <translation>{region}既设置了运费又设为不发货，请二选一</translation>
    </message>
    <message>
        <source>The platform would refuse this template: {reason}</source>
        <translation>平台不会接受此模板：{reason}</translation>
    </message>
    <message>
        <source>…and {n} more (see the tooltip)</source>
        <translation>…还有 {n} 处问题（悬停查看）</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Could not save: {reason}</source>
        <translation>保存失败：{reason}</translation>
    </message>
</context>
<context>
    <name>ShippingTemplateManager</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Fee type</source>
        <translation>计费方式</translation>
    </message>
    <message>
        <source>Postage</source>
        <translation>运费</translation>
    </message>
    <message>
        <source>Not shipped to</source>
        <translation>不发货地区</translation>
    </message>
    <message>
        <source>Shipping templates</source>
        <translation>运费模板</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Could not load the shipping templates: {reason}</source>
        <translation>运费模板加载失败：{reason}</translation>
    </message>
    <message>
        <source>Made the shipping template “{name}”</source>
        <translation>已新建运费模板「{name}」</translation>
    </message>
    <message>
        <source>Saved the shipping template “{name}”</source>
        <translation>已保存运费模板「{name}」</translation>
    </message>
    <message>
        <source>Deleted the shipping template “{name}”</source>
        <translation>已删除运费模板「{name}」</translation>
    </message>
    <message>
        <source>Could not delete “{name}”: {reason}</source>
        <translation>无法删除「{name}」：{reason}</translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation>正在删除…</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in to the flash-buy console</source>
        <translation>登录闪购控制台</translation>
    </message>
    <message>
        <source>Creator account</source>
        <translation>达人账号</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Enter your account and password</source>
        <translation>请输入账号和密码</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Too many attempts; please try again in {seconds} s</source>
        <translation>尝试次数过多，请 {seconds} 秒后再试</translation>
    </message>
</context>
<context>
    <name>TargetChip</name>
    <message>
        <source>Remove {nickname}</source>
        <translation>移除 {nickname}</translation>
    </message>
</context>
<context>
    <name>TargetsBox</name>
    <message>
        <source>Choose a viewer in the live room</source>
        <translation>选择直播间里的观众</translation>
    </message>
    <message>
        <source>Search viewers by nickname</source>
        <translation>搜索观众昵称</translation>
    </message>
    <message>
        <source>Add viewer</source>
        <translation>添加观众</translation>
    </message>
    <message>
        <source>Comment: “{comment}”</source>
        <translation>评论：“{comment}”</translation>
    </message>
</context>
<context>
    <name>TextRule</name>
    <message>
        <source>The {field} holds a control character (pasted?); type it again</source>
        <translation>{field}含有控制字符（可能是粘贴带入的），请重新输入</translation>
    </message>
    <message>
        <source>The {field} holds a hidden character that changes the text&apos;s direction; type it again</source>
        <translation>{field}含有改变文字方向的隐藏字符，请重新输入</translation>
    </message>
    <message>
        <source>The {field} shows nothing: it holds only invisible characters</source>
        <translation>{field}没有可显示的内容：只含不可见字符</translation>
    </message>
</context>
<context>
    <name>ViewerCard</name>
    <message>
        <source>Viewer: {nickname}</source>
        <translation>观众：{nickname}</translation>
    </message>
    <message>
        <source>Blocked: gets no offer from you</source>
        <translation>已拉黑：收不到你的闪购</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已付</translation>
    </message>
    <message>
        <source>Left unpaid</source>
        <translation>跑单</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Your note on this viewer (only you see it)</source>
        <translation>对这位观众的备注（仅你可见）</translation>
    </message>
    <message>
        <source>Save note</source>
        <translation>保存备注</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message numerus="yes">
        <source>%n piece(s) · ¥{amount}</source>
        <translation>
            <numerusform>%n 件 · ¥{amount}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) expired</source>
        <translation>
            <numerusform>%n 单</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n order(s)</source>
        <translation>
            <numerusform>%n 单</numerusform>
        </translation>
    </message>
    <message>
        <source>Unblock</source>
        <translation>取消拉黑</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>拉黑</translation>
    </message>
    <message>
        <source>note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Invalid input: {reason}</source>
        <translation>输入有误：{reason}</translation>
    </message>
    <message>
        <source>Note saved</source>
        <translation>备注已保存</translation>
    </message>
    <message>
        <source>Unblocked</source>
        <translation>已取消拉黑</translation>
    </message>
    <message>
        <source>Block viewer</source>
        <translation>拉黑观众</translation>
    </message>
    <message>
        <source>Block {nickname}?</source>
        <translation>拉黑 {nickname}？</translation>
    </message>
    <message>
        <source>They get no offer from you in this live or later ones, and cannot pay for a piece. Orders they already paid stay theirs. You can unblock them here.</source>
        <translation>拉黑后，这位观众在本场和以后的直播中都收不到你的闪购，也无法付款。已付款的订单不受影响。可在这里取消拉黑。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>已拉黑</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>保存中…</translation>
    </message>
</context>
<context>
    <name>ViewerDesk</name>
    <message>
        <source>No piece is waiting for a buyer</source>
        <translation>没有等待转给买家的件</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>转给观众</translation>
    </message>
    <message>
        <source>Give {piece} to {nickname}?</source>
        <translation>把 {piece} 转给 {nickname}？</translation>
    </message>
    <message>
        <source>The piece is held for them with a new pay window; the viewers waiting in its queue stay in it.</source>
        <translation>这件将为这位观众保留，付款时限重新计算；候补的观众仍在候补中。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ViewerWords</name>
    <message>
        <source>Blocked</source>
        <translation>已拉黑</translation>
    </message>
    <message>
        <source>Unpaid {count}</source>
        <translation>跑单 {count}</translation>
    </message>
    <message>
        <source>Regular {count}</source>
        <translation>回头客 {count}</translation>
    </message>
    <message>
        <source>Paid {count}</source>
        <translation>已付 {count}</translation>
    </message>
    <message>
        <source>No orders yet</source>
        <translation>暂无订单</translation>
    </message>
    <message>
        <source> · </source>
        <translation> · </translation>
    </message>
</context>
</TS>
