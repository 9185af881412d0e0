"""Running many inputs: paths → files (`inputs`), one bounded worker process per document
(`isolate`, `worker`), a whole archive (`batch`) and the rectification check (`recheck`)."""
