#!/usr/bin/env python
"""Same as the ``shouwang`` console script, for those who expect manage.py."""

from shouwang.__main__ import main

if __name__ == "__main__":
    main()
