<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>CancelOrderDialog</name>
    <message>
        <source>Cancel order</source>
        <translation>Cancel order</translation>
    </message>
    <message>
        <source>Cancel {nickname}&apos;s unpaid order (¥{price})?</source>
        <translation>Cancel {nickname}&apos;s unpaid order (¥{price})?</translation>
    </message>
    <message>
        <source>The piece goes to the next viewer in the queue, or back on sale. The buyer sees your reason.</source>
        <translation>The piece goes to the next viewer in the queue, or back on sale. The buyer sees your reason.</translation>
    </message>
    <message>
        <source>Reason, e.g. the buyer asked to cancel</source>
        <translation>Reason, e.g. the buyer asked to cancel</translation>
    </message>
    <message>
        <source>Keep the order</source>
        <translation>Keep the order</translation>
    </message>
</context>
<context>
    <name>CaptureFrame</name>
    <message>
        <source>Capture frame</source>
        <translation>Capture frame</translation>
    </message>
    <message>
        <source>⠿ Drag here to move · drag the corners to resize</source>
        <translation>⠿ Drag here to move · drag the corners to resize</translation>
    </message>
    <message>
        <source>⠿ Capture frame</source>
        <translation>⠿ Capture frame</translation>
    </message>
</context>
<context>
    <name>CaptureService</name>
    <message>
        <source>The capture failed: {error}</source>
        <translation>The capture failed: {error}</translation>
    </message>
</context>
<context>
    <name>CaptureWatch</name>
    <message>
        <source>A console window covers the capture frame, so this picture cannot be used. Move the window off the frame: the picture is retaken as soon as it is clear.</source>
        <translation>A console window covers the capture frame, so this picture cannot be used. Move the window off the frame: the picture is retaken as soon as it is clear.</translation>
    </message>
</context>
<context>
    <name>CardFill</name>
    <message>
        <source>Reading the card…</source>
        <translation>Reading the card…</translation>
    </message>
    <message>
        <source>Read from the card; please check</source>
        <translation>Read from the card; please check</translation>
    </message>
    <message>
        <source>Read from the card; please check (the piece number was {piece})</source>
        <translation>Read from the card; please check (the piece number was {piece})</translation>
    </message>
    <message>
        <source>The price on the card could not be read; type the price</source>
        <translation>The price on the card could not be read; type the price</translation>
    </message>
    <message>
        <source>Piece number read from the card; the price could not be read: type the price</source>
        <translation>Piece number read from the card; the price could not be read: type the price</translation>
    </message>
    <message>
        <source>The card could not be read; type the price</source>
        <translation>The card could not be read; type the price</translation>
    </message>
    <message>
        <source>The piece number on the card could not be read; it is back to {piece}</source>
        <translation>The piece number on the card could not be read; it is back to {piece}</translation>
    </message>
    <message>
        <source>Price read from the card; please check. The piece number could not be read; it is back to {piece}</source>
        <translation>Price read from the card; please check. The piece number could not be read; it is back to {piece}</translation>
    </message>
    <message>
        <source>The card could not be read; the piece number is back to {piece}; type the price</source>
        <translation>The card could not be read; the piece number is back to {piece}; type the price</translation>
    </message>
</context>
<context>
    <name>CommentDelegate</name>
    <message>
        <source>Hand over to this viewer</source>
        <translation>Hand over to this viewer</translation>
    </message>
    <message>
        <source>Start a targeted flash-buy for {nickname}</source>
        <translation>Start a targeted flash-buy for {nickname}</translation>
    </message>
    <message>
        <source>Give the piece that came back to {nickname}</source>
        <translation>Give the piece that came back to {nickname}</translation>
    </message>
</context>
<context>
    <name>CommentView</name>
    <message>
        <source>Live comments</source>
        <translation>Live comments</translation>
    </message>
    <message>
        <source>Purchase intent only</source>
        <translation>Purchase intent only</translation>
    </message>
    <message>
        <source>Show only comments that ask to buy or ask a price, like “要了”, “3号多少钱”, “#3”</source>
        <translation>Show only comments that ask to buy or ask a price, like “要了”, “3号多少钱”, “#3”</translation>
    </message>
    <message numerus="yes">
        <source>Paused, %n new comment(s)</source>
        <translation>
            <numerusform>Paused, %n new comment</numerusform>
            <numerusform>Paused, %n new comments</numerusform>
        </translation>
    </message>
    <message>
        <source>Paused (press {key} to go on)</source>
        <translation>Paused (press {key} to go on)</translation>
    </message>
    <message>
        <source>Paused (move the pointer away to go on)</source>
        <translation>Paused (move the pointer away to go on)</translation>
    </message>
</context>
<context>
    <name>Comments</name>
    <message>
        <source>{nickname}: {text}</source>
        <translation>{nickname}: {text}</translation>
    </message>
    <message>
        <source>{nickname}: {text} {time}</source>
        <translation>{nickname}: {text} {time}</translation>
    </message>
    <message>
        <source>{nickname}:</source>
        <translation>{nickname}:</translation>
    </message>
</context>
<context>
    <name>Console</name>
    <message>
        <source>Starting the local demo platform…</source>
        <translation>Starting the local demo platform…</translation>
    </message>
    <message>
        <source>Flash-buy console</source>
        <translation>Flash-buy console</translation>
    </message>
    <message>
        <source>This system has no keyring: the sign-in lasts for this run only, and you will sign in again at the next start</source>
        <translation>This system has no keyring: the sign-in lasts for this run only, and you will sign in again at the next start</translation>
    </message>
    <message>
        <source>Report a problem</source>
        <translation>Report a problem</translation>
    </message>
    <message>
        <source>The console has not reached the platform yet, so the report cannot be sent. The log file is here:
{path}</source>
        <translation>The console has not reached the platform yet, so the report cannot be sent. The log file is here:
{path}</translation>
    </message>
</context>
<context>
    <name>ConsoleSettings</name>
    <message>
        <source>the platform address starts with http:// or https://</source>
        <translation>the platform address starts with http:// or https://</translation>
    </message>
    <message>
        <source>press a key for this hotkey</source>
        <translation>press a key for this hotkey</translation>
    </message>
    <message>
        <source>a hotkey is one key combination, such as F2 or Ctrl+R</source>
        <translation>a hotkey is one key combination, such as F2 or Ctrl+R</translation>
    </message>
    <message>
        <source>this is not a key the console knows</source>
        <translation>this is not a key the console knows</translation>
    </message>
    <message>
        <source>a hotkey needs a key besides Ctrl, Shift, Alt or Meta</source>
        <translation>a hotkey needs a key besides Ctrl, Shift, Alt or Meta</translation>
    </message>
    <message>
        <source>Enter, Esc, Tab, Space, Backspace, Delete, the arrow keys, Home, End, Page Up and Page Down work the windows; on their own they cannot be hotkeys</source>
        <translation>Enter, Esc, Tab, Space, Backspace, Delete, the arrow keys, Home, End, Page Up and Page Down work the windows; on their own they cannot be hotkeys</translation>
    </message>
    <message>
        <source>two actions cannot have the same hotkey</source>
        <translation>two actions cannot have the same hotkey</translation>
    </message>
</context>
<context>
    <name>CrashWindow</name>
    <message>
        <source>Unexpected error</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <source>Something went wrong in the console.</source>
        <translation>Something went wrong in the console.</translation>
    </message>
    <message>
        <source>The console keeps running, but what you were doing may not have finished. The details are saved in the log; a problem report sends them to us.</source>
        <translation>The console keeps running, but what you were doing may not have finished. The details are saved in the log; a problem report sends them to us.</translation>
    </message>
    <message>
        <source>Report a problem…</source>
        <translation>Report a problem…</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Copy details</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>And 1 more error</source>
        <translation>And 1 more error</translation>
    </message>
    <message>
        <source>And {count} more errors</source>
        <translation>And {count} more errors</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copied</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>Hide details</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>Show details</translation>
    </message>
</context>
<context>
    <name>FlashBuyFields</name>
    <message>
        <source>Product</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>e.g. 3</source>
        <translation>e.g. 3</translation>
    </message>
    <message>
        <source>Piece no.</source>
        <translation>Piece no.</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Yuan, e.g. 1288 or 1288.50</source>
        <translation>Yuan, e.g. 1288 or 1288.50</translation>
    </message>
    <message>
        <source>Price (yuan)</source>
        <translation>Price (yuan)</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>Stock</translation>
    </message>
    <message>
        <source> min</source>
        <comment>a spin box&apos;s unit</comment>
        <translation> min</translation>
    </message>
    <message>
        <source>Unpaid after this long, the order expires and the piece goes to the next buyer</source>
        <translation>Unpaid after this long, the order expires and the piece goes to the next buyer</translation>
    </message>
    <message>
        <source>Time to pay</source>
        <translation>Time to pay</translation>
    </message>
    <message>
        <source>Loading shipping templates…</source>
        <translation>Loading shipping templates…</translation>
    </message>
    <message>
        <source>New…</source>
        <comment>a shipping template</comment>
        <translation>New…</translation>
    </message>
    <message>
        <source>Shipping template</source>
        <translation>Shipping template</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>Optional</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>No. {piece} {product}</source>
        <translation>No. {piece} {product}</translation>
    </message>
    <message>
        <source>sold</source>
        <comment>a flash-buy</comment>
        <translation>sold</translation>
    </message>
    <message>
        <source>on sale</source>
        <comment>a flash-buy</comment>
        <translation>on sale</translation>
    </message>
    <message>
        <source>⚠ No. {piece} already has a flash-buy in this live ({state}: {title}, ¥{price}). Press Enter again to publish it anyway.</source>
        <translation>⚠ No. {piece} already has a flash-buy in this live ({state}: {title}, ¥{price}). Press Enter again to publish it anyway.</translation>
    </message>
    <message>
        <source>Make a shipping template</source>
        <translation>Make a shipping template</translation>
    </message>
    <message>
        <source>Choose a product that can be flash-bought</source>
        <translation>Choose a product that can be flash-bought</translation>
    </message>
    <message>
        <source>Enter a title</source>
        <translation>Enter a title</translation>
    </message>
    <message>
        <source>title</source>
        <translation>title</translation>
    </message>
    <message>
        <source>piece number</source>
        <translation>piece number</translation>
    </message>
    <message>
        <source>note</source>
        <translation>note</translation>
    </message>
    <message>
        <source>Choose a shipping template (or click “New…”)</source>
        <translation>Choose a shipping template (or click “New…”)</translation>
    </message>
</context>
<context>
    <name>FlashBuyPanel</name>
    <message>
        <source>All modes</source>
        <translation>All modes</translation>
    </message>
    <message>
        <source>Full</source>
        <comment>flash-buy mode</comment>
        <translation>Full</translation>
    </message>
    <message>
        <source>Targeted</source>
        <comment>flash-buy mode</comment>
        <translation>Targeted</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>All categories</translation>
    </message>
    <message>
        <source>Search titles or piece numbers</source>
        <translation>Search titles or piece numbers</translation>
    </message>
    <message>
        <source>End flash-buy</source>
        <translation>End flash-buy</translation>
    </message>
    <message>
        <source>End the selected active flash-buy: it disappears from the live room at once and viewers can no longer buy it</source>
        <translation>End the selected active flash-buy: it disappears from the live room at once and viewers can no longer buy it</translation>
    </message>
    <message>
        <source>See the picture large</source>
        <translation>See the picture large</translation>
    </message>
    <message>
        <source>Could not load the buyers</source>
        <translation>Could not load the buyers</translation>
    </message>
    <message>
        <source>Could not load the flash-buys</source>
        <translation>Could not load the flash-buys</translation>
    </message>
    <message>
        <source>{what}: {why}</source>
        <translation>{what}: {why}</translation>
    </message>
    <message>
        <source>Could not load the categories</source>
        <translation>Could not load the categories</translation>
    </message>
    <message>
        <source>Could not end the flash-buy</source>
        <translation>Could not end the flash-buy</translation>
    </message>
    <message>
        <source>All {n}</source>
        <translation>All {n}</translation>
    </message>
    <message>
        <source>Active {n}</source>
        <translation>Active {n}</translation>
    </message>
    <message>
        <source>Sold out {n}</source>
        <translation>Sold out {n}</translation>
    </message>
    <message>
        <source>Ended {n}</source>
        <translation>Ended {n}</translation>
    </message>
</context>
<context>
    <name>FlashBuyTableModel</name>
    <message>
        <source>Picture</source>
        <translation>Picture</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Price</translation>
    </message>
    <message>
        <source>Sold/stock</source>
        <translation>Sold/stock</translation>
    </message>
    <message>
        <source>Buyer</source>
        <translation>Buyer</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>Sold out</source>
        <translation>Sold out</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Ended</translation>
    </message>
    <message>
        <source>Click to see the picture large</source>
        <translation>Click to see the picture large</translation>
    </message>
    <message>
        <source>#{piece} · {title}</source>
        <translation>#{piece} · {title}</translation>
    </message>
    <message>
        <source>Paid {paid} · unpaid {held} / {stock}</source>
        <translation>Paid {paid} · unpaid {held} / {stock}</translation>
    </message>
    <message>
        <source>Sold {sold}/{stock}</source>
        <translation>Sold {sold}/{stock}</translation>
    </message>
    <message>
        <source>{left} left</source>
        <translation>{left} left</translation>
    </message>
    <message>
        <source>The first unpaid order runs out in {left}</source>
        <translation>The first unpaid order runs out in {left}</translation>
    </message>
    <message>
        <source>Waiting {n}</source>
        <translation>Waiting {n}</translation>
    </message>
    <message>
        <source>{n} viewer(s) wait for a piece to come back</source>
        <translation>{n} viewer(s) wait for a piece to come back</translation>
    </message>
    <message>
        <source>Targeted: {names}</source>
        <translation>Targeted: {names}</translation>
    </message>
    <message>
        <source>Full</source>
        <comment>flash-buy mode</comment>
        <translation>Full</translation>
    </message>
    <message>
        <source>{title}
Product: {product}
Category: {category}</source>
        <translation>{title}
Product: {product}
Category: {category}</translation>
    </message>
    <message>
        <source>Note: {note}</source>
        <translation>Note: {note}</translation>
    </message>
    <message>
        <source>{status} ({time})</source>
        <translation>{status} ({time})</translation>
    </message>
    <message>
        <source>Buyers: {names}</source>
        <translation>Buyers: {names}</translation>
    </message>
    <message>
        <source>No buyers yet</source>
        <translation>No buyers yet</translation>
    </message>
</context>
<context>
    <name>FlashBuys</name>
    <message>
        <source>End flash-buy</source>
        <translation>End flash-buy</translation>
    </message>
    <message>
        <source>End the flash-buy “{name}”?</source>
        <translation>End the flash-buy “{name}”?</translation>
    </message>
    <message>
        <source>Once ended it disappears from the live room at once, viewers can no longer buy it, and it cannot be restored.</source>
        <translation>Once ended it disappears from the live room at once, viewers can no longer buy it, and it cannot be restored.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>GlobalHotkeys</name>
    <message>
        <source>On Wayland, global hotkeys work only while an X11 program has focus.</source>
        <translation>On Wayland, global hotkeys work only while an X11 program has focus.</translation>
    </message>
    <message>
        <source>{key} ({action}) cannot be global on this system; it works only while the console has focus.</source>
        <translation>{key} ({action}) cannot be global on this system; it works only while the console has focus.</translation>
    </message>
    <message>
        <source>{key} ({action}) is taken by another program, which gets it instead of the console; choose another key for it in the settings.</source>
        <translation>{key} ({action}) is taken by another program, which gets it instead of the console; choose another key for it in the settings.</translation>
    </message>
    <message>
        <source>{key} ({action}) types text, so it cannot be global; it works only while the console has focus. Choose a function key such as F2 for it.</source>
        <translation>{key} ({action}) types text, so it cannot be global; it works only while the console has focus. Choose a function key such as F2 for it.</translation>
    </message>
    <message>
        <source>The system refused {key} ({action}) as a global hotkey; it works only while the console has focus.</source>
        <translation>The system refused {key} ({action}) as a global hotkey; it works only while the console has focus.</translation>
    </message>
    <message>
        <source>Global hotkeys need X11 or XWayland, and this Wayland session has no XWayland; the hotkeys work only while the console has focus.</source>
        <translation>Global hotkeys need X11 or XWayland, and this Wayland session has no XWayland; the hotkeys work only while the console has focus.</translation>
    </message>
    <message>
        <source>This system does not allow global hotkeys; the hotkeys work only while the console has focus.</source>
        <translation>This system does not allow global hotkeys; the hotkeys work only while the console has focus.</translation>
    </message>
</context>
<context>
    <name>GoLiveDialog</name>
    <message>
        <source>Give the live a title</source>
        <translation>Give the live a title</translation>
    </message>
    <message>
        <source>A title has at most {n} characters</source>
        <translation>A title has at most {n} characters</translation>
    </message>
    <message>
        <source>The title holds a character that cannot be shown; type it again</source>
        <translation>The title holds a character that cannot be shown; type it again</translation>
    </message>
    <message>
        <source>title</source>
        <translation>title</translation>
    </message>
    <message>
        <source>Go live</source>
        <translation>Go live</translation>
    </message>
    <message>
        <source>Title of the new live (viewers see it in the live room):</source>
        <translation>Title of the new live (viewers see it in the live room):</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Going live…</source>
        <translation>Going live…</translation>
    </message>
</context>
<context>
    <name>LiveHeader</name>
    <message>
        <source>Not live</source>
        <translation>Not live</translation>
    </message>
    <message>
        <source>Go live</source>
        <translation>Go live</translation>
    </message>
    <message>
        <source>End live</source>
        <translation>End live</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Menu</translation>
    </message>
    <message>
        <source>● Live</source>
        <translation>● Live</translation>
    </message>
    <message>
        <source>Live ended</source>
        <translation>Live ended</translation>
    </message>
    <message>
        <source>Start a new live</source>
        <translation>Start a new live</translation>
    </message>
    <message numerus="yes">
        <source>%n viewer(s)</source>
        <translation>
            <numerusform>%n viewer</numerusform>
            <numerusform>%n viewers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) · sales ¥{sales}</source>
        <translation>
            <numerusform>%n order · sales ¥{sales}</numerusform>
            <numerusform>%n orders · sales ¥{sales}</numerusform>
        </translation>
    </message>
    <message>
        <source>Paid orders and what they were paid, postage aside</source>
        <translation>Paid orders and what they were paid, postage aside</translation>
    </message>
    <message>
        <source>· unpaid ¥{held}</source>
        <translation>· unpaid ¥{held}</translation>
    </message>
    <message>
        <source>Orders waiting to be paid: {n}</source>
        <translation>Orders waiting to be paid: {n}</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Connected</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Reconnecting…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Not connected</translation>
    </message>
</context>
<context>
    <name>LivesModel</name>
    <message>
        <source>Title</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Ended</translation>
    </message>
    <message>
        <source>Flash-buys</source>
        <translation>Flash-buys</translation>
    </message>
    <message>
        <source>Started at</source>
        <translation>Started at</translation>
    </message>
    <message>
        <source>Ended at</source>
        <translation>Ended at</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Orders</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Sales</translation>
    </message>
    <message>
        <source>Live now</source>
        <translation>Live now</translation>
    </message>
</context>
<context>
    <name>LivesWindow</name>
    <message>
        <source>Past lives</source>
        <translation>Past lives</translation>
    </message>
    <message>
        <source>Loading the lives…</source>
        <translation>Loading the lives…</translation>
    </message>
    <message>
        <source>Open flash-buys</source>
        <translation>Open flash-buys</translation>
    </message>
    <message>
        <source>Lives: {n}</source>
        <translation>Lives: {n}</translation>
    </message>
    <message>
        <source>No lives yet</source>
        <translation>No lives yet</translation>
    </message>
    <message>
        <source>Could not load the lives: {why}</source>
        <translation>Could not load the lives: {why}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Jade live</source>
        <translation>Jade live</translation>
    </message>
    <message>
        <source>Flash-buy console</source>
        <translation>Flash-buy console</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <source>Report a problem…</source>
        <translation>Report a problem…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>Past lives…</source>
        <translation>Past lives…</translation>
    </message>
    <message>
        <source>New full flash-buy</source>
        <translation>New full flash-buy</translation>
    </message>
    <message>
        <source>Pause comments</source>
        <translation>Pause comments</translation>
    </message>
    <message>
        <source>Shipping templates…</source>
        <translation>Shipping templates…</translation>
    </message>
    <message>
        <source>New full flash-buy ({key})</source>
        <translation>New full flash-buy ({key})</translation>
    </message>
    <message>
        <source>Show capture frame</source>
        <translation>Show capture frame</translation>
    </message>
    <message>
        <source>Lock capture frame</source>
        <translation>Lock capture frame</translation>
    </message>
    <message>
        <source>Go live first, then create flash-buys</source>
        <translation>Go live first, then create flash-buys</translation>
    </message>
    <message>
        <source>There is no capture frame to take the picture from</source>
        <translation>There is no capture frame to take the picture from</translation>
    </message>
    <message>
        <source>End live</source>
        <translation>End live</translation>
    </message>
    <message>
        <source>End the live “{title}” now?</source>
        <translation>End the live “{title}” now?</translation>
    </message>
    <message>
        <source>The live room closes: every active flash-buy ends at once and can no longer be bought. An ended live cannot be resumed; you can start a new one.</source>
        <translation>The live room closes: every active flash-buy ends at once and can no longer be bought. An ended live cannot be resumed; you can start a new one.</translation>
    </message>
    <message>
        <source>Keep the live on</source>
        <translation>Keep the live on</translation>
    </message>
    <message>
        <source>The live goes on on the platform: viewers can still buy its active flash-buys. Sign in again to manage it.</source>
        <translation>The live goes on on the platform: viewers can still buy its active flash-buys. Sign in again to manage it.</translation>
    </message>
    <message>
        <source>Sign out of the console?</source>
        <translation>Sign out of the console?</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Quit the console</source>
        <translation>Quit the console</translation>
    </message>
    <message>
        <source>The live “{title}” is still on. Quit the console?</source>
        <translation>The live “{title}” is still on. Quit the console?</translation>
    </message>
    <message>
        <source>The live goes on on the platform without the console: viewers stay and can still buy its active flash-buys, and nobody here sees their comments. To end it, choose Keep the console open, then End live.</source>
        <translation>The live goes on on the platform without the console: viewers stay and can still buy its active flash-buys, and nobody here sees their comments. To end it, choose Keep the console open, then End live.</translation>
    </message>
    <message>
        <source>Keep the console open</source>
        <translation>Keep the console open</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>Wrong account or password</source>
        <translation>Wrong account or password</translation>
    </message>
    <message>
        <source>Too many attempts; please try again in a moment</source>
        <translation>Too many attempts; please try again in a moment</translation>
    </message>
    <message>
        <source>Too many requests in a short time; please try again in a moment</source>
        <translation>Too many requests in a short time; please try again in a moment</translation>
    </message>
    <message>
        <source>Please sign in again</source>
        <translation>Please sign in again</translation>
    </message>
    <message>
        <source>Your sign-in has expired; please sign in again</source>
        <translation>Your sign-in has expired; please sign in again</translation>
    </message>
    <message>
        <source>You were signed out elsewhere; please sign in again</source>
        <translation>You were signed out elsewhere; please sign in again</translation>
    </message>
    <message>
        <source>You are not allowed to manage this live room</source>
        <translation>You are not allowed to manage this live room</translation>
    </message>
    <message>
        <source>Flash-buys are opened by invitation of the platform: your account has not been invited</source>
        <translation>Flash-buys are opened by invitation of the platform: your account has not been invited</translation>
    </message>
    <message>
        <source>This shop does not meet the platform&apos;s standard for flash-buys</source>
        <translation>This shop does not meet the platform&apos;s standard for flash-buys</translation>
    </message>
    <message>
        <source>This category cannot be flash-bought (only non-standard categories the platform approved)</source>
        <translation>This category cannot be flash-bought (only non-standard categories the platform approved)</translation>
    </message>
    <message>
        <source>You are not bound to this shop and cannot sell its products</source>
        <translation>You are not bound to this shop and cannot sell its products</translation>
    </message>
    <message>
        <source>This product has no full flash-buys left</source>
        <translation>This product has no full flash-buys left</translation>
    </message>
    <message>
        <source>This product has no targeted flash-buys left</source>
        <translation>This product has no targeted flash-buys left</translation>
    </message>
    <message>
        <source>The targeted viewer is no longer in the live room</source>
        <translation>The targeted viewer is no longer in the live room</translation>
    </message>
    <message>
        <source>The live has ended</source>
        <translation>The live has ended</translation>
    </message>
    <message>
        <source>A live is already going on</source>
        <translation>A live is already going on</translation>
    </message>
    <message>
        <source>The product picture cannot be read; please capture it again</source>
        <translation>The product picture cannot be read; please capture it again</translation>
    </message>
    <message>
        <source>The product picture is too large</source>
        <translation>The product picture is too large</translation>
    </message>
    <message>
        <source>The shipping template does not exist; please choose again</source>
        <translation>The shipping template does not exist; please choose again</translation>
    </message>
    <message>
        <source>An active flash-buy uses this shipping template</source>
        <translation>An active flash-buy uses this shipping template</translation>
    </message>
    <message>
        <source>Sold out</source>
        <translation>Sold out</translation>
    </message>
    <message>
        <source>The flash-buy has ended</source>
        <translation>The flash-buy has ended</translation>
    </message>
    <message>
        <source>The platform could not read what the console sent; please update the console</source>
        <translation>The platform could not read what the console sent; please update the console</translation>
    </message>
    <message>
        <source>It is no longer on the platform (it may have been deleted)</source>
        <translation>It is no longer on the platform (it may have been deleted)</translation>
    </message>
    <message>
        <source>The platform does not support this action; please update the console</source>
        <translation>The platform does not support this action; please update the console</translation>
    </message>
    <message>
        <source>The platform refused the request&apos;s identifier; please update the console</source>
        <translation>The platform refused the request&apos;s identifier; please update the console</translation>
    </message>
    <message>
        <source>This request was already made with other content; please try again</source>
        <translation>This request was already made with other content; please try again</translation>
    </message>
    <message>
        <source>A targeted flash-buy needs the viewer it is for</source>
        <translation>A targeted flash-buy needs the viewer it is for</translation>
    </message>
    <message>
        <source>A full flash-buy goes to every viewer and cannot name one</source>
        <translation>A full flash-buy goes to every viewer and cannot name one</translation>
    </message>
    <message>
        <source>The viewer is not in the live room</source>
        <translation>The viewer is not in the live room</translation>
    </message>
    <message>
        <source>The platform&apos;s record of this live differs from the console&apos;s; reloading it</source>
        <translation>The platform&apos;s record of this live differs from the console&apos;s; reloading it</translation>
    </message>
    <message>
        <source>The product picture is missing; please capture it again</source>
        <translation>The product picture is missing; please capture it again</translation>
    </message>
    <message>
        <source>The report is not a valid zip and the platform did not take it; please save it as a zip and contact support</source>
        <translation>The report is not a valid zip and the platform did not take it; please save it as a zip and contact support</translation>
    </message>
    <message>
        <source>The report is too large (over {limit} MB); untick the capture frame screenshot and try again, or save it as a zip for support</source>
        <translation>The report is too large (over {limit} MB); untick the capture frame screenshot and try again, or save it as a zip for support</translation>
    </message>
    <message>
        <source>The platform did not accept the report&apos;s content; please save it as a zip for support</source>
        <translation>The platform did not accept the report&apos;s content; please save it as a zip for support</translation>
    </message>
    <message>
        <source>You have sent {count} problem reports in the last hour; save this one as a zip and send it later</source>
        <translation>You have sent {count} problem reports in the last hour; save this one as a zip and send it later</translation>
    </message>
    <message>
        <source>This flash-buy was not offered to this viewer</source>
        <translation>This flash-buy was not offered to this viewer</translation>
    </message>
    <message>
        <source>This viewer has already bought it</source>
        <translation>This viewer has already bought it</translation>
    </message>
    <message>
        <source>The shipping template does not deliver to this region</source>
        <translation>The shipping template does not deliver to this region</translation>
    </message>
    <message>
        <source>You blocked this viewer: unblock them on their card first</source>
        <translation>You blocked this viewer: unblock them on their card first</translation>
    </message>
    <message>
        <source>This viewer left too many orders unpaid and is held back from this flash-buy</source>
        <translation>This viewer left too many orders unpaid and is held back from this flash-buy</translation>
    </message>
    <message>
        <source>The order is no longer waiting for payment (paid, expired or cancelled)</source>
        <translation>The order is no longer waiting for payment (paid, expired or cancelled)</translation>
    </message>
    <message>
        <source>No piece of this flash-buy is free: every one is paid or held for a buyer</source>
        <translation>No piece of this flash-buy is free: every one is paid or held for a buyer</translation>
    </message>
    <message>
        <source>The viewer is no longer waiting in this flash-buy&apos;s queue</source>
        <translation>The viewer is no longer waiting in this flash-buy&apos;s queue</translation>
    </message>
    <message>
        <source>The platform failed and nothing was done; please try again later</source>
        <translation>The platform failed and nothing was done; please try again later</translation>
    </message>
    <message>
        <source>The platform refused a request that was too large; please update the console</source>
        <translation>The platform refused a request that was too large; please update the console</translation>
    </message>
    <message>
        <source>The request reached the platform too slowly; check the network and try again</source>
        <translation>The request reached the platform too slowly; check the network and try again</translation>
    </message>
    <message>
        <source>The platform is busy and nothing was done; please try again in a moment</source>
        <translation>The platform is busy and nothing was done; please try again in a moment</translation>
    </message>
    <message>
        <source>The platform refused the input: {detail}</source>
        <translation>The platform refused the input: {detail}</translation>
    </message>
    <message>
        <source>Cannot reach the platform; retrying. Please check the network</source>
        <translation>Cannot reach the platform; retrying. Please check the network</translation>
    </message>
    <message>
        <source>The platform&apos;s answer was not understood; please update the console</source>
        <translation>The platform&apos;s answer was not understood; please update the console</translation>
    </message>
    <message>
        <source>Something went wrong: {error}</source>
        <translation>Something went wrong: {error}</translation>
    </message>
</context>
<context>
    <name>NewFlashBuyDialog</name>
    <message>
        <source>New targeted flash-buy</source>
        <translation>New targeted flash-buy</translation>
    </message>
    <message>
        <source>New full flash-buy</source>
        <translation>New full flash-buy</translation>
    </message>
    <message>
        <source>Targeted flash-buy: only the viewers below can see and buy it</source>
        <translation>Targeted flash-buy: only the viewers below can see and buy it</translation>
    </message>
    <message>
        <source>Full flash-buy: every viewer in the live room gets the invitation</source>
        <translation>Full flash-buy: every viewer in the live room gets the invitation</translation>
    </message>
    <message>
        <source>Loading products…</source>
        <translation>Loading products…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message numerus="yes">
        <source>Viewers with %n or more expired order(s) with you cannot buy it (settings)</source>
        <translation>
            <numerusform>Viewers with %n or more expired order with you cannot buy it (settings)</numerusform>
            <numerusform>Viewers with %n or more expired orders with you cannot buy it (settings)</numerusform>
        </translation>
    </message>
    <message>
        <source>Create (Enter)</source>
        <translation>Create (Enter)</translation>
    </message>
    <message>
        <source>The live has ended, so nothing can be published: start a new live first</source>
        <translation>The live has ended, so nothing can be published: start a new live first</translation>
    </message>
    <message>
        <source>No product can be flash-bought: first list products of a non-standard category in your shop</source>
        <translation>No product can be flash-bought: first list products of a non-standard category in your shop</translation>
    </message>
    <message>
        <source>; </source>
        <comment>between reasons</comment>
        <translation>; </translation>
    </message>
    <message>
        <source>Flash-buys cannot be created: {reasons}</source>
        <translation>Flash-buys cannot be created: {reasons}</translation>
    </message>
    <message>
        <source>Full {full_left}/{full_limit}    Targeted {targeted_left}/{targeted_limit}</source>
        <translation>Full {full_left}/{full_limit}    Targeted {targeted_left}/{targeted_limit}</translation>
    </message>
    <message>
        <source>The live has ended</source>
        <translation>The live has ended</translation>
    </message>
    <message>
        <source>Choose a product that can be flash-bought</source>
        <translation>Choose a product that can be flash-bought</translation>
    </message>
    <message>
        <source>This product has no full flash-buys left ({left}/{limit})</source>
        <translation>This product has no full flash-buys left ({left}/{limit})</translation>
    </message>
    <message>
        <source>This product has no targeted flash-buys left ({left}/{limit})</source>
        <translation>This product has no targeted flash-buys left ({left}/{limit})</translation>
    </message>
    <message>
        <source>No picture yet: wait for the capture, or press {key} to retake</source>
        <translation>No picture yet: wait for the capture, or press {key} to retake</translation>
    </message>
    <message>
        <source>Enter a price</source>
        <translation>Enter a price</translation>
    </message>
    <message>
        <source>The price cannot be negative</source>
        <translation>The price cannot be negative</translation>
    </message>
    <message>
        <source>The price can contain only digits and a decimal point</source>
        <translation>The price can contain only digits and a decimal point</translation>
    </message>
    <message>
        <source>The price has at most two decimals</source>
        <translation>The price has at most two decimals</translation>
    </message>
    <message>
        <source>The price is at least {min} yuan</source>
        <translation>The price is at least {min} yuan</translation>
    </message>
    <message>
        <source>The price is at most {max} yuan</source>
        <translation>The price is at most {max} yuan</translation>
    </message>
    <message>
        <source>A targeted flash-buy needs at least one viewer</source>
        <translation>A targeted flash-buy needs at least one viewer</translation>
    </message>
    <message>
        <source>Invalid input: {reason}</source>
        <translation>Invalid input: {reason}</translation>
    </message>
    <message>
        <source>No. {piece} was already published in this live: press Enter again to publish it anyway</source>
        <translation>No. {piece} was already published in this live: press Enter again to publish it anyway</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>Creating…</translation>
    </message>
</context>
<context>
    <name>OrdersModel</name>
    <message>
        <source>Buyer</source>
        <translation>Buyer</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Placed</source>
        <translation>Placed</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>The piece</source>
        <translation>The piece</translation>
    </message>
    <message>
        <source>{nickname}, {region}</source>
        <translation>{nickname}, {region}</translation>
    </message>
    <message>
        <source>Pay by {time}</source>
        <translation>Pay by {time}</translation>
    </message>
</context>
<context>
    <name>OrdersPane</name>
    <message>
        <source>Cancel order…</source>
        <translation>Cancel order…</translation>
    </message>
    <message>
        <source>Cancel the selected unpaid order: its piece goes to the next in the queue</source>
        <translation>Cancel the selected unpaid order: its piece goes to the next in the queue</translation>
    </message>
    <message>
        <source>Give to them</source>
        <translation>Give to them</translation>
    </message>
    <message>
        <source>Give the piece to the selected waiting viewer, with a fresh pay window</source>
        <translation>Give the piece to the selected waiting viewer, with a fresh pay window</translation>
    </message>
    <message>
        <source>Select a flash-buy to see its orders</source>
        <translation>Select a flash-buy to see its orders</translation>
    </message>
    <message>
        <source>Orders of {title}</source>
        <translation>Orders of {title}</translation>
    </message>
    <message>
        <source>Orders: {n}</source>
        <translation>Orders: {n}</translation>
    </message>
    <message>
        <source>Waiting: {n}</source>
        <translation>Waiting: {n}</translation>
    </message>
    <message>
        <source>{place}. {nickname}  {time}</source>
        <translation>{place}. {nickname}  {time}</translation>
    </message>
    <message>
        <source>Could not cancel the order</source>
        <translation>Could not cancel the order</translation>
    </message>
    <message>
        <source>Give the piece to {nickname}</source>
        <translation>Give the piece to {nickname}</translation>
    </message>
    <message>
        <source>Cancel {old}&apos;s unpaid order and give the piece to {new}?</source>
        <translation>Cancel {old}&apos;s unpaid order and give the piece to {new}?</translation>
    </message>
    <message>
        <source>{old} has not paid yet. Their order is cancelled now and {new} gets a fresh pay window.</source>
        <translation>{old} has not paid yet. Their order is cancelled now and {new} gets a fresh pay window.</translation>
    </message>
    <message>
        <source>Give to {nickname}</source>
        <translation>Give to {nickname}</translation>
    </message>
    <message>
        <source>Keep {nickname}&apos;s order</source>
        <translation>Keep {nickname}&apos;s order</translation>
    </message>
    <message>
        <source>Could not give the piece</source>
        <translation>Could not give the piece</translation>
    </message>
    <message>
        <source>{what}: {why}</source>
        <translation>{what}: {why}</translation>
    </message>
    <message>
        <source>Unpaid</source>
        <translation>Unpaid</translation>
    </message>
    <message>
        <source>Unpaid {left}</source>
        <translation>Unpaid {left}</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Expired</translation>
    </message>
    <message>
        <source>buyer</source>
        <translation>buyer</translation>
    </message>
    <message>
        <source>seller</source>
        <translation>seller</translation>
    </message>
    <message>
        <source>Cancelled ({who}: {reason})</source>
        <translation>Cancelled ({who}: {reason})</translation>
    </message>
    <message>
        <source>Cancelled ({who})</source>
        <translation>Cancelled ({who})</translation>
    </message>
    <message>
        <source>Given by you</source>
        <translation>Given by you</translation>
    </message>
    <message>
        <source>From the queue</source>
        <translation>From the queue</translation>
    </message>
    <message>
        <source>Came back</source>
        <translation>Came back</translation>
    </message>
    <message>
        <source>{how}, was {nickname}&apos;s</source>
        <translation>{how}, was {nickname}&apos;s</translation>
    </message>
    <message>
        <source>Moved to {nickname}</source>
        <translation>Moved to {nickname}</translation>
    </message>
    <message>
        <source>Piece released</source>
        <translation>Piece released</translation>
    </message>
</context>
<context>
    <name>PastLiveWindow</name>
    <message>
        <source>Past live: {title}</source>
        <translation>Past live: {title}</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} to {end}</translation>
    </message>
    <message>
        <source>since {start}, still live</source>
        <translation>since {start}, still live</translation>
    </message>
    <message>
        <source>Flash-buys {flashbuys} · orders {orders} · sales ¥{sales}</source>
        <translation>Flash-buys {flashbuys} · orders {orders} · sales ¥{sales}</translation>
    </message>
</context>
<context>
    <name>PicturePane</name>
    <message>
        <source>Taking the picture…</source>
        <translation>Taking the picture…</translation>
    </message>
    <message>
        <source>Drag to crop the picture</source>
        <translation>Drag to crop the picture</translation>
    </message>
    <message>
        <source>Retake ({key})</source>
        <translation>Retake ({key})</translation>
    </message>
    <message>
        <source>The captured picture cannot be shown; please retake it</source>
        <translation>The captured picture cannot be shown; please retake it</translation>
    </message>
    <message>
        <source>No order card was found in the picture</source>
        <translation>No order card was found in the picture</translation>
    </message>
    <message>
        <source>The picture is blurry; better retake it</source>
        <translation>The picture is blurry; better retake it</translation>
    </message>
    <message>
        <source>Press {key} to retake</source>
        <translation>Press {key} to retake</translation>
    </message>
    <message>
        <source>Cropped to {width}×{height} (double-click to undo)</source>
        <translation>Cropped to {width}×{height} (double-click to undo)</translation>
    </message>
</context>
<context>
    <name>PicturePopup</name>
    <message>
        <source>{title} (loading the picture…)</source>
        <translation>{title} (loading the picture…)</translation>
    </message>
    <message>
        <source>{title} (the picture could not be read)</source>
        <translation>{title} (the picture could not be read)</translation>
    </message>
    <message>
        <source>{title} ({reason})</source>
        <translation>{title} ({reason})</translation>
    </message>
</context>
<context>
    <name>PicturePreview</name>
    <message>
        <source>Drag to crop the picture tighter; double-click to undo the crop</source>
        <translation>Drag to crop the picture tighter; double-click to undo the crop</translation>
    </message>
</context>
<context>
    <name>PiecePicker</name>
    <message>
        <source>{title} (¥{price})</source>
        <translation>{title} (¥{price})</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>Hand over</translation>
    </message>
    <message>
        <source>Which piece goes to {nickname}?</source>
        <translation>Which piece goes to {nickname}?</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ProblemReportDialog</name>
    <message>
        <source>Report a problem</source>
        <translation>Report a problem</translation>
    </message>
    <message>
        <source>Tell us what happened. The files below are exactly what will be sent to support; sign-in tokens and passwords are removed from them.</source>
        <translation>Tell us what happened. The files below are exactly what will be sent to support; sign-in tokens and passwords are removed from them.</translation>
    </message>
    <message>
        <source>What happened? What did you do just before, and what did you expect?</source>
        <translation>What happened? What did you do just before, and what did you expect?</translation>
    </message>
    <message>
        <source>Add a screenshot of the capture frame&apos;s area</source>
        <translation>Add a screenshot of the capture frame&apos;s area</translation>
    </message>
    <message>
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>Save as zip…</source>
        <translation>Save as zip…</translation>
    </message>
    <message>
        <source>Send to support</source>
        <translation>Send to support</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>What will be sent:</source>
        <translation>What will be sent:</translation>
    </message>
    <message>
        <source>Preparing the report…</source>
        <translation>Preparing the report…</translation>
    </message>
    <message>
        <source>Your account could not be read ({reason}); the report goes without it.</source>
        <translation>Your account could not be read ({reason}); the report goes without it.</translation>
    </message>
    <message>
        <source>A screenshot could not be taken: {reason}</source>
        <translation>A screenshot could not be taken: {reason}</translation>
    </message>
    <message>
        <source>There is no capture frame on screen to take a picture of.</source>
        <translation>There is no capture frame on screen to take a picture of.</translation>
    </message>
    <message>
        <source>{count} files, {size} to send</source>
        <translation>{count} files, {size} to send</translation>
    </message>
    <message>
        <source>The report is larger than the platform takes ({limit} MB): untick the capture frame&apos;s screenshot, or shorten the description</source>
        <translation>The report is larger than the platform takes ({limit} MB): untick the capture frame&apos;s screenshot, or shorten the description</translation>
    </message>
    <message>
        <source>The report could not be prepared: {reason}</source>
        <translation>The report could not be prepared: {reason}</translation>
    </message>
    <message>
        <source>Save the problem report</source>
        <translation>Save the problem report</translation>
    </message>
    <message>
        <source>Zip files (*.zip)</source>
        <translation>Zip files (*.zip)</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>Saved to {path}</source>
        <translation>Saved to {path}</translation>
    </message>
    <message>
        <source>The report could not be saved: {reason}</source>
        <translation>The report could not be saved: {reason}</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <source>Sent. Your report number is {number}: give it to support.</source>
        <translation>Sent. Your report number is {number}: give it to support.</translation>
    </message>
    <message>
        <source>Not sent: {reason} You can save the zip and send it another way.</source>
        <translation>Not sent: {reason} You can save the zip and send it another way.</translation>
    </message>
</context>
<context>
    <name>ProductPicker</name>
    <message>
        <source>Loading products…</source>
        <translation>Loading products…</translation>
    </message>
    <message>
        <source>Choose a product</source>
        <translation>Choose a product</translation>
    </message>
    <message>
        <source>{product} · {shop}</source>
        <translation>{product} · {shop}</translation>
    </message>
    <message>
        <source>{product} ({reason})</source>
        <translation>{product} ({reason})</translation>
    </message>
    <message>
        <source>{product}    Full {full_left}/{full_limit} · Targeted {t_left}/{t_limit}</source>
        <translation>{product}    Full {full_left}/{full_limit} · Targeted {t_left}/{t_limit}</translation>
    </message>
    <message>
        <source>No full flash-buys left for this product ({left}/{limit})</source>
        <translation>No full flash-buys left for this product ({left}/{limit})</translation>
    </message>
    <message>
        <source>No targeted flash-buys left for this product ({left}/{limit})</source>
        <translation>No targeted flash-buys left for this product ({left}/{limit})</translation>
    </message>
    <message>
        <source>The product used last, “{product}”, cannot be used: {reason}. Choose a product.</source>
        <translation>The product used last, “{product}”, cannot be used: {reason}. Choose a product.</translation>
    </message>
    <message>
        <source>The product used last is no longer offered. Choose a product.</source>
        <translation>The product used last is no longer offered. Choose a product.</translation>
    </message>
    <message>
        <source>account not invited</source>
        <translation>account not invited</translation>
    </message>
    <message>
        <source>shop not qualified</source>
        <translation>shop not qualified</translation>
    </message>
    <message>
        <source>category not approved</source>
        <translation>category not approved</translation>
    </message>
    <message>
        <source>shop not bound</source>
        <translation>shop not bound</translation>
    </message>
    <message>
        <source>not eligible</source>
        <translation>not eligible</translation>
    </message>
    <message>
        <source>This product cannot be flash-bought</source>
        <translation>This product cannot be flash-bought</translation>
    </message>
</context>
<context>
    <name>Publishing</name>
    <message>
        <source>Cannot reach the platform, so the flash-buy is not confirmed; check the network, then press Enter to try again</source>
        <translation>Cannot reach the platform, so the flash-buy is not confirmed; check the network, then press Enter to try again</translation>
    </message>
</context>
<context>
    <name>RegionFees</name>
    <message>
        <source>Yuan, charged to every region without a postage of its own</source>
        <translation>Yuan, charged to every region without a postage of its own</translation>
    </message>
    <message>
        <source>Default postage (yuan)</source>
        <translation>Default postage (yuan)</translation>
    </message>
    <message>
        <source>Regions with a postage of their own:</source>
        <translation>Regions with a postage of their own:</translation>
    </message>
    <message>
        <source>Add region</source>
        <translation>Add region</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Postage (yuan)</source>
        <translation>Postage (yuan)</translation>
    </message>
    <message>
        <source>yuan</source>
        <translation>yuan</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
</context>
<context>
    <name>SettingsWindow</name>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Platform</translation>
    </message>
    <message>
        <source>Empty: the demo platform inside the console</source>
        <translation>Empty: the demo platform inside the console</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Follow the system</translation>
    </message>
    <message>
        <source>General</source>
        <translation>General</translation>
    </message>
    <message>
        <source>Capture</source>
        <translation>Capture</translation>
    </message>
    <message>
        <source>The console grabs this many frames and keeps the sharpest one</source>
        <translation>The console grabs this many frames and keeps the sharpest one</translation>
    </message>
    <message>
        <source>From the start of one frame&apos;s grab to the next one&apos;s</source>
        <translation>From the start of one frame&apos;s grab to the next one&apos;s</translation>
    </message>
    <message>
        <source>Read the piece number and price from the card</source>
        <translation>Read the piece number and price from the card</translation>
    </message>
    <message>
        <source>After each picture the console reads the order card and fills in the piece number and price it is sure of; check them before you publish</source>
        <translation>After each picture the console reads the order card and fills in the piece number and price it is sure of; check them before you publish</translation>
    </message>
    <message>
        <source>Frames per capture</source>
        <translation>Frames per capture</translation>
    </message>
    <message>
        <source>Time between frames</source>
        <translation>Time between frames</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Sales</translation>
    </message>
    <message>
        <source> min</source>
        <comment>a spin box&apos;s unit</comment>
        <translation> min</translation>
    </message>
    <message>
        <source>How long a buyer has to pay once a piece is theirs; unpaid, the piece goes to the next buyer. Each new flash-buy can change it.</source>
        <translation>How long a buyer has to pay once a piece is theirs; unpaid, the piece goes to the next buyer. Each new flash-buy can change it.</translation>
    </message>
    <message>
        <source>Hold back viewers who left orders unpaid from full flash-buys</source>
        <translation>Hold back viewers who left orders unpaid from full flash-buys</translation>
    </message>
    <message>
        <source> expired order(s)</source>
        <comment>a spin box&apos;s unit</comment>
        <translation> expired order(s)</translation>
    </message>
    <message>
        <source>Viewers with this many expired orders with you cannot buy full flash-buys; you can still offer them a targeted one.</source>
        <translation>Viewers with this many expired orders with you cannot buy full flash-buys; you can still offer them a targeted one.</translation>
    </message>
    <message>
        <source>Time to pay</source>
        <translation>Time to pay</translation>
    </message>
    <message>
        <source>Hold back after</source>
        <translation>Hold back after</translation>
    </message>
    <message>
        <source>Hotkeys</source>
        <translation>Hotkeys</translation>
    </message>
    <message>
        <source>Global hotkeys: also work while the streaming software has focus</source>
        <translation>Global hotkeys: also work while the streaming software has focus</translation>
    </message>
    <message>
        <source>New full flash-buy and Pause or resume comments then work in every program, without switching back to the console. The console takes these keys from the whole desktop: other programs no longer receive them.</source>
        <translation>New full flash-buy and Pause or resume comments then work in every program, without switching back to the console. The console takes these keys from the whole desktop: other programs no longer receive them.</translation>
    </message>
    <message>
        <source>Rehearsal audience</source>
        <translation>Rehearsal audience</translation>
    </message>
    <message>
        <source>Simulated viewers comment and buy in the demo</source>
        <translation>Simulated viewers comment and buy in the demo</translation>
    </message>
    <message>
        <source>Only with the demo platform inside the console.</source>
        <translation>Only with the demo platform inside the console.</translation>
    </message>
    <message>
        <source>Viewers</source>
        <translation>Viewers</translation>
    </message>
    <message>
        <source>Hotkeys, capture settings and the language apply as soon as you save. The platform address and the rehearsal audience apply the next time the console starts.</source>
        <translation>Hotkeys, capture settings and the language apply as soon as you save. The platform address and the rehearsal audience apply the next time the console starts.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>New full flash-buy</source>
        <translation>New full flash-buy</translation>
    </message>
    <message>
        <source>Retake the picture</source>
        <translation>Retake the picture</translation>
    </message>
    <message>
        <source>Pause or resume comments</source>
        <translation>Pause or resume comments</translation>
    </message>
    <message>
        <source>Already the hotkey of “{action}”</source>
        <translation>Already the hotkey of “{action}”</translation>
    </message>
    <message>
        <source>The settings could not be saved to {path}: {reason}</source>
        <translation>The settings could not be saved to {path}: {reason}</translation>
    </message>
</context>
<context>
    <name>Shipping</name>
    <message>
        <source>Enter the postage</source>
        <translation>Enter the postage</translation>
    </message>
    <message>
        <source>The postage cannot be negative</source>
        <translation>The postage cannot be negative</translation>
    </message>
    <message>
        <source>The postage can contain only digits and a decimal point</source>
        <translation>The postage can contain only digits and a decimal point</translation>
    </message>
    <message>
        <source>The postage has at most two decimals</source>
        <translation>The postage has at most two decimals</translation>
    </message>
    <message>
        <source>The postage is at most {max} yuan</source>
        <translation>The postage is at most {max} yuan</translation>
    </message>
    <message>
        <source>This shipping template no longer exists (it may have been deleted elsewhere)</source>
        <translation>This shipping template no longer exists (it may have been deleted elsewhere)</translation>
    </message>
    <message>
        <source>Free shipping</source>
        <translation>Free shipping</translation>
    </message>
    <message>
        <source>Flat fee</source>
        <translation>Flat fee</translation>
    </message>
    <message>
        <source>By region</source>
        <translation>By region</translation>
    </message>
    <message>
        <source>Default ¥{fee}</source>
        <translation>Default ¥{fee}</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between the fees of a summary</comment>
        <translation>, </translation>
    </message>
    <message>
        <source>Not shipped to: {regions}</source>
        <translation>Not shipped to: {regions}</translation>
    </message>
    <message>
        <source>Delete shipping template</source>
        <translation>Delete shipping template</translation>
    </message>
    <message>
        <source>Delete the shipping template “{name}”?</source>
        <translation>Delete the shipping template “{name}”?</translation>
    </message>
    <message>
        <source>Once deleted it cannot be chosen for new flash-buys; the postage of orders already placed does not change.</source>
        <translation>Once deleted it cannot be chosen for new flash-buys; the postage of orders already placed does not change.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ShippingTemplateEditor</name>
    <message>
        <source>Edit shipping template</source>
        <translation>Edit shipping template</translation>
    </message>
    <message>
        <source>New shipping template</source>
        <translation>New shipping template</translation>
    </message>
    <message>
        <source>e.g. Free shipping to Jiangsu, Zhejiang, Shanghai (at most {n} characters)</source>
        <translation>e.g. Free shipping to Jiangsu, Zhejiang, Shanghai (at most {n} characters)</translation>
    </message>
    <message>
        <source>Template name</source>
        <translation>Template name</translation>
    </message>
    <message>
        <source>Free shipping</source>
        <translation>Free shipping</translation>
    </message>
    <message>
        <source>Flat fee</source>
        <translation>Flat fee</translation>
    </message>
    <message>
        <source>By region</source>
        <translation>By region</translation>
    </message>
    <message>
        <source>Fee type</source>
        <translation>Fee type</translation>
    </message>
    <message>
        <source>Regions not shipped to (buyers in a ticked region cannot order)</source>
        <translation>Regions not shipped to (buyers in a ticked region cannot order)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Buyers pay no postage.</source>
        <translation>Buyers pay no postage.</translation>
    </message>
    <message>
        <source>Yuan, e.g. 12 or 8.50; 0 means no postage</source>
        <translation>Yuan, e.g. 12 or 8.50; 0 means no postage</translation>
    </message>
    <message>
        <source>Postage (yuan)</source>
        <translation>Postage (yuan)</translation>
    </message>
    <message>
        <source>Enter a template name</source>
        <translation>Enter a template name</translation>
    </message>
    <message>
        <source>The template name has at most {max} characters (now {n})</source>
        <translation>The template name has at most {max} characters (now {n})</translation>
    </message>
    <message>
        <source>The template name cannot contain control characters</source>
        <translation>The template name cannot contain control characters</translation>
    </message>
    <message>
        <source>template name</source>
        <translation>template name</translation>
    </message>
    <message>
        <source>{field}: {reason}</source>
        <translation>{field}: {reason}</translation>
    </message>
    <message>
        <source>Postage</source>
        <translation>Postage</translation>
    </message>
    <message>
        <source>Default postage</source>
        <translation>Default postage</translation>
    </message>
    <message>
        <source>Postage to {region}</source>
        <translation>Postage to {region}</translation>
    </message>
    <message>
        <source>{region} has a postage and is also not shipped to; choose one</source>
        <translation>{region} has a postage and is also not shipped to; choose one</translation>
    </message>
    <message>
        <source>The platform would refuse this template: {reason}</source>
        <translation>The platform would refuse this template: {reason}</translation>
    </message>
    <message>
        <source>…and {n} more (see the tooltip)</source>
        <translation>…and {n} more (see the tooltip)</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>Could not save: {reason}</source>
        <translation>Could not save: {reason}</translation>
    </message>
</context>
<context>
    <name>ShippingTemplateManager</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Fee type</source>
        <translation>Fee type</translation>
    </message>
    <message>
        <source>Postage</source>
        <translation>Postage</translation>
    </message>
    <message>
        <source>Not shipped to</source>
        <translation>Not shipped to</translation>
    </message>
    <message>
        <source>Shipping templates</source>
        <translation>Shipping templates</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>New…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Could not load the shipping templates: {reason}</source>
        <translation>Could not load the shipping templates: {reason}</translation>
    </message>
    <message>
        <source>Made the shipping template “{name}”</source>
        <translation>Made the shipping template “{name}”</translation>
    </message>
    <message>
        <source>Saved the shipping template “{name}”</source>
        <translation>Saved the shipping template “{name}”</translation>
    </message>
    <message>
        <source>Deleted the shipping template “{name}”</source>
        <translation>Deleted the shipping template “{name}”</translation>
    </message>
    <message>
        <source>Could not delete “{name}”: {reason}</source>
        <translation>Could not delete “{name}”: {reason}</translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation>Deleting…</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in to the flash-buy console</source>
        <translation>Sign in to the flash-buy console</translation>
    </message>
    <message>
        <source>Creator account</source>
        <translation>Creator account</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Platform</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Enter your account and password</source>
        <translation>Enter your account and password</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <source>Too many attempts; please try again in {seconds} s</source>
        <translation>Too many attempts; please try again in {seconds} s</translation>
    </message>
</context>
<context>
    <name>TargetChip</name>
    <message>
        <source>Remove {nickname}</source>
        <translation>Remove {nickname}</translation>
    </message>
</context>
<context>
    <name>TargetsBox</name>
    <message>
        <source>Choose a viewer in the live room</source>
        <translation>Choose a viewer in the live room</translation>
    </message>
    <message>
        <source>Search viewers by nickname</source>
        <translation>Search viewers by nickname</translation>
    </message>
    <message>
        <source>Add viewer</source>
        <translation>Add viewer</translation>
    </message>
    <message>
        <source>Comment: “{comment}”</source>
        <translation>Comment: “{comment}”</translation>
    </message>
</context>
<context>
    <name>TextRule</name>
    <message>
        <source>The {field} holds a control character (pasted?); type it again</source>
        <translation>The {field} holds a control character (pasted?); type it again</translation>
    </message>
    <message>
        <source>The {field} holds a hidden character that changes the text&apos;s direction; type it again</source>
        <translation>The {field} holds a hidden character that changes the text&apos;s direction; type it again</translation>
    </message>
    <message>
        <source>The {field} shows nothing: it holds only invisible characters</source>
        <translation>The {field} shows nothing: it holds only invisible characters</translation>
    </message>
</context>
<context>
    <name>ViewerCard</name>
    <message>
        <source>Viewer: {nickname}</source>
        <translation>Viewer: {nickname}</translation>
    </message>
    <message>
        <source>Blocked: gets no offer from you</source>
        <translation>Blocked: gets no offer from you</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>Left unpaid</source>
        <translation>Left unpaid</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Your note on this viewer (only you see it)</source>
        <translation>Your note on this viewer (only you see it)</translation>
    </message>
    <message>
        <source>Save note</source>
        <translation>Save note</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message numerus="yes">
        <source>%n piece(s) · ¥{amount}</source>
        <translation>
            <numerusform>%n piece · ¥{amount}</numerusform>
            <numerusform>%n pieces · ¥{amount}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) expired</source>
        <translation>
            <numerusform>%n order expired</numerusform>
            <numerusform>%n orders expired</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n order(s)</source>
        <translation>
            <numerusform>%n order</numerusform>
            <numerusform>%n orders</numerusform>
        </translation>
    </message>
    <message>
        <source>Unblock</source>
        <translation>Unblock</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>Block</translation>
    </message>
    <message>
        <source>note</source>
        <translation>note</translation>
    </message>
    <message>
        <source>Invalid input: {reason}</source>
        <translation>Invalid input: {reason}</translation>
    </message>
    <message>
        <source>Note saved</source>
        <translation>Note saved</translation>
    </message>
    <message>
        <source>Unblocked</source>
        <translation>Unblocked</translation>
    </message>
    <message>
        <source>Block viewer</source>
        <translation>Block viewer</translation>
    </message>
    <message>
        <source>Block {nickname}?</source>
        <translation>Block {nickname}?</translation>
    </message>
    <message>
        <source>They get no offer from you in this live or later ones, and cannot pay for a piece. Orders they already paid stay theirs. You can unblock them here.</source>
        <translation>They get no offer from you in this live or later ones, and cannot pay for a piece. Orders they already paid stay theirs. You can unblock them here.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>Blocked</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>ViewerDesk</name>
    <message>
        <source>No piece is waiting for a buyer</source>
        <translation>No piece is waiting for a buyer</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>Hand over</translation>
    </message>
    <message>
        <source>Give {piece} to {nickname}?</source>
        <translation>Give {piece} to {nickname}?</translation>
    </message>
    <message>
        <source>The piece is held for them with a new pay window; the viewers waiting in its queue stay in it.</source>
        <translation>The piece is held for them with a new pay window; the viewers waiting in its queue stay in it.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ViewerWords</name>
    <message>
        <source>Blocked</source>
        <translation>Blocked</translation>
    </message>
    <message>
        <source>Unpaid {count}</source>
        <translation>Unpaid {count}</translation>
    </message>
    <message>
        <source>Regular {count}</source>
        <translation>Regular {count}</translation>
    </message>
    <message>
        <source>Paid {count}</source>
        <translation>Paid {count}</translation>
    </message>
    <message>
        <source>No orders yet</source>
        <translation>No orders yet</translation>
    </message>
    <message>
        <source> · </source>
        <translation> · </translation>
    </message>
</context>
</TS>
