"""`make bench [BENCH_ARGS="--n 1000"]`: how fast `jxcheck batch` is against a bare parse.

Generates an archive of N self-evaluation tables (项目支出绩效自评表, 8–15 indicators;
mostly .docx and .xlsx, a few .pdf) into a temp folder, then measures in one run:
  (a) the bare parse of those files by the same libraries the readers use
      (python-docx Document + every table cell; openpyxl load_workbook + every value;
      pdfplumber tables), single process and with the batch's number of workers;
  (b) the whole `jxcheck batch` over each format, and over N/4, N/2 and N mixed
      documents and a second archive of --big documents (10,000), with the peak RSS of the
      batch process plus its workers and of the batch process alone (sampled from /proc),
      to show memory stays flat as N grows;
  (c) the local pool beside `--scheduler` on a Dask cluster started here (--dask-n mixed
      documents; bytes sent, and read by path with --shared-storage).
Prints documents/s per format, the whole/bare ratio and the memory figures.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JXCHECK = [sys.executable, "-m", "checker"]

# ---- a realistic self-evaluation table ------------------------------------------------

UNITS = [
    "金凤区教育局", "金凤区财政局", "金凤区卫生健康局", "金凤区民政局", "金凤区住房和城乡建设和交通局",
    "金凤区农业农村和水务局", "金凤区综合执法局", "金凤区文化旅游体育广电局", "金凤区市场监督管理局",
    "金凤区人力资源和社会保障局", "金凤区自然资源局", "金凤区医疗保障局", "金凤区应急管理局",
    "金凤区黄河东路办事处", "金凤区北京中路办事处", "金凤区上海西路办事处", "金凤区丰登镇人民政府",
    "金凤区退役军人事务局", "金凤区科学技术局", "金凤区红十字会",
]  # fmt: skip
WORKS = [
    ("老旧小区改造", "个", "小区", "改造"), ("中小学校舍维修", "所", "学校", "维修"), ("农村道路硬化", "公里", "道路", "硬化"),
    ("社区卫生服务站设备购置", "台", "设备", "购置"), ("困难群众临时救助", "人次", "困难群众", "救助"),
    ("城市绿化养护", "万平方米", "绿地", "养护"), ("公共文化场馆免费开放", "场次", "文化活动", "举办"),
    ("食品安全抽检", "批次", "食品样品", "抽检"), ("职业技能培训", "人次", "劳动者", "培训"),
    ("高标准农田建设", "亩", "农田", "建设"), ("应急物资储备", "批", "应急物资", "储备"),
    ("智慧社区平台运维", "个", "社区平台", "运维"), ("退役军人服务站建设", "个", "服务站", "建设"),
    ("科技创新项目补助", "项", "科技项目", "补助"), ("养老服务补贴发放", "人", "老年人", "补贴"),
]  # fmt: skip


def make_spec(rng: random.Random, i: int) -> dict:
    """One document's content: header, budget, goal, 8–15 indicators, scores."""
    work, unit_word, obj, verb = rng.choice(WORKS)
    unit = rng.choice(UNITS)
    year = rng.choice([2022, 2023])
    qty = rng.randint(5, 300)
    annual = round(rng.uniform(20, 900), 2)
    executed = round(annual * rng.uniform(0.75, 1.0), 2)
    rate = round(100 * executed / annual, 2)
    budget_score = round(min(rate, 100) / 10, 2)
    n = rng.randint(8, 15)
    rows = []
    templates = [
        ("产出指标", "数量指标", f"{obj}{verb}数量", f"≥{qty}{unit_word}", f"{qty + rng.randint(0, 5)}{unit_word}"),
        ("产出指标", "质量指标", f"{obj}{verb}验收合格率", "≥95%", f"{rng.randint(95, 100)}%"),
        ("产出指标", "时效指标", f"{verb}任务完成时间", f"{year}年12月31日前", f"{year}年{rng.randint(9, 12)}月完成"),
        ("产出指标", "成本指标", f"{obj}{verb}单位成本", f"≤{rng.randint(1, 20)}万元/{unit_word}", f"{rng.randint(1, 20)}万元/{unit_word}"),
        ("效益指标", "社会效益指标", f"受益{obj}覆盖率", "≥90%", f"{rng.randint(88, 100)}%"),
        ("效益指标", "经济效益指标", f"带动相关{obj}投入", f"≥{rng.randint(10, 200)}万元", f"{rng.randint(10, 250)}万元"),
        ("效益指标", "生态效益指标", "建设过程环保投诉次数", "≤2次", f"{rng.randint(0, 2)}次"),
        ("效益指标", "可持续影响指标", f"{obj}设施使用年限", "≥10年", "10年"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", f"{rng.randint(86, 99)}%"),
    ]
    for k in range(n):
        l1, l2, name, target, actual = templates[k % len(templates)]
        if k >= len(templates):
            name = f"{name}（第{k // len(templates) + 1}批）"
        rows.append([l1, l2, name, target, actual])
    rows.sort(key=lambda r: ["产出指标", "效益指标", "满意度指标"].index(r[0]))
    weights = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    per = {k: sum(1 for r in rows if r[0] == k) for k in weights}
    total = budget_score
    for r in rows:
        w = round(weights[r[0]] / per[r[0]], 2)
        s = round(w * rng.choice([1, 1, 1, 0.9, 0.8]), 2)
        total += s
        r += [w, s, "" if s == w else "受施工进度影响略有偏差，下年度加强进度管理"]
    return {
        "project": f"{year}年{unit[3:]}{work}项目（{i:05d}）",
        "unit": unit,
        "department": unit,
        "year": year,
        "budget": [annual, annual, executed, 10, f"{rate}%", budget_score],
        "goal": f"{year}年完成{qty}{unit_word}{obj}{verb}任务，{verb}质量验收合格率不低于95%，受益{obj}覆盖率达到90%以上，服务对象满意度不低于90%。",
        "actual": f"全年实际完成{qty}{unit_word}{obj}{verb}，验收合格率{rng.randint(95, 100)}%，受益覆盖率{rng.randint(90, 100)}%，"
        f"满意度调查显示服务对象满意度{rng.randint(88, 99)}%，资金执行率{rate}%。",
        "indicators": rows,
        "total": round(total, 2),
    }


def grid(spec: dict) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The 8-column 10号 grid and its merges (row, col, last_row, last_col; 0-based)."""
    g, merges = [], []

    def add(cells, spans=()):
        g.append([str(c) for c in cells] + [""] * (8 - len(cells)))
        merges.extend((len(g) - 1, a, len(g) - 1, b) for a, b in spans)

    add(["项目名称", spec["project"]], [(1, 7)])
    add(["主管部门", spec["department"], "", "", "实施单位", spec["unit"]], [(1, 3), (5, 7)])
    add(["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], [(0, 1)])
    add(["年度资金总额", "", *spec["budget"]], [(0, 1)])
    add(["其中：当年财政拨款", "", *spec["budget"][:3], "—", "", "—"], [(0, 1)])
    add(["上年结转资金", "", "0", "0", "0", "—", "", "—"], [(0, 1)])
    add(["其他资金", "", "0", "0", "0", "—", "", "—"], [(0, 1)])
    start = len(g)
    add(["年度总体目标", "预期目标", "", "", "实际完成情况"], [(1, 3), (4, 7)])
    add(["年度总体目标", spec["goal"], "", "", spec["actual"]], [(1, 3), (4, 7)])
    merges.append((start, 0, start + 1, 0))
    add(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"])
    for r in spec["indicators"]:
        add(r)
    add(["总分", "", "", "", "", "100", spec["total"], ""], [(0, 4)])
    return g, merges


def write_docx(spec: dict, path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("项目支出绩效自评表")
    d.add_paragraph(f"（{spec['year']}年度）")
    g, merges = grid(spec)
    t = d.add_table(rows=len(g), cols=8)
    t.style = "Table Grid"
    for r, row in enumerate(g):
        cells = t.rows[r].cells
        for c, v in enumerate(row):
            if v:
                cells[c].text = v
    for r0, c0, r1, c1 in merges:
        a, b = t.cell(r0, c0), t.cell(r1, c1)
        keep = a.text
        m = a.merge(b)
        m.text = keep  # merging joins the texts; keep the label once
    d.save(str(path))


def write_xlsx(spec: dict, path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目支出绩效自评表"
    ws.append(["项目支出绩效自评表"])
    ws.append([f"（{spec['year']}年度）"])
    ws.merge_cells("A1:H1")
    ws.merge_cells("A2:H2")
    g, merges = grid(spec)
    for row in g:
        ws.append([_num(v) for v in row])
    for r0, c0, r1, c1 in merges:
        for r in range(r0, r1 + 1):  # a merge keeps only its top-left value
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    ws.cell(r + 3, c + 1).value = None
        ws.merge_cells(start_row=r0 + 3, start_column=c0 + 1, end_row=r1 + 3, end_column=c1 + 1)
    wb.save(str(path))


def _num(v: str):
    try:
        return float(v) if v and v[0].isdigit() and "%" not in v else v
    except ValueError:
        return v


def write_pdf(spec: dict, path: Path) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cn", fontName="STSong-Light", fontSize=7, leading=9)
    g, merges = grid(spec)
    data = [[Paragraph(c, style) if len(c) > 12 else c for c in row] for row in g]
    t = Table(data, colWidths=[70, 70, 110, 80, 80, 40, 40, 120])
    cmds = [("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("FONTSIZE", (0, 0), (-1, -1), 7), ("GRID", (0, 0), (-1, -1), 0.5, "black")]
    cmds += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in merges]
    t.setStyle(TableStyle(cmds))
    title = ParagraphStyle("t", fontName="STSong-Light", fontSize=14, leading=18, alignment=1)
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4))
    doc.build([Paragraph("项目支出绩效自评表", title), Paragraph(f"（{spec['year']}年度）", title), t])


WRITERS = {"docx": write_docx, "xlsx": write_xlsx, "pdf": write_pdf}


def generate_cached(cache: Path | None, folder: Path, n: int, seed: int, jobs: int) -> tuple[Path, dict[str, list[Path]]]:
    """`generate` into `folder`, or into `cache` once and reused by later runs (the same files:
    same N and seed give the same contents). Returns the folder used and its files."""
    if cache is None:
        return folder, generate(folder, n, seed, jobs=jobs)
    where = cache / f"archive-{n}-{seed}"
    if not (where / ".complete").exists():
        shutil.rmtree(where, ignore_errors=True)
        generate(where, n, seed, jobs=jobs)
        (where / ".complete").write_text("ok", encoding="utf-8")
    files = {fmt: sorted((where / fmt).glob(f"*.{fmt}")) if (where / fmt).is_dir() else [] for fmt in ("docx", "xlsx", "pdf")}
    return where, files


def _write(task: tuple[str, dict, Path]) -> None:
    fmt, spec, path = task
    WRITERS[fmt](spec, path)


def generate(folder: Path, n: int, seed: int = 7, pdf_share: float = 0.04, jobs: int = 1) -> dict[str, list[Path]]:
    """N documents: a few pdf, the rest docx and xlsx half and half; folder/<format>/. The contents
    are drawn in order from `seed` (the same files whatever `jobs`); `jobs` processes write them."""
    rng = random.Random(seed)
    n_pdf = max(1, round(n * pdf_share)) if n >= 10 else 0
    formats = ["pdf"] * n_pdf + ["docx", "xlsx"] * ((n - n_pdf) // 2) + ["docx"] * ((n - n_pdf) % 2)
    out: dict[str, list[Path]] = {"docx": [], "xlsx": [], "pdf": []}
    tasks = []
    for i, fmt in enumerate(formats):
        sub = folder / fmt
        sub.mkdir(parents=True, exist_ok=True)
        p = sub / f"自评表_{i:05d}.{fmt}"
        tasks.append((fmt, make_spec(rng, i), p))
        out[fmt].append(p)
    if jobs > 1 and len(tasks) > 50:
        with get_context("fork").Pool(jobs) as pool:
            for _ in pool.imap_unordered(_write, tasks, chunksize=20):
                pass
    else:
        for t in tasks:
            _write(t)
    return out


# ---- bare parse -----------------------------------------------------------------------


def bare_parse(path: str) -> int:
    """Open a file with the reader's library and touch every cell; returns cells seen."""
    data = Path(path).read_bytes()
    n = 0
    if path.endswith(".docx"):
        import docx

        d = docx.Document(io.BytesIO(data))
        for t in d.tables:
            for row in t.rows:
                for cell in row.cells:
                    n += len(cell.text) >= 0
    elif path.endswith(".xlsx"):
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)  # the general library, in its usual mode
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                n += len(row)
    elif path.endswith(".pdf"):
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                for t in page.extract_tables():
                    n += sum(len(r) for r in t)
    return n


def _bare_init() -> None:
    import docx  # noqa: F401
    import openpyxl  # noqa: F401
    import pdfplumber  # noqa: F401


def _cpu() -> float:
    """CPU seconds of this process and of its children that have been waited for."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def time_bare(paths: list[Path], jobs: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) to parse every file."""
    files = [str(p) for p in paths]
    if not files:
        return 0.0, 0.0
    t0, c0 = time.perf_counter(), _cpu()
    if jobs == 1:
        for f in files:
            bare_parse(f)
    else:
        pool = get_context("fork").Pool(jobs, initializer=_bare_init)
        list(pool.imap_unordered(bare_parse, files, chunksize=4))
        pool.close()
        pool.join()  # reaped, so their CPU time shows in RUSAGE_CHILDREN
    return time.perf_counter() - t0, _cpu() - c0


# ---- whole batch with memory sampling ------------------------------------------------


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                stack.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                pass
    return out


def time_batch(inputs: list[Path], out: Path, jobs: int, config: Path | None = None, extra: tuple[str, ...] = (),
               watch: list[int] | None = None) -> tuple[float, int, float, int]:  # fmt: skip
    """(wall seconds, peak RSS of batch + workers in MB, CPU seconds, peak RSS of the batch
    process alone in MB). `extra`: more options (then no --jobs); `watch`: other processes whose
    trees count too (a Dask cluster's scheduler and workers)."""
    if out.exists():
        shutil.rmtree(out)
    cmd = [*JXCHECK, "batch", *map(str, inputs), "--out", str(out), "--quiet", *(extra or ("--jobs", str(jobs)))]
    if config:
        cmd += ["--config", str(config)]
    t0, c0 = time.perf_counter(), _cpu()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = parent = 0
    stop = threading.Event()

    def sample():
        nonlocal peak, parent
        while not stop.is_set():
            pids = {p for root in (proc.pid, *(watch or ())) for p in _descendants(root)}
            peak = max(peak, sum(_rss_kb(p) for p in pids))
            parent = max(parent, _rss_kb(proc.pid))
            time.sleep(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - t0
    stop.set()
    th.join()
    if proc.returncode not in (0, 1, 3):
        print(err.decode("utf-8", "replace")[-2000:], file=sys.stderr)
    return elapsed, peak // 1024, _cpu() - c0, parent // 1024


def _link_subset(paths: list[Path], folder: Path) -> Path:
    folder.mkdir(parents=True)
    for p in paths:
        # hard links: the batch does not follow a symbolic link out of the folder it walks
        dest = folder / f"{p.parent.name}_{p.name}"
        try:
            os.link(p, dest)
        except OSError:
            shutil.copyfile(p, dest)
    return folder


def _errors(out: Path) -> int:
    """Unreadable documents in a batch output (documents.jsonl: the English-keyed file for scripts)."""
    import json

    with open(out / "documents.jsonl", encoding="utf-8") as fh:
        return sum(1 for line in fh if line.strip() and json.loads(line).get("status") != "ok")


def _tree_cpu(roots: list[int]) -> float:
    """CPU seconds used so far by the processes under `roots` (and their reaped children)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in {p for r in roots for p in _descendants(r)}:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        except (OSError, IndexError, ValueError):
            pass
    return total / tick


def dask_beside_local(paths: list[Path], tmp: Path, jobs: int) -> None:
    """The same mixed documents through the local pool and through `--scheduler` on a Dask cluster
    on this machine (a scheduler and one worker process per core, one thread each, started here as
    an existing cluster would be: not timed), bytes sent and read by path (--shared-storage).
    Memory counts the batch and every cluster process (scheduler, nanny, workers, checkers)."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("Dask 对比：未安装 jxcheck[cluster]（dask[distributed]），跳过")
        return
    k = len(paths)
    folder = _link_subset(paths, tmp / f"dask-{k}")
    sched_file = tmp / "dask-scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": ROOT}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    sched = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--scheduler-file", str(sched_file), "--port", "0",
                              "--no-dashboard", "--host", "127.0.0.1"], env=env, **quiet)  # fmt: skip
    workers = None
    try:
        deadline = time.monotonic() + 60
        while not sched_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file", str(sched_file), "--nworkers", str(jobs),
                                    "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"], env=env, **quiet)  # fmt: skip
        from distributed import Client

        with Client(scheduler_file=str(sched_file), timeout="60s") as c:
            c.wait_for_workers(jobs, timeout=120)
            address = c.scheduler.address
        rows = [("本机进程池（默认）", time_batch([folder], tmp / "out-dask-local", jobs))]
        # the first batch on a fresh cluster starts each worker's checker process (as the local pool
        # does every batch); later batches find them started
        for label, extra in (("Dask 集群，新启动（传送文件内容）", ("--scheduler", address)),
                             ("Dask 集群，再次运行（传送文件内容）", ("--scheduler", address)),
                             ("Dask 集群，再次运行（--shared-storage）", ("--scheduler", address, "--shared-storage"))):  # fmt: skip
            c0 = _tree_cpu([sched.pid, workers.pid])
            wall, peak, cpu, parent = time_batch([folder], tmp / f"out-dask-{len(rows)}", jobs, extra=extra, watch=[sched.pid, workers.pid])
            rows.append((label, (wall, peak, cpu + _tree_cpu([sched.pid, workers.pid]) - c0, parent)))
        same = all((tmp / f"out-dask-{i}" / "documents.jsonl").read_bytes() == (tmp / "out-dask-local" / "documents.jsonl").read_bytes()
                   for i in (1, 2, 3))  # fmt: skip
        print(f"本机进程池与 Dask 集群（本机 1 个调度器 + {jobs} 个工作进程，各 1 线程）对比，混合格式 {k} 个文档"
              f"（documents.jsonl {'逐字节相同' if same else '不同！'}；Dask 的内存含调度器、nanny 和工作进程）：")
        for label, (wall, peak, cpu, parent) in rows:
            print(f"  {label}：{k / wall:6.1f} 个/秒，CPU {1000 * cpu / k:.0f} 毫秒/文档，"
                  f"峰值内存（批量进程+所有工作进程）{peak} MB，其中批量进程 {parent} MB")
    finally:
        for p in (workers, sched):
            if p is not None:
                p.terminate()
                try:
                    p.wait(30)
                except subprocess.TimeoutExpired:
                    p.kill()


COLD_BARE = "import docx, sys; d = docx.Document(sys.argv[1]); [p.text for p in d.paragraphs]; [c.text for t in d.tables for r in t.rows for c in r.cells]"


def _run_child(cmd: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds of one fresh process (and what it started)."""
    import resource
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=ROOT)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, max(after.ru_maxrss, before.ru_maxrss) // 1024, cpu


def cold(docx_path: Path, runs: int) -> None:
    """A unit checking one table: `jxcheck check ONE.docx` in a fresh process against a fresh
    python reading the same file with python-docx (medians of `runs`)."""
    import statistics
    import subprocess

    # As installed: pip compiles the package's bytecode at install; a checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would compile checker's modules again at every start.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "checker")], stdout=subprocess.DEVNULL, check=False)
    bare = [_run_child([sys.executable, "-c", COLD_BARE, str(docx_path)]) for _ in range(runs)]
    whole = [_run_child([sys.executable, "-m", "checker", "check", str(docx_path), "--format", "json"]) for _ in range(runs)]
    b, w = statistics.median(x[0] for x in bare), statistics.median(x[0] for x in whole)
    bc, wc = statistics.median(x[2] for x in bare), statistics.median(x[2] for x in whole)
    print(f"冷启动（新进程检查 1 份 docx，{runs} 次中位数）：python-docx 裸读 {b:.2f} 秒；jxcheck check {w:.2f} 秒；"
          f"比值 {w / b:.1f}×；CPU 秒 {bc:.2f} / {wc:.2f}（比值 {wc / bc:.1f}×）；"
          f"jxcheck 峰值内存约 {max(x[1] for x in whole)} MB（RUSAGE_CHILDREN，跨进程取最大）")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="jxcheck batch 性能测试")
    ap.add_argument("--n", type=int, default=1000, help="文档数（默认 1000）")
    ap.add_argument("--jobs", type=int, default=None, help="并行进程数（默认等于 CPU 核数）")
    ap.add_argument("--keep", action="store_true", help="保留生成的临时文件夹")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--skip-memory", action="store_true", help="不测内存随文档数的变化")
    ap.add_argument("--big", type=int, default=10000, help="内存测试的大档案文档数（默认 10000；0 表示不测）")
    ap.add_argument("--cold-runs", type=int, default=5, help="冷启动测试重复次数（取中位数）")
    ap.add_argument("--cache", type=Path, default=None, help="生成的档案保存在此文件夹，下次运行直接取用（同样的文档数和随机种子）")
    ap.add_argument("--skip-speed", action="store_true", help="只测 Dask 对比和内存（不测各格式速度和冷启动）")
    ap.add_argument("--dask-n", type=int, default=200, help="本机进程池与 Dask 集群对比的文档数（默认 200；0 表示不测）")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from checker.runner.batch import default_jobs

    jobs = args.jobs or default_jobs()
    tmp = Path(tempfile.mkdtemp(prefix="jxbench-"))
    no_models = tmp / "no-models.toml"
    no_models.write_text("[models]\nenabled = false\n", encoding="utf-8")
    try:
        t0 = time.perf_counter()
        archive, files = generate_cached(args.cache, tmp / "archive", args.n, args.seed, jobs)
        print(f"生成（或从 --cache 取用）{args.n} 个文档（docx {len(files['docx'])}，xlsx {len(files['xlsx'])}，pdf {len(files['pdf'])}）用时 {time.perf_counter() - t0:.1f} 秒")
        print(f"并行进程数 {jobs}；CPU 核数 {os.cpu_count()}；开始时系统负载 {os.getloadavg()[0]:.1f}（负载高时墙钟时间不可靠，请同时看 CPU 秒）")
        print()
        head = ["格式", "文档数", "裸解析单进程", "裸解析并行", "完整检查", "完整/裸(并行)", "CPU毫秒/文档 裸/完整", "峰值内存MB", "不含模型", "不含模型/裸"]
        if not args.skip_speed:
            print(" | ".join(head))
        for fmt in ("docx", "xlsx", "pdf") if not args.skip_speed else ():
            paths = files[fmt]
            if not paths:
                continue
            n = len(paths)
            b1, c1 = time_bare(paths, 1)
            bn, _ = time_bare(paths, jobs)
            whole, peak, cw, _ = time_batch([archive / fmt], tmp / f"out-{fmt}", jobs)
            errs = _errors(tmp / f"out-{fmt}")
            lite, _, _, _ = time_batch([archive / fmt], tmp / f"out-lite-{fmt}", jobs, no_models)
            print(
                f"{fmt} | {n} | {n / b1:.1f}/s | {n / bn:.1f}/s | {n / whole:.1f}/s | {whole / bn:.2f}× | "
                f"{1000 * c1 / n:.0f} / {1000 * cw / n:.0f} | {peak} | {n / lite:.1f}/s | {lite / bn:.2f}×"
                + (f"  （{errs} 个读取失败）" if errs else "")
            )
        print()
        if not args.skip_speed:
            cold(files["docx"][0], args.cold_runs)
        if args.dask_n:
            print()
            every = sorted((p for ps in files.values() for p in ps), key=lambda p: p.name)
            dask_beside_local(every[: args.dask_n], tmp, jobs)
        if args.skip_memory:
            return 0
        print()
        print("内存随文档数变化（混合格式，完整检查）：")
        every = sorted((p for ps in files.values() for p in ps), key=lambda p: p.name)
        for label, k in (("N/4", args.n // 4), ("N/2", args.n // 2), ("N", args.n)):
            subset = every[:k]
            folder = _link_subset(subset, tmp / f"subset-{k}")
            whole, peak, cpu, parent = time_batch([folder], tmp / f"out-subset-{k}", jobs)
            print(f"  {label:<4} {k:>6} 个文档：{k / whole:6.1f} 个/秒，CPU {1000 * cpu / k:.0f} 毫秒/文档，"
                  f"峰值内存（主进程+工作进程）{peak} MB，其中主进程 {parent} MB")
        if args.big and args.big > args.n:
            t1 = time.perf_counter()
            folder, big = generate_cached(args.cache, tmp / "big", args.big, args.seed + 1, jobs)
            print(f"  （生成或取用 {args.big} 个文档用时 {time.perf_counter() - t1:.0f} 秒）")
            whole, peak, cpu, parent = time_batch([folder], tmp / "out-big", jobs)
            k = sum(len(v) for v in big.values())
            print(f"  大档案 {k:>6} 个文档：{k / whole:6.1f} 个/秒，CPU {1000 * cpu / k:.0f} 毫秒/文档，"
                  f"峰值内存（主进程+工作进程）{peak} MB，其中主进程 {parent} MB")
    finally:
        if args.keep:
            print(f"临时文件夹保留在 {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
