"""Text hidden by a box further out than its nearest clipping box, checked in the browser.

fit.py compares each text with its nearest clipping ancestor only (say a table cell); a row that
slides below the card holding the table is clipped by the card and would pass. This walks every
clipping ancestor of every visible text and names the text that any of them cuts.
"""

from __future__ import annotations

from playwright.async_api import Page

from tests.browser.fit import fit_problems

CHECK = """
() => {
  const problems = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const host = node.parentElement;
    if (!text || !host || host.closest("[hidden], script, style, title")) continue;
    const style = getComputedStyle(host);
    if (style.visibility === "hidden" || style.display === "none") continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const size = parseFloat(style.fontSize);
    for (const rect of [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0)) {
      const mid = (rect.top + rect.bottom) / 2;
      const top = mid - size / 2, bottom = mid + size / 2;
      for (let up = host.parentElement; up && up !== document.body; up = up.parentElement) {
        const s = getComputedStyle(up);
        if (s.overflowX === "visible" && s.overflowY === "visible") continue;
        const c = up.getBoundingClientRect();
        if (rect.left < c.left - 1 || rect.right > c.right + 1 || top < c.top - 1 ||
            bottom > c.bottom + 1) {
          const where = up.id ? "#" + up.id : "." + [...up.classList].join(".");
          problems.push(`hidden by ${where}: ${text.slice(0, 20)}`);
          break;
        }
      }
    }
  }
  return problems;
}
"""


async def screen_problems(page: Page) -> list[str]:
    """fit.py's rules, and no text cut by any box around it."""
    clipped: list[str] = await page.evaluate(CHECK)
    return await fit_problems(page) + clipped
