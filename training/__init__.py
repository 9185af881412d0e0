"""Training the classifiers (not part of the runtime package): grouped CV and the keep/threshold
decision (`fit`), paraphrase families (`augment`), labelled data sets (`data`), model-card tables
(`card`). Used by scripts/train.py, scripts/eval_models.py and the tests."""
