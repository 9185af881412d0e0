"""Judging: Document → findings.

`engine` runs each rule (`spec`, rules/*.yaml) on the views of its scope (`views`) with a check
from `checks/`, and the classifiers beside them (`classifiers/`); batch-scope rules (`copydetect`,
`yoy`, run by `crossdoc`) look across documents. `selfscore` recomputes the unit's self-score by
the official method (the AC/NU checks compare against it); `rewrite`, `library` and `examples`
build the suggested rewrites; `dismiss` applies a reviewer's baseline."""
