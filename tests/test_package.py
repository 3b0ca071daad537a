"""The installers' texts and layout (build/package.py), without PyInstaller.

CI builds the real .deb and runs its unpacked launcher (`python3 build/dev.py package`);
these check, in seconds, what that run cannot show one by one: the desktop entry opens
exactly the file types the MIME XML defines, shared-mime-info reads the XML, the version
is the one in fieldvisit/__init__.py everywhere, the launcher hands on every argument
unchanged, the maintainer scripts run without their tools and touch no data, and the
Windows installer associates the same files with the same command.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build"))  # build/ is scripts, not a package

import libraries  # noqa: E402
import package  # noqa: E402

from fieldvisit import __version__  # noqa: E402
from fieldvisit.vault.backup import MAGIC as BACKUP_MAGIC  # noqa: E402

MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def desktop() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys keep their case
    parser.read_string(package.desktop_entry())
    return parser["Desktop Entry"]


def mime_types() -> dict[str, ET.Element]:
    root = ET.fromstring(package.mime_info())
    return {element.get("type", ""): element for element in root.iter(f"{MIME_NS}mime-type")}


def test_the_desktop_entry_opens_bundles_and_enrollment_files_in_the_app():
    entry = desktop()
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "fieldvisit app %f"  # the interface agreed with the app
    assert entry["Name[zh_CN]"] == "驻村走访"
    assert entry["Name[en]"] == "FieldVisit"
    assert "驻村走访" in entry["Name"] and "FieldVisit" in entry["Name"]
    assert entry["Categories"] == "Office;"
    assert entry["Icon"] == "fieldvisit"
    assert entry["Terminal"] == "false"
    opened = entry["MimeType"].rstrip(";").split(";")
    assert opened == ["application/x-fieldvisit-bundle", "application/x-fieldvisit-enrollment"]
    assert set(opened) < set(mime_types())  # each one defined, the backup not opened


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-utils' desktop-file-validate is not installed")
def test_desktop_file_validate_finds_nothing(tmp_path):
    path = tmp_path / "fieldvisit.desktop"
    path.write_text(package.desktop_entry(), encoding="utf-8")
    done = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout + done.stderr, done.stdout


def test_the_mime_types_name_the_files_on_the_stick():
    types = mime_types()
    globs = {mime: [g.get("pattern") for g in element.iter(f"{MIME_NS}glob")]
             for mime, element in types.items()}
    assert globs == {"application/x-fieldvisit-bundle": ["*.fvb"],
                     "application/x-fieldvisit-enrollment": ["*.fve"],
                     "application/x-fieldvisit-backup": ["*.fvbak"]}
    for element in types.values():
        comments = {c.get("{http://www.w3.org/XML/1998/namespace}lang"): c.text
                    for c in element.iter(f"{MIME_NS}comment")}
        assert comments[None] and comments["zh_CN"]
    [match] = types["application/x-fieldvisit-backup"].iter(f"{MIME_NS}match")
    assert match.get("value", "").encode() + b"\n" == BACKUP_MAGIC  # the backup's own header


@pytest.mark.skipif(shutil.which("update-mime-database") is None,
                    reason="shared-mime-info's update-mime-database is not installed")
def test_shared_mime_info_reads_the_xml(tmp_path):
    mime = tmp_path / "mime"
    (mime / "packages").mkdir(parents=True)
    (mime / "packages" / "fieldvisit.xml").write_text(package.mime_info(), encoding="utf-8")
    done = subprocess.run(["update-mime-database", str(mime)], capture_output=True,
                          text=True, env={**os.environ, "XDG_DATA_DIRS": str(tmp_path)})
    assert done.returncode == 0 and not done.stderr, done.stderr  # a bad XML warns here
    globs = (mime / "globs2").read_text(encoding="utf-8")
    for line in ("application/x-fieldvisit-bundle:*.fvb",
                 "application/x-fieldvisit-enrollment:*.fve",
                 "application/x-fieldvisit-backup:*.fvbak"):
        assert line in globs
    assert "FIELDVISIT-BACKUP 1" in (mime / "magic").read_text(errors="replace")


def test_the_version_has_one_place():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "fieldvisit.__version__"}
    shown = subprocess.run([sys.executable, "-m", "fieldvisit", "--version"],
                           capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == f"fieldvisit {__version__}"
    assert package.deb_name(__version__, "arm64") == f"fieldvisit_{__version__}_arm64.deb"
    iss = package.ISS.read_text(encoding="utf-8-sig")
    assert __version__ not in iss.replace(f"/DAppVersion={__version__}", "")  # only from ISCC
    assert f"/DAppVersion={__version__}" in package.windows_instructions(Path("dist"))


def test_the_control_file():
    text = package.control("0.1.0", "arm64", 290_000, ["libc6 (>= 2.36)", "libxcb1"])
    lines = text.splitlines()
    fields = dict(line.split(": ", 1) for line in lines if not line.startswith(" "))
    assert fields["Package"] == "fieldvisit"
    assert fields["Version"] == "0.1.0"
    assert fields["Architecture"] == "arm64"
    assert fields["Installed-Size"] == "290000"
    assert fields["Depends"] == "libc6 (>= 2.36), libxcb1"
    assert "<" in fields["Maintainer"] and fields["Section"] and fields["Priority"]
    description = lines[lines.index(f"Description: {fields['Description']}") + 1:]
    assert description and all(line.startswith(" ") for line in description)
    assert " ." in description and any("驻村走访" in line for line in description)
    assert text.endswith("\n")


def test_the_launcher_passes_every_argument_unchanged(tmp_path):
    """The launcher installed at <root>/usr/bin finds <root>/opt/fieldvisit, also when it
    is reached through a symlink, and passes spaces, Chinese and empty arguments on."""
    root = tmp_path / "root"
    package.write(root / "usr" / "bin" / "fieldvisit", package.launcher(), executable=True)
    package.write(root / "opt" / "fieldvisit" / "fieldvisit",
                  "#!/bin/sh\nprintf '%s\\n' \"$0\" \"$#\" \"$@\"\n", executable=True)
    link = tmp_path / "elsewhere" / "fv"
    link.parent.mkdir()
    link.symlink_to(root / "usr" / "bin" / "fieldvisit")
    arguments = ["app", "U盘/同步包 1.fvb", "", "--data-dir", "a  b", "$HOME", "*"]
    for launcher in (root / "usr" / "bin" / "fieldvisit", link):
        shown = subprocess.run([str(launcher), *arguments], capture_output=True, text=True,
                               check=True).stdout.split("\n")
        target, count, *received = shown[:-1]
        assert Path(target).resolve() == (root / "opt" / "fieldvisit" / "fieldvisit")
        assert int(count) == len(arguments)
        assert received == arguments


def test_the_maintainer_scripts_only_refresh_caches(tmp_path):
    script = package.maintainer_script()
    assert not re.search(r"/home|\$HOME|~|\brm\b|\.local|FieldVisit", script)
    path = tmp_path / "postinst"
    package.write(path, script, executable=True)
    # none of the tools on PATH (a minimal system): the script still succeeds
    done = subprocess.run(["/bin/sh", str(path), "configure"], capture_output=True,
                          text=True, env={"PATH": str(tmp_path)})
    assert done.returncode == 0, done.stderr


def test_the_windows_installer_associates_the_same_files(tmp_path):
    iss = package.ISS.read_text(encoding="utf-8-sig")
    assert r"DefaultDirName={autopf}\FieldVisit" in iss
    assert "ChineseSimplified.isl" in iss and "Default.isl" in iss
    for suffix in (".fvb", ".fve"):
        assert f'Subkey: "Software\\Classes\\{suffix}"' in iss
    assert iss.count('ValueData: """{app}\\fieldvisit.exe"" app ""%1"""') == 2
    assert "desktopicon" in iss and "{autoprograms}" in iss
    assert "[UninstallDelete]" not in iss  # the data folder is never the installer's


def test_the_package_root_holds_the_app_entry_mime_and_icons(tmp_path):
    """lay_out on a stand-in app folder: the icons are rendered from the SVG at their
    sizes (read back from the PNG headers) and every mode is a package's."""
    app = tmp_path / "app"
    package.write(app / "fieldvisit", "#!/bin/sh\n", executable=True)
    package.write(app / "_internal" / "data.txt", "x")
    (app / "_internal" / "data.txt").chmod(0o666)
    root = tmp_path / "root"
    package.lay_out(app, root)
    for path in package.REQUIRED:
        assert (root / path.lstrip("/")).is_file(), path
    for size in (16, 24, 32, 48, 64, 128, 256):
        png = root / f"usr/share/icons/hicolor/{size}x{size}/apps/fieldvisit.png"
        header = png.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", header[16:24]) == (size, size)
    assert (root / "opt/fieldvisit/_internal/data.txt").stat().st_mode & 0o777 == 0o644
    assert os.access(root / "opt/fieldvisit/fieldvisit", os.X_OK)
    assert os.access(root / "usr/bin/fieldvisit", os.X_OK)
    every = [p.relative_to(root).as_posix() for p in root.rglob("*") if not p.is_dir()]
    assert all(f"/{p}".startswith(package.ALLOWED) for p in every)
    assert package.installed_kib(root) >= len(every)


def test_the_elf_reader_agrees_with_readelf():
    import _ctypes  # an extension module: a shared object that surely names libraries

    path = Path(_ctypes.__file__)
    if shutil.which("readelf") is None:
        pytest.skip("binutils' readelf is not installed")
    shown = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True,
                           check=True).stdout
    assert libraries.needed(path) == re.findall(r"\(NEEDED\).*\[(.+)\]", shown)
    assert libraries.needed(ROOT / "pyproject.toml") == []
