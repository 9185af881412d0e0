"""Reading errors: a code for scripts and a Chinese message for people.

A parser raises `ReadError`; `checker.api` turns it into a document result with
`status: "error"` so one bad file never stops a run.
"""

from __future__ import annotations

# code -> default Chinese message; parsers may pass a more specific one.
ERROR_CODES = {
    "empty_file": "文件为空（0 字节），无法读取。",
    "unsupported_format": "不支持的文件格式：jxcheck 可读取 .docx、.xlsx、.pdf 以及 .doc、.xls、.wps、.et 等旧版 Office 文件。",
    "corrupt_file": "文件已损坏或不完整，无法打开。请重新导出后再提交。",
    "encrypted": "文件已加密或设有打开密码，无法读取。请去除密码后重新提交。",
    "too_large": "文件解压后体积超过上限，已拒绝读取（可能是压缩炸弹或异常文件）。",
    "needs_ocr": "PDF 中没有可提取的文字（可能是扫描件或图片），需要先进行文字识别（OCR）或提交可编辑的原文件。",
    "garbled_text": "PDF 文字提取结果为乱码（字体未嵌入编码映射），无法可靠读取。请提交 Word/Excel 原文件。",
    "too_many_pages": "文件页数超过上限，仅处理上限以内的页。",
    "needs_libreoffice": "读取旧版 Office 文件（.doc/.xls/.wps/.et）需要安装 LibreOffice，本机未找到。请安装 LibreOffice 或另存为 .docx/.xlsx 后再提交。",
    "conversion_failed": "旧版 Office 文件转换失败，文件可能已损坏。请另存为 .docx/.xlsx 后再提交。",
    "no_content": "文件中没有找到可识别的表格或正文内容。",
    "not_found": "找不到文件。",
    "unsafe_path": "压缩包中的文件路径不安全（试图跳出压缩包目录），已跳过。",
    "not_a_file": "该路径不是普通文件（可能是管道、设备或套接字），已跳过。",
    "unreadable": "没有读取该文件的权限，或文件无法打开。",
    "symlink_outside": "该链接指向所检查文件夹之外或形成循环，未跟随。",
    "timeout": "检查该文件超过时间上限，已停止（文件可能过大或结构异常）。",
    "resource_limit": "检查该文件时超出内存或资源上限，已停止（文件可能是压缩炸弹或结构异常）。",
    "internal_error": "读取时发生内部错误。",
}


class ReadError(Exception):
    """A file could not be read; carries a stable code and a Chinese message."""

    def __init__(self, code: str, message: str | None = None):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown error code {code!r}")
        self.code = code
        self.message = message or ERROR_CODES[code]
        super().__init__(f"{code}: {self.message}")

    def __reduce__(self):  # survive pickling to and from a worker process
        return (ReadError, (self.code, self.message))

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class ConfigError(Exception):
    """Bad configuration or usage; the CLI exits with status 2."""
