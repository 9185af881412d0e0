"""`python -m checker._worker FD`: a bounded worker process; `--zygote FD`: the process workers
are forked from (see checker.isolate)."""

import sys

from checker.isolate import worker_main, zygote_main

if __name__ == "__main__":
    if sys.argv[1] == "--zygote":
        zygote_main(int(sys.argv[2]))
    else:
        worker_main(int(sys.argv[1]))
