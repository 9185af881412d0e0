"""Workers forked from the zygote (Linux) and started fresh (elsewhere, or JXCHECK_WORKERS=exec)
check documents alike, each under its own memory ceiling, and a replacement is forked at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import pytest

from conftest import ROOT, SAMPLES

PROBE = r"""
import json, os, sys
from checker.core.config import load_config
from checker.runner.inputs import Source
from checker.runner.isolate import Job, Supervisor

cfg = load_config()
cfg.data["limits"]["memory_mb"] = 1500
data = open(sys.argv[1], "rb").read()
with Supervisor(cfg, 1, warm_up=False) as sup:
    sup.start()
    w = sup.idle[0]
    pid = w.proc.pid
    out = [rs[0] for _j, rs in sup.run([Job(0, "a.docx", Source("bytes", data=data))])]
    with open(f"/proc/{pid}/limits") as fh:  # set by the worker itself before its first document
        cap = next(line for line in fh if line.startswith("Max address space")).split()[3]
    ppid = int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])
    sup.idle[0].kill()  # gone: the next document gets a new worker
    again = [rs[0] for _j, rs in sup.run([Job(1, "b.docx", Source("bytes", data=data))])]
    zout = os.readlink(f"/proc/{sup.zygote.pid}/fd/1") if sup.zygote is not None else None
    print(json.dumps({"zygote_stdout": zout, "me": os.getpid(), "worker_parent": ppid, "cap": int(cap), "zygote": sup.zygote is not None,
                      "status": [r.status for r in out + again], "findings": [len(r.findings) for r in out + again],
                      "second_pid": sup.idle[0].proc.pid != pid}))
"""


def _probe(env_extra: dict[str, str]) -> dict:
    sample = next(SAMPLES.glob("s17_*.docx"))
    env = {**os.environ, **env_extra}
    out = subprocess.run([sys.executable, "-c", PROBE, str(sample)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_forked_worker_has_its_ceiling_and_is_replaced():
    got = _probe({})
    assert got["zygote"] and got["worker_parent"] != got["me"]  # forked by the zygote
    assert got["cap"] == 1500 * 1024 * 1024
    assert got["status"] == ["ok", "ok"] and got["findings"][0] == got["findings"][1] > 0
    assert got["second_pid"]
    assert got["zygote_stdout"] == "/dev/null"  # a caller reading the command's output does not wait on it


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_fresh_workers_give_the_same_result():
    forked, fresh = _probe({}), _probe({"JXCHECK_WORKERS": "exec"})
    assert not fresh["zygote"] and fresh["worker_parent"] == fresh["me"]
    assert fresh["cap"] == 1500 * 1024 * 1024
    assert fresh["status"] == forked["status"] and fresh["findings"] == forked["findings"]


def test_the_input_loop_gives_a_known_bad_input_its_error_without_a_worker(tmp_path):
    """check, batch and the app share one input loop: an input that is already an error (an unsafe
    archive member, a file gone) gets its coded result at once, in the pool's mode, and no worker
    is started for it; a good input beside it is checked as usual."""
    from checker.core.config import load_config
    from checker.core.errors import ReadError
    from checker.runner.inputs import InputFile
    from checker.runner.isolate import Supervisor, run_inputs

    bad = [InputFile("档案.zip!../逃逸.docx", error=ReadError("unsafe_path")), InputFile("已删除.docx", error=ReadError("not_found"))]
    with Supervisor(load_config(), 2, warm_up=False) as sup:
        out = list(run_inputs(sup, bad))
        assert sup.zygote is None and not sup.idle  # nothing was started
    assert [(job.key, rs[0].status, rs[0].error.code) for job, rs in out] == [(0, "error", "unsafe_path"), (1, "error", "not_found")]
    good = next(SAMPLES.glob("s01_*.docx"))
    with Supervisor(load_config(), 1, mode="line", warm_up=False) as sup:
        out = {job.key: rs for job, rs in run_inputs(sup, [bad[0], InputFile(str(good), data=good.read_bytes())])}
    assert json.loads(out[0][0])["error"]["code"] == "unsafe_path"
    assert json.loads(out[1][0])["status"] == "ok"


PRESTART = r"""
import json, os, sys
from checker.core.config import load_config
from checker.runner.inputs import Source
from checker.runner.isolate import Job, Supervisor

data = open(sys.argv[1], "rb").read()
with Supervisor(load_config(), 1, warm_up=False) as sup:
    sup.prestart()  # the batch does this, then loads its final pass while the zygote warms up
    early = sup.zygote.pid if sup.zygote is not None else None
    out = [rs[0] for _j, rs in sup.run([Job(0, "a.docx", Source("bytes", data=data))])]
    ppid = int(open(f"/proc/{sup.idle[0].proc.pid}/stat").read().rsplit(")", 1)[1].split()[1])
    print(json.dumps({"early": early, "same": sup.zygote is not None and sup.zygote.pid == early, "worker_parent": ppid,
                      "status": [r.status for r in out]}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_prestart_starts_the_zygote_the_workers_then_come_from():
    sample = next(SAMPLES.glob("s17_*.docx"))
    out = subprocess.run([sys.executable, "-c", PRESTART, str(sample)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["early"] is not None and got["same"]  # started by prestart, not by the first document
    assert got["worker_parent"] == got["early"] and got["status"] == ["ok"]
