"""Reading helpers shared by `checker.extract`: the layout table (`layouts`) and prose reports (`prose`).

`checker.extract.build_document(RawDocument, file_name) -> Document` stays the one entry point.
"""
