"""`python -m checker.runner.worker FD`: a bounded worker process; `--zygote FD`: the process workers
are forked from (see checker.runner.isolate)."""

import sys

from checker.runner.isolate import worker_main, zygote_main

if __name__ == "__main__":
    if sys.argv[1] == "--zygote":
        zygote_main(int(sys.argv[2]))
    else:
        worker_main(int(sys.argv[1]))
