"""Entry script for `nhm serve` and `nhm demo` (the same as the root app.py, packaged)."""

from nhm.ui.app import main

main()
