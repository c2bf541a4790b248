"""The CJK fonts the PDFs embed (Debian's fonts-noto-cjk, installed by scripts/install).

Noto CJK has PostScript (CFF) outlines, which ReportLab cannot embed; fpdf2 embeds a subset of
them (FontFile3), so the PDFs print the same on any printer.
"""

from __future__ import annotations

from pathlib import Path

from arena.errors import UserError

FONT_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/opentype/noto-cjk",
    "/usr/share/fonts/noto-cjk",
)
SC_FACE = 2  # the Simplified Chinese face of each Noto CJK collection (…CJKsc)


class FontMissing(UserError):
    """No CJK font to embed: the server says so (503) instead of failing without a word."""

    def __init__(self, name: str) -> None:
        super().__init__(
            503,
            "font_missing",
            f"找不到中文字体 {name}，无法生成 PDF：请在这台电脑上安装 fonts-noto-cjk"
            "（sudo apt-get install fonts-noto-cjk，或重新运行 scripts/install）",
        )


def cjk_font(name: str) -> str:
    """The path of a Noto CJK collection file, e.g. NotoSansCJK-Regular.ttc."""
    for folder in FONT_DIRS:
        path = Path(folder) / name
        if path.is_file():
            return str(path)
    raise FontMissing(name)
