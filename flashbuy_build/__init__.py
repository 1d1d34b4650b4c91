"""The PyInstaller build of the console: what goes in, what stays out, and why.

``build_spec.py`` (the command) makes a :class:`~flashbuy_build.plan.Plan`, runs PyInstaller
on ``flashbuy.spec`` with it, and stages the result. The rules of what the trimmed build
leaves out are in :mod:`flashbuy_build.trims`, applied to PyInstaller's table of contents by
:mod:`flashbuy_build.toc`; :mod:`flashbuy_build.elf` reads what a Linux binary links.
Not part of the installed distribution: it builds it.
"""
