#!/usr/bin/env python
"""Django's manage.py, kept for habit; `tip` is the same with help for newcomers."""

from tip.cli import main

if __name__ == "__main__":
    main()
