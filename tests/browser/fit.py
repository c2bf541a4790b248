"""What a hall screen must satisfy on every screen size, checked in the browser.

Every piece of visible text is inside the viewport and inside every box that clips it, on one
line, at least 2% of the screen's shorter side tall, and overlaps no other text. Text boxes are
compared as em squares (the font's glyph box), not the taller content area CJK fonts report.
"""

from __future__ import annotations

from playwright.async_api import Page

# 4:3 and 720p projectors, 1080p, a 4K panel, a portrait LED board.
VIEWPORTS = [(1024, 768), (1280, 720), (1920, 1080), (3840, 2160), (1080, 1920)]

CHECK = """
() => {
  const W = innerWidth, H = innerHeight, least = 0.02 * Math.min(W, H), problems = [];
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const host = node.parentElement;
    if (!text || !host || host.closest("[hidden], script, style, title")) continue;
    const style = getComputedStyle(host);
    if (style.visibility === "hidden" || style.display === "none") continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    if (!rects.length) continue;
    const label = text.slice(0, 20);
    const size = parseFloat(style.fontSize);
    if (size < least - 0.01)
      problems.push(`too small ${size.toFixed(1)}px < ${least.toFixed(1)}: ${label}`);
    const lines = new Set(rects.map(r => Math.round(r.top)));
    if (lines.size > 1) problems.push(`wrapped onto ${lines.size} lines: ${label}`);
    for (const content of rects) {
      // Em boxes (the font's glyph square), not the taller content area CJK fonts report.
      const mid = (content.top + content.bottom) / 2;
      const r = {
        left: content.left, right: content.right, top: mid - size / 2, bottom: mid + size / 2,
      };
      if (r.left < -1 || r.top < -1 || r.right > W + 1 || r.bottom > H + 1)
        problems.push(`outside the screen: ${label} at ${Math.round(r.left)},${Math.round(r.top)}`);
      // Every clipping box around the text, not only the nearest: a row that slides below the
      // card holding its table is cut by the card.
      for (let up = host; up && up !== document.body; up = up.parentElement) {
        const s = getComputedStyle(up);
        if (s.overflowX === "visible" && s.overflowY === "visible") continue;
        const c = up.getBoundingClientRect();
        const out = r.left < c.left - 1 || r.right > c.right + 1;
        if (out || r.top < c.top - 1 || r.bottom > c.bottom + 1) {
          const where = up.id ? "#" + up.id : "." + [...up.classList].join(".");
          problems.push(`cut by ${where}: ${label}`);
          break;
        }
      }
      boxes.push({ r, label, host });
    }
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].r, b = boxes[j].r;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 1 && h > 1 && boxes[i].host !== boxes[j].host)
        problems.push(`overlap: ${boxes[i].label} / ${boxes[j].label}`);
    }
  }
  return problems;
}
"""


async def fit_problems(page: Page) -> list[str]:
    """Every way the page's text breaks the rules above, in words (empty when it fits)."""
    problems: list[str] = await page.evaluate(CHECK)
    return problems
