"""Tests of flashbuy_desktop.ui.flashbuys: the flash-buy table, its filter and panel."""
