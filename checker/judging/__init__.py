"""Judging: Document → findings.

`engine` runs each rule (`spec`, rules/*.yaml) on the views of its scope (`views`) with a check
from `checks/`, and the classifiers beside them (`classifiers/`); `stamp` is the one place a hit
becomes a Finding. Batch-scope rules look across documents (`copydetect` AC90, `yoy` IN60/IN61;
run over many documents by checker.runner.crossdoc). `selfscore` recomputes the unit's
self-score by the official method (the AC/NU checks compare against it); `rewrite`, `library`
and `examples` build the suggested rewrites; `recheck` judges what a unit corrected."""
