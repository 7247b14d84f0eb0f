"""The Qt binding keeps Python's reference counts right: a desk that calls Qt all day must not crash.

PySide6 6.12.0 dropped a reference to ``None`` on every call of a method that returns nothing (on Python
3.11, where ``None`` is counted like any object); after some tens of thousands of calls a desk died with
"Fatal Python error: none_dealloc". The window calls such methods constantly (setText, setEnabled…).
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtWidgets import QLabel, QPushButton


def test_calls_that_return_nothing_keep_none_and_the_booleans_counted(qtbot):
    button, label = QPushButton("Save"), QLabel()
    qtbot.addWidget(button)
    qtbot.addWidget(label)
    calls = (lambda: button.setEnabled(True), lambda: button.setVisible(False), lambda: label.setText("x"),
             lambda: button.setToolTip("y"), button.update)
    gc.collect()
    before = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(2_000):
        for call in calls:
            call()
    gc.collect()
    after = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    # 10,000 calls: a binding that loses one reference a call shows thousands gone; noise is a handful
    lost = [b - a for b, a in zip(before, after)]
    assert all(n < 100 for n in lost), f"references lost to None, True and False in 10,000 calls: {lost}"
