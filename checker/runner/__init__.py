"""Running many inputs: paths → files (`inputs`), one bounded worker process per document
(`isolate`, `worker`, `process`), the batch-scope rules and re-scoring over all of them
(`crossdoc`), and a whole archive (`batch`)."""
