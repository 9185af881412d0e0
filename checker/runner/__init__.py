"""Running many inputs: paths → files (`inputs`, `bounded`), one bounded worker process per
document (`isolate`: the pool and the one input loop `run_inputs`; `child`: the worker's side;
`zygote`, `handles`, `worker`, `process`), the batch-scope rules and re-scoring over all of them
(`crossdoc`), and a whole archive (`batch`, with `batchlog`, `progress`, `finalpass`; `dask_pool`
on a cluster)."""
