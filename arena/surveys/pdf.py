"""The printed survey cards: an A4 PDF, 8 cards a page, with an embedded CJK font subset.

The font is Noto Sans CJK, embedded as a subset (arena/documents/fonts.py). The QR code is drawn
as vector squares (segno), sharp at any printer resolution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import segno
from fpdf import FPDF

from arena.documents.fonts import SC_FACE, cjk_font
from arena.surveys.secrets import pretty

COLUMNS, ROWS = 2, 4  # 8 cards a page
PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 10.0


@dataclass(frozen=True)
class PrintedCard:
    """What one card shows."""

    number: int
    url: str  # the /q/<secret> link the QR code carries
    code: str  # the typed code (9 characters)


def cards_pdf(round_name: str, village: str, entry_url: str, cards: Sequence[PrintedCard]) -> bytes:
    """The cards of one village as an A4 PDF (8 a page, cut along the dashed lines)."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(f"{village} 满意度测评卡")
    pdf.set_creator("Arena")
    pdf.add_font("cjk", fname=cjk_font("NotoSansCJK-Regular.ttc"), collection_font_number=SC_FACE)
    per_page = COLUMNS * ROWS
    w = (PAGE_W - 2 * MARGIN) / COLUMNS
    h = (PAGE_H - 2 * MARGIN) / ROWS
    for i, card in enumerate(cards):
        if i % per_page == 0:
            pdf.add_page()
            _cut_lines(pdf, w, h)
        slot = i % per_page
        x = MARGIN + (slot % COLUMNS) * w
        y = MARGIN + (slot // COLUMNS) * h
        _card(pdf, x, y, w, h, round_name, village, entry_url, card)
    return bytes(pdf.output())


def _cut_lines(pdf: FPDF, w: float, h: float) -> None:
    pdf.set_draw_color(170, 170, 170)
    pdf.set_line_width(0.2)
    with pdf.local_context(dash_pattern={"dash": 1.5, "gap": 1.5}):
        for c in range(COLUMNS + 1):
            pdf.line(MARGIN + c * w, MARGIN, MARGIN + c * w, PAGE_H - MARGIN)
        for r in range(ROWS + 1):
            pdf.line(MARGIN, MARGIN + r * h, PAGE_W - MARGIN, MARGIN + r * h)


def _card(
    pdf: FPDF,
    x: float,
    y: float,
    w: float,
    h: float,
    round_name: str,
    village: str,
    entry_url: str,
    card: PrintedCard,
) -> None:
    pad = 4.0
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("cjk", size=13)
    pdf.set_xy(x + pad, y + pad)
    pdf.cell(w - 2 * pad, 6, f"{village} · 群众满意度测评")
    pdf.set_font("cjk", size=8)
    pdf.set_xy(x + pad, y + pad + 6.5)
    pdf.cell(w - 2 * pad, 4, round_name[:40])
    pdf.set_xy(x + w - pad - 24, y + pad + 0.5)
    pdf.cell(24, 5, f"No.{card.number:04d}", align="R")
    size = h - 2 * pad - 17  # the QR square, left
    _qr(pdf, card.url, x + pad, y + pad + 12, size)
    pdf.link(x + pad, y + pad + 12, size, size, card.url)  # a PDF sent to a phone: tap the code
    tx = x + pad + size + 3
    tw = w - (tx - x) - pad
    pdf.set_font("cjk", size=8.5)
    pdf.set_xy(tx, y + pad + 13)
    pdf.multi_cell(tw, 4.2, "手机扫左边二维码，\n约 1 分钟答完。\n\n不能扫码？请打开")
    pdf.set_font("cjk", size=7.5 if len(entry_url) < 34 else 6)
    pdf.set_x(tx)
    pdf.multi_cell(tw, 4, entry_url)
    pdf.set_font("cjk", size=8.5)
    pdf.set_x(tx)
    pdf.cell(tw, 5, "输入卡号：")
    pdf.set_font("cjk", size=15)
    pdf.set_xy(tx, pdf.get_y() + 5)
    pdf.cell(tw, 8, pretty(card.code))
    pdf.set_font("cjk", size=7.5)
    pdf.set_text_color(90, 90, 90)
    pdf.set_xy(x + pad, y + h - pad - 3.5)
    pdf.cell(w - 2 * pad, 3.5, "每张卡只能答一次 · 匿名作答，不记录姓名和电话")


def _qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    qr = segno.make(url, error="m", micro=False)
    rows = [list(row) for row in qr.matrix_iter(scale=1, border=2)]
    cell = size / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):  # one rectangle per run of dark modules in a row
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            pdf.rect(x + start * cell, y + r * cell, (c - start) * cell, cell, style="F")
