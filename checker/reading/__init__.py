"""Reading: bytes → Document.

`parsers.read_bytes` turns a file's bytes into a RawDocument (paragraphs and table grids with
positions; scanned pages through `ocr/`); `extract.build_document(RawDocument, file_name)` is the
one entry point to a Document: it lays each table out as a `grid`, finds the blocks of the form
(`blocks`) by their labels and header synonyms (`labels`; the named layouts are in
checker.core.layouts) and reads prose reports (`prose`). `values` parses 指标值, amounts
and rates; `docbuild` builds a Document from a plain dict (rule examples, tests); `snippet`
makes a snippet request safe before any rule sees it."""
