"""The results notice as an A4 PDF laid out per GB/T 9704-2012, with its CJK fonts embedded.

Measures from the standard (党政机关公文格式): A4; top margin (天头) 37 mm, left (订口) 28 mm;
text block 156 × 225 mm, 22 lines of 28 characters in 三号 (16 pt). The organ's mark (发文机关
标志) in red, its top 35 mm below the text block's; the document number two lines below it,
centred; a red rule as wide as the text block 4 mm below that; the title in 二号 (22 pt) two lines
below the rule; the addressees one line below, flush left; paragraphs indented two characters;
the annex line, then the organ and the date (the date two characters right of the organ's first
character, both ending two characters from the right); page numbers "— 1 —" in 四号 (14 pt),
odd pages on the right, even on the left, one character in. The annex starts a new page: 附件
in 黑体 top left, its title centred on the third line.

The standard's 小标宋, 仿宋 and 黑体 are proprietary; Debian's Noto Serif CJK (bold for the
title and the mark, regular for the text) and Noto Sans CJK (for 黑体) stand in, embedded as
subsets (fpdf2 writes FontFile3: Noto CJK has CFF outlines, which ReportLab cannot embed).
"""

from __future__ import annotations

from collections.abc import Callable

from fpdf import FPDF
from fpdf.enums import WrapMode

from arena.documents.fonts import SC_FACE, cjk_font
from arena.documents.notice import COLUMNS, NoticeDocument

PAGE_W, PAGE_H = 210.0, 297.0
TOP, LEFT, BLOCK_W, BLOCK_H = 37.0, 28.0, 156.0, 225.0
LINE = BLOCK_H / 22  # 22 lines a page
BODY_PT = 16.0  # 三号
CHAR = BLOCK_W / 28  # 28 characters a line
TITLE_PT = 22.0  # 二号
PAGE_NO_PT = 14.0  # 四号
RED = (230, 0, 18)
TABLE_PT = 10.5  # 五号
TABLE_WIDTHS = (10.0, 27.0, 20.0, 19.0, 19.0, 16.0, 13.0, 15.0, 17.0)  # = 156 mm


class _Notice(FPDF):
    def footer(self) -> None:
        # — 1 —: odd pages one character from the right, even pages from the left
        self.set_font("song", size=PAGE_NO_PT)
        self.set_text_color(0, 0, 0)
        text = f"— {self.page_no()} —"
        width = self.get_string_width(text)
        x = LEFT + BLOCK_W - CHAR - width if self.page_no() % 2 else LEFT + CHAR
        self.set_xy(x, TOP + BLOCK_H + 7)
        self.cell(width, 6, text)


def notice_pdf(doc: NoticeDocument) -> bytes:
    """The notice as an A4 PDF (the annex, the ranking table, on its own page)."""
    pdf = _Notice(format="A4", unit="mm")
    pdf.set_margins(LEFT, TOP, PAGE_W - LEFT - BLOCK_W)
    pdf.set_auto_page_break(True, margin=PAGE_H - TOP - BLOCK_H)
    pdf.set_title(doc.title)
    pdf.set_author(doc.signature)
    pdf.set_creator("Arena")
    pdf.set_lang("zh-CN")
    pdf.add_font("song", fname=cjk_font("NotoSerifCJK-Regular.ttc"), collection_font_number=SC_FACE)
    pdf.add_font("xbs", fname=cjk_font("NotoSerifCJK-Bold.ttc"), collection_font_number=SC_FACE)
    pdf.add_font("hei", fname=cjk_font("NotoSansCJK-Regular.ttc"), collection_font_number=SC_FACE)
    pdf.add_page()
    _heading(pdf, doc)
    _body(pdf, doc)
    _signature(pdf, doc)
    _annex(pdf, doc)
    return bytes(pdf.output())


def _heading(pdf: FPDF, doc: NoticeDocument) -> None:
    pdf.set_text_color(*RED)
    size_mm = min(15.0, BLOCK_W / max(len(doc.mark), 1))
    pdf.set_font("xbs", size=size_mm / 0.3528)
    top = TOP + 35 - LINE * 2  # 35 mm from the text block's top, on the page's first lines
    pdf.set_xy(LEFT, max(top, 20.0))
    pdf.cell(BLOCK_W, size_mm * 1.2, doc.mark, align="C")
    y = pdf.get_y() + size_mm * 1.2 + LINE * 2  # two blank lines
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("song", size=BODY_PT)
    pdf.set_xy(LEFT, y)
    pdf.cell(BLOCK_W, LINE, doc.heading.number, align="C")
    rule = y + LINE / 2 + 3 + 4  # 4 mm below the number's baseline area
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.6)
    pdf.line(LEFT, rule, LEFT + BLOCK_W, rule)
    pdf.set_xy(LEFT, rule + LINE * 1.5)  # two blank lines below the rule
    pdf.set_font("xbs", size=TITLE_PT)
    _centred(pdf, doc.title, LINE * 1.05)
    pdf.ln(LINE)  # one blank line
    pdf.set_font("song", size=BODY_PT)
    _set(pdf, doc.addressees)  # flush left, continuation lines too


# Characters that never start a line (避头); one is kept at the end of the line before instead,
# hanging a little into the margin, as Chinese typesetting does.
NO_LINE_START = set("，。、；：？！）》」』”’〕】…%,.;:?!)")


def break_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Lines of at most `width` (by `measure`), breaking between any two characters."""
    lines: list[str] = []
    line = ""
    for char in text:
        if line and measure(line + char) > width and char not in NO_LINE_START:
            lines.append(line)
            line = ""
        line += char
    if line:
        lines.append(line)
    return lines


def _set(pdf: FPDF, text: str) -> None:
    """Text set full width (justified, the last line ragged), page breaks at the block's end."""
    lines = break_lines(text, BLOCK_W, pdf.get_string_width)
    for i, line in enumerate(lines):
        if pdf.get_y() + LINE > TOP + BLOCK_H:
            pdf.add_page()
        spare = BLOCK_W - pdf.get_string_width(line)
        last = i == len(lines) - 1
        spacing = 0.0 if last or spare <= 0 or len(line) < 2 else spare / (len(line) - 1)
        pdf.set_char_spacing(spacing / 0.3528)  # in points
        pdf.set_x(LEFT)
        pdf.cell(BLOCK_W, LINE, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_char_spacing(0)


def _centred(pdf: FPDF, text: str, height: float) -> None:
    """A centred title, broken into lines where it must be."""
    for line in break_lines(text, BLOCK_W, pdf.get_string_width):
        pdf.set_x(LEFT)
        pdf.cell(BLOCK_W, height, line, align="C", new_x="LMARGIN", new_y="NEXT")


def _paragraph(pdf: FPDF, text: str, font: str = "song") -> None:
    """A paragraph: two characters' indent, continuation lines flush left."""
    pdf.set_font(font, size=BODY_PT)
    _set(pdf, "\u3000\u3000" + text)


def _body(pdf: FPDF, doc: NoticeDocument) -> None:
    for title, paragraphs in doc.sections:
        if title:
            _paragraph(pdf, title, font="hei")  # 一、 in 黑体
        for text in paragraphs:
            _paragraph(pdf, text)
    pdf.ln(LINE)
    _paragraph(pdf, doc.annex_line)


def _signature(pdf: FPDF, doc: NoticeDocument) -> None:
    pdf.ln(LINE)  # one blank line below the annex line
    pdf.set_font("song", size=BODY_PT)
    organ_w = pdf.get_string_width(doc.signature)
    date_w = pdf.get_string_width(doc.date_text)
    right = LEFT + BLOCK_W - 2 * CHAR  # both end two characters from the right
    organ_x = right - organ_w
    date_x = organ_x + 2 * CHAR  # the date starts two characters right of the organ
    if date_x + date_w > right:  # a short organ: the date sets the line, the organ centred on it
        date_x = right - date_w
        organ_x = date_x + (date_w - organ_w) / 2
    if pdf.get_y() + 2 * LINE > TOP + BLOCK_H:
        pdf.add_page()
    y = pdf.get_y()
    pdf.set_xy(organ_x, y)
    pdf.cell(organ_w, LINE, doc.signature)
    pdf.set_xy(date_x, y + LINE)
    pdf.cell(date_w, LINE, doc.date_text)


def _annex(pdf: FPDF, doc: NoticeDocument) -> None:
    pdf.add_page()
    pdf.set_font("hei", size=BODY_PT)
    pdf.set_xy(LEFT, TOP)
    pdf.cell(BLOCK_W, LINE, "附件")
    pdf.set_xy(LEFT, TOP + 2 * LINE)  # the title on the third line
    pdf.set_font("xbs", size=TITLE_PT)
    _centred(pdf, doc.annex_title, LINE)
    pdf.ln(LINE / 2)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.3)
    with pdf.table(
        col_widths=TABLE_WIDTHS,
        width=BLOCK_W,
        align="L",
        text_align="CENTER",
        line_height=7,
        headings_style=_heading_style(),
        repeat_headings=1,
        wrapmode=WrapMode.CHAR,
    ) as table:
        pdf.set_font("song", size=TABLE_PT)
        row = table.row()
        for title in COLUMNS:
            row.cell(title)
        for line in doc.lines:
            style = _bottom_style() if line.bottom20 else None
            row = table.row(style=style)
            for value in line.cells:
                row.cell(value)
    pdf.ln(3)
    pdf.set_font("song", size=TABLE_PT)
    for note in doc.annex_notes:
        for part in break_lines(note, BLOCK_W, pdf.get_string_width):
            pdf.cell(BLOCK_W, 6, part, new_x="LMARGIN", new_y="NEXT")


def _heading_style():  # type: ignore[no-untyped-def]
    from fpdf.fonts import FontFace

    return FontFace(family="hei", emphasis="", fill_color=(235, 235, 235))


def _bottom_style():  # type: ignore[no-untyped-def]
    from fpdf.fonts import FontFace

    return FontFace(fill_color=(215, 215, 215))
