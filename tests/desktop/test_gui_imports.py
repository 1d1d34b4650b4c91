"""The console's windows load without the image and OCR libraries.

numpy, OpenCV and onnxruntime are loaded on a worker the first time a picture is taken or a
card is read; importing them on the GUI thread at start would cost the seller the start-up
time they take (and the card reading's modules import numpy at their top). A fresh
interpreter imports the main window and the composition root and looks at what got loaded.
"""

import subprocess
import sys

HEAVY = ("numpy", "cv2", "onnxruntime", "rapidocr")

PROGRAM = f"""
import sys
import flashbuy_desktop.ui.main_window
import flashbuy_desktop.composition.app
import flashbuy_desktop.ui.new_flashbuy.dialog
loaded = [name for name in {HEAVY!r} if name in sys.modules]
print(",".join(loaded))
"""


def test_importing_the_windows_loads_no_image_or_ocr_library() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"loaded at import: {done.stdout.strip()}"
