"""Tests of flashbuy_desktop.diagnostics."""
