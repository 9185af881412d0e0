"""Reading helpers shared by `checker.reading.extract`: the layout table (`layouts`) and prose reports (`prose`).

`checker.reading.extract.build_document(RawDocument, file_name) -> Document` stays the one entry point.
"""
