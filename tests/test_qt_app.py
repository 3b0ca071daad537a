"""The app as a whole: smoke mode, the bundled font, the English translation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

from PySide6.QtCore import Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QRawFont

from fieldvisit import paths
from fieldvisit.qt import app, fonts, i18n
from fieldvisit.qt.main_window import MainWindow

RARE = "㛃䶮"


def test_smoke_mode_shows_the_roster_and_exits_zero(qapp, demo_store, capsys):
    assert app.run(demo_store, lang="zh_CN", smoke=True) == 0
    assert "smoke ok: 60 households shown" in capsys.readouterr().out


def test_bundled_font_is_registered_and_covers_rare_name_characters(qapp):
    family = fonts.register_bundled_font()
    assert family and family in QFontDatabase.families()
    font = QFont(family)
    metrics = QFontMetrics(font)
    raw = QRawFont(str(paths.resource(*fonts.FONT_FILE)), 16)
    for char in RARE:
        assert metrics.inFontUcs4(ord(char)), char
        assert raw.supportsCharacter(char), char


def test_application_font_is_the_bundled_one(qapp):
    font = fonts.apply_application_font(qapp)
    assert qapp.font().family() == font.family() == fonts.register_bundled_font()


def test_english_translation_loads(qtbot, qapp, demo_store):
    assert paths.resource("translations", "fieldvisit_en.qm").exists()
    translators = i18n.install(qapp, "en")
    try:
        window = MainWindow(demo_store)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.roster_loaded, timeout=10_000):
            window.show()
        menus = [action.text() for action in window.menuBar().actions()]
        assert menus == ["&File", "&Print", "&Sync", "&View", "&Help"]
        assert window.search_box.placeholderText().startswith("Search")
        assert window.roster.headerData(0, Qt.Orientation.Horizontal) == "Household no."
    finally:
        i18n.remove(qapp, translators)


def test_chinese_is_the_default_language(qapp, demo_store):
    assert i18n.choose("zh_CN") == "zh_CN"
    assert i18n.choose("en") == "en"
    assert i18n.choose("fr") in i18n.LANGUAGES


def test_every_interface_string_has_an_english_translation_in_the_shipped_qm(qapp, tmp_path):
    """lupdate collects today's tr() strings from the Qt code; the shipped .qm must
    translate every one (run `python3 build/dev.py translations`, then fill the .ts)."""
    found = tmp_path / "found.ts"
    sources = sorted(str(p) for p in (Path(__file__).parent.parent / "fieldvisit" / "qt")
                     .glob("*.py"))
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    subprocess.run([str(lupdate), *sources, "-ts", str(found)], check=True,
                   capture_output=True)
    translator = QTranslator()
    assert translator.load(str(paths.resource("translations", "fieldvisit_en.qm")))
    missing = []
    for context in ElementTree.parse(found).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            text = message.findtext("source")
            numerus = message.get("numerus") == "yes"
            if not translator.translate(name, text, None, 1 if numerus else -1):
                missing.append(f"{name}: {text}")
    assert missing == []
