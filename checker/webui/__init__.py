"""Helpers behind the Streamlit app (app.py): loading, HTML rendering (render, grid for the 原表
view, rulecard for a rule's reference), tables and chart data.

Everything here works on the contract JSON (`Result.to_dict()`), so it can be unit-tested
without a browser and never imports streamlit or pandas at module level.
"""
