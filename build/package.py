"""Installers from the PyInstaller one-folder app (issue 16 §1).

    python3 build/dev.py package              # freeze, build the .deb, check it
    python3 build/dev.py package --no-freeze  # package the build/dist/fieldvisit already there

On Linux this lays out a package root and builds ``build/dist/fieldvisit_<version>_<arch>.deb``
with dpkg-deb (no network): the app under /opt/fieldvisit, a /usr/bin/fieldvisit
launcher, a desktop entry, MIME types for the files a cadre carries on a USB stick
(``.fvb`` bundles, ``.fve`` enrollment files, ``.fvbak`` backups) and the icon at the
hicolor sizes. Then it checks what it built as CI must: the control fields
(``dpkg-deb -f``), the file list (``dpkg-deb -c``), and the launcher of a copy unpacked
with ``dpkg-deb -x`` into a temporary root, smoke-run offscreen as build/freeze.py runs
the frozen binary.

On Windows it freezes with the same spec (build/fieldvisit.spec), smoke-runs the frozen
exe and prints the Inno Setup command for build/windows/fieldvisit.iss.

The version is ``fieldvisit.__version__``, the one place pyproject.toml, ``fieldvisit
--version`` and the About box read it from.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import icons
import libraries
from freeze import BINARY, BUILD, DIST, freeze, run_frozen, smoke

from fieldvisit import __version__

NAME = "fieldvisit"
APP_DIR = f"/opt/{NAME}"
MAINTAINER = "FieldVisit maintainers <fieldvisit@example.invalid>"
ISS = BUILD / "windows" / "fieldvisit.iss"


# (MIME type, glob, English, Chinese, whether a double-click opens it in the app).
# Bundles and enrollment files are what the app imports (`fieldvisit app FILE`); a backup
# is restored on purpose into an empty data folder (`backup restore`), so it is named and
# shown with the icon but not opened by a double-click.
FILE_TYPES = (
    ("application/x-fieldvisit-bundle", "*.fvb", "FieldVisit sync bundle", "驻村走访同步包",
     True),
    ("application/x-fieldvisit-enrollment", "*.fve", "FieldVisit enrollment file",
     "驻村走访注册文件", True),
    ("application/x-fieldvisit-backup", "*.fvbak", "FieldVisit encrypted backup",
     "驻村走访加密备份", False),
)
BACKUP_MAGIC = "FIELDVISIT-BACKUP 1"  # fieldvisit.vault.backup.MAGIC, without its newline


def desktop_entry() -> str:
    """The menu entry; ``%f`` hands a double-clicked bundle or enrollment file to the app."""
    opened = "".join(f"{mime};" for mime, _glob, _en, _zh, opens in FILE_TYPES if opens)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Version=1.4\n"  # the newest desktop-file-validate 0.26 (Debian 12) knows
        "Name=FieldVisit 驻村走访\n"
        "Name[zh_CN]=驻村走访\n"
        "Name[en]=FieldVisit\n"
        "GenericName=Field visits and monitoring\n"
        "GenericName[zh_CN]=驻村走访与防返贫监测\n"
        "Comment=Household roster, visits and anti-relapse monitoring, offline\n"
        "Comment[zh_CN]=离线使用的花名册、入户走访与防返贫监测\n"
        f"Exec={NAME} app %f\n"
        f"Icon={NAME}\n"
        "Terminal=false\n"
        "Categories=Office;\n"
        f"MimeType={opened}\n"
        "Keywords=FieldVisit;roster;visit;monitoring;驻村;走访;防返贫;花名册;\n"
    )


def mime_info() -> str:
    """shared-mime-info's XML: by file name, and a backup also by its first bytes. Bundles
    and enrollment files share one container header, so only their names tell them apart."""
    types = []
    for mime, glob, english, chinese, _opens in FILE_TYPES:
        magic = (f'    <magic priority="50"><match type="string" offset="0" '
                 f'value="{BACKUP_MAGIC}"/></magic>\n' if glob == "*.fvbak" else "")
        types.append(
            f'  <mime-type type="{mime}">\n'
            f"    <comment>{english}</comment>\n"
            f'    <comment xml:lang="zh_CN">{chinese}</comment>\n'
            f'    <icon name="{NAME}"/>\n'
            f'    <glob pattern="{glob}"/>\n'
            f"{magic}"
            "  </mime-type>\n")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">\n'
            f"{''.join(types)}</mime-info>\n")


def launcher() -> str:
    """/usr/bin/fieldvisit. It finds the app from its own location (/usr/bin/../../opt)
    rather than naming /opt: installed, that is the same folder, and unpacked under a
    temporary root the check runs this very file, not a stand-in."""
    return (
        "#!/bin/sh\n"
        f"# FieldVisit 驻村走访: the app is the folder {APP_DIR} (package {NAME}).\n"
        'here=$(dirname "$(readlink -f "$0")")\n'
        f'exec "$here/../..{APP_DIR}/{NAME}" "$@"\n'
    )


def maintainer_script() -> str:
    """postinst and postrm alike: refresh the desktop's menu, MIME and icon caches, each
    only when its tool is installed. They touch nothing else: no home folder, no data
    folder (a purge leaves every cadre's data where it is)."""
    return (
        "#!/bin/sh\n"
        "set -e\n"
        "# Only system caches under /usr/share: never a home or data folder.\n"
        "if command -v update-desktop-database >/dev/null 2>&1; then\n"
        "    update-desktop-database -q /usr/share/applications || true\n"
        "fi\n"
        "if command -v update-mime-database >/dev/null 2>&1; then\n"
        "    update-mime-database /usr/share/mime || true\n"
        "fi\n"
        "if command -v gtk-update-icon-cache >/dev/null 2>&1; then\n"
        "    gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true\n"
        "fi\n"
        "exit 0\n"
    )


def control(version: str, architecture: str, installed_kib: int, depends: list[str]) -> str:
    return (
        f"Package: {NAME}\n"
        f"Version: {version}\n"
        f"Architecture: {architecture}\n"
        f"Maintainer: {MAINTAINER}\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(depends)}\n"
        "Section: misc\n"
        "Priority: optional\n"
        "Description: offline-first field visits and anti-relapse monitoring\n"
        " FieldVisit keeps a village's household roster, guides the resident cadre's\n"
        " visits through the checklists, keeps the rectification ledger and the\n"
        " monitoring cases, prints cards and reports, and syncs with the county by\n"
        " signed, encrypted bundle files on a USB stick. Data is encrypted at rest.\n"
        " .\n"
        " 驻村走访：离线使用的花名册、入户走访、整改台账与防返贫监测，U盘同步。\n"
    )


def architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], check=True, capture_output=True,
                          text=True).stdout.strip()


def deb_name(version: str, arch: str) -> str:
    return f"{NAME}_{version}_{arch}.deb"


def installed_kib(root: Path) -> int:
    """As dpkg-gencontrol counts it: each file and symlink in KiB rounded up, 1 for
    anything else."""
    total = 0
    for path in root.rglob("*"):
        if path.is_symlink() or path.is_file():
            total += max(1, math.ceil(path.lstat().st_size / 1024))
        else:
            total += 1
    return total


def lay_out(app: Path, root: Path) -> None:
    """The package root for the one-folder ``app`` (without DEBIAN/)."""
    shutil.copytree(app, root / APP_DIR.lstrip("/"), symlinks=True)
    share = root / "usr" / "share"
    write(root / "usr" / "bin" / NAME, launcher(), executable=True)
    write(share / "applications" / f"{NAME}.desktop", desktop_entry())
    write(share / "mime" / "packages" / f"{NAME}.xml", mime_info())
    hicolor = share / "icons" / "hicolor"
    subprocess.run([sys.executable, icons.__file__, str(hicolor)], check=True,
                   env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    scalable = hicolor / "scalable" / "apps" / f"{NAME}.svg"
    scalable.parent.mkdir(parents=True)
    shutil.copyfile(icons.SVG, scalable)
    for path in root.rglob("*"):  # whatever the umask and the wheels' modes were
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or path.stat().st_mode & 0o100 else 0o644)


def write(path: Path, text: str, *, executable: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755 if executable else 0o644)


def build_deb(app: Path, out: Path) -> Path:
    """``out/fieldvisit_<version>_<arch>.deb`` from the one-folder ``app``."""
    arch = architecture()
    deb = out / deb_name(__version__, arch)
    with tempfile.TemporaryDirectory(prefix="fieldvisit-deb-") as temp:
        root = Path(temp) / "root"
        lay_out(app, root)
        size = installed_kib(root)
        debian = root / "DEBIAN"
        write(debian / "control", control(__version__, arch, size, libraries.depends(app)))
        for script in ("postinst", "postrm"):
            write(debian / script, maintainer_script(), executable=True)
        # xz, as the dpkg of UOS 20 and Kylin V10 (1.19) cannot read zstd; at level 2, not
        # dpkg-deb's 6: measured on the 2-core machine under load, 80 s for 97.5 MiB
        # against 166 s for 89.7 MiB (gzip: 53 s, 117 MiB)
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z2", "--build",
                        str(root), str(deb)], check=True, stdout=subprocess.DEVNULL)
    return deb


# Paths the package must hold (as `dpkg-deb -c` lists them, without the leading ".")
REQUIRED = (
    f"{APP_DIR}/{NAME}",
    f"/usr/bin/{NAME}",
    f"/usr/share/applications/{NAME}.desktop",
    f"/usr/share/mime/packages/{NAME}.xml",
    *(f"/usr/share/icons/hicolor/{n}x{n}/apps/{NAME}.png" for n in icons.SIZES),
    f"/usr/share/icons/hicolor/scalable/apps/{NAME}.svg",
)
# and nothing outside these (directories leading to them aside)
ALLOWED = (f"{APP_DIR}/", f"/usr/bin/{NAME}", f"/usr/share/applications/{NAME}.desktop",
           f"/usr/share/mime/packages/{NAME}.xml", "/usr/share/icons/hicolor/")


def check_deb(deb: Path) -> None:
    """What CI checks: control fields, the file list, the unpacked launcher's smoke run
    and, when desktop-file-utils is installed, desktop-file-validate."""
    fields = dict(line.split(": ", 1) for line in dpkg_deb("-f", deb).splitlines()
                  if line and not line.startswith(" "))
    wanted = {"Package": NAME, "Version": __version__, "Architecture": architecture()}
    for field, value in wanted.items():
        if fields.get(field) != value:
            fail(deb, f"control field {field} is {fields.get(field)!r}, not {value!r}")
    for field in ("Maintainer", "Installed-Size", "Depends", "Section", "Priority",
                  "Description"):
        if not fields.get(field):
            fail(deb, f"control field {field} is missing")
    listing = {}
    for line in dpkg_deb("-c", deb).splitlines():
        mode, owner, _size, _date, _time, name, *_link = line.split(maxsplit=6)
        path = name[1:].rstrip("/") or "/"
        listing[path] = mode
        if owner != "root/root":
            fail(deb, f"{path} belongs to {owner}, not root/root")
        if mode[0] != "d" and not path.startswith(ALLOWED):
            fail(deb, f"{path} is outside the package's own paths")
    for path in REQUIRED:
        if path not in listing:
            fail(deb, f"{path} is missing")
    for path in (f"{APP_DIR}/{NAME}", f"/usr/bin/{NAME}"):
        if listing[path] != "-rwxr-xr-x":
            fail(deb, f"{path} has mode {listing[path]}, not -rwxr-xr-x")
    with tempfile.TemporaryDirectory(prefix="fieldvisit-unpacked-") as temp:
        root = Path(temp)
        dpkg_deb("-x", deb, root)
        installed = root / "usr" / "bin" / NAME
        run_frozen(installed, f"{NAME} {__version__}", "--version")
        smoke(installed)
        validate_desktop_entry(root / "usr" / "share" / "applications" / f"{NAME}.desktop")
    print(f"checked {deb.name}: control, {len(listing)} paths, the unpacked launcher runs")


def validate_desktop_entry(path: Path) -> None:
    if shutil.which("desktop-file-validate") is None:
        print("desktop-file-validate not installed (apt package desktop-file-utils): "
              "the desktop entry is not linted")
        return
    result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True,
                            text=True)
    if result.returncode != 0 or result.stdout.strip():
        fail(path, f"desktop-file-validate:\n{result.stdout}{result.stderr}")


def dpkg_deb(option: str, deb: Path, *more: Path) -> str:
    return subprocess.run(["dpkg-deb", option, str(deb), *map(str, more)], check=True,
                          capture_output=True, text=True).stdout


def fail(path: Path, problem: str) -> None:
    raise SystemExit(f"{path.name}: {problem}")


def windows_instructions(app: Path) -> str:
    """How to compile the installer from the frozen folder (Inno Setup 6, not run here)."""
    return (f"one-folder app: {app}\n"
            "installer: with Inno Setup 6 installed, run\n"
            f'  ISCC /DAppVersion={__version__} /DSourceDir="{app}" /O"{DIST}" "{ISS}"\n'
            f"which writes {DIST / f'fieldvisit-{__version__}-setup.exe'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build/dev.py package", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-freeze", action="store_true",
                        help="package the one-folder app already in build/dist/fieldvisit")
    args = parser.parse_args(argv)
    binary = BINARY if args.no_freeze else freeze()
    if os.name == "nt":
        smoke(binary)
        print(windows_instructions(binary.parent))
        return 0
    deb = build_deb(binary.parent, DIST)
    print(f"built {deb} ({deb.stat().st_size / 2**20:.1f} MiB)")
    check_deb(deb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
