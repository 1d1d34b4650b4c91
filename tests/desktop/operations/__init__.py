"""Tests of the Qt-free operations (flashbuy_desktop/operations/), against the real platform."""
