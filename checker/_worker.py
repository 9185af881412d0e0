"""`python -m checker._worker FD`: a bounded worker process (see checker.isolate)."""

import sys

from checker.isolate import worker_main

if __name__ == "__main__":
    worker_main(int(sys.argv[1]))
