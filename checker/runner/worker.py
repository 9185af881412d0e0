"""`python -m checker.runner.worker FD`: a bounded worker process; `--zygote FD`: the process workers
are forked from (see checker.runner.isolate, child and zygote)."""

import sys

from checker.runner.child import worker_main
from checker.runner.zygote import zygote_main

if __name__ == "__main__":
    if sys.argv[1] == "--zygote":
        zygote_main(int(sys.argv[2]))
    else:
        worker_main(int(sys.argv[1]))
