"""Helpers behind the Streamlit app (app.py): loading, HTML rendering, tables and chart data.

Everything here works on the contract JSON (`Result.to_dict()`), so it can be unit-tested
without a browser and never imports streamlit or pandas at module level.
"""
