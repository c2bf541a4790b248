"""A laptop without the CJK fonts gets a clear refusal naming the package, never a 500."""

from __future__ import annotations

import pytest

from arena.documents import fonts


def test_a_missing_font_is_a_503_that_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "FONT_DIRS", ("/nonexistent",))
    with pytest.raises(fonts.FontMissing) as caught:
        fonts.cjk_font("NotoSansCJK-Regular.ttc")
    assert (caught.value.status, caught.value.code) == (503, "font_missing")
    assert "fonts-noto-cjk" in caught.value.message


def test_the_installed_fonts_are_found() -> None:
    # scripts/install puts Debian's fonts-noto-cjk in place: both families the PDFs embed.
    assert fonts.cjk_font("NotoSansCJK-Regular.ttc").endswith("NotoSansCJK-Regular.ttc")
    assert fonts.cjk_font("NotoSerifCJK-Bold.ttc").endswith("NotoSerifCJK-Bold.ttc")
