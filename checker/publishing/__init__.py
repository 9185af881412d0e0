"""Reporters: results in, text or bytes out (text, JSON, SARIF: `formats.FORMATS`; Word through
docxstyle; Excel through sheets). The caller decides where bytes go (`checker.core.atomic.write_atomic`);
only `notices.write_notices` fills a folder itself."""
