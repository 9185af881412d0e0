"""Reading: bytes → Document.

`parsers.read_bytes` turns a file's bytes into a RawDocument (paragraphs and table grids with
positions; scanned pages through `ocr/`); `extract.build_document(RawDocument, file_name)` finds
the blocks of the form by their labels (the named layouts are in checker.core.layouts; prose
reports in `prose`) and is the one entry point to a Document. `values` parses 指标值, amounts
and rates; `docbuild` builds a Document from a plain dict (rule examples, tests); `snippet`
makes a snippet request safe before any rule sees it."""
