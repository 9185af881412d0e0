"""`python -m checker` is the same as the `jxcheck` console script."""

from checker.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
