"""Which system libraries the frozen app needs, for the .deb's Depends.

PyInstaller copies most shared libraries the app links into the one-folder app, but
not the ones a system must provide itself (glibc, the GL/EGL dispatch libraries) and not
the ones it could not find on the build machine (libxcb-icccm, libxcb-keysyms: the Qt xcb
plugin links them). So Depends is not a guess: every library an ELF file of the folder
names in DT_NEEDED and the folder does not hold must come from a Debian package listed in
``PACKAGES`` or be one of the ``OPTIONAL`` plugin libraries (the build fails naming any
other), and glibc's version is the newest ``GLIBC_2.x`` symbol version any file asks for.

The ELF reader is for 64-bit little-endian files (x86_64 and arm64, the laptops' two
architectures); it reads program headers only, as the dynamic loader does.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

# soname -> Debian package (the same names on Debian 12, UOS 20 and Kylin V10); libc6
# covers glibc's own libraries.
PACKAGES = {
    **dict.fromkeys(("libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0",
                     "librt.so.1", "libresolv.so.2", "ld-linux-x86-64.so.2",
                     "ld-linux-aarch64.so.1"), "libc6"),
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libxcb.so.1": "libxcb1",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
}
# Libraries only Qt plugins need that Qt does without when they are missing (it skips
# the plugin): the GTK 3 look on a GTK desktop, the Wayland platform (the xcb one runs on
# X11 and under XWayland), the kiosk platforms (eglfs, linuxfb) that drive the screen
# through DRM.
OPTIONAL = ("libgtk-3.so.0", "libgdk-3.so.0", "libwayland-client.so.0",
            "libwayland-cursor.so.0", "libwayland-egl.so.1", "libdrm.so.2")

_ELF = b"\x7fELF"
_PT_LOAD, _PT_DYNAMIC = 1, 2
_DT_NULL, _DT_NEEDED, _DT_STRTAB = 0, 1, 5


def needed(path: Path) -> list[str]:
    """The sonames ``path`` names in DT_NEEDED ([] for a file that is not a 64-bit
    little-endian ELF object, or a static one)."""
    data = path.read_bytes()
    if data[:4] != _ELF or data[4] != 2 or data[5] != 1:
        return []
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads, dynamic = [], None
    for index in range(phnum):
        kind, _flags, offset, vaddr, _paddr, filesz = struct.unpack_from(
            "<IIQQQQ", data, phoff + index * phentsize)
        if kind == _PT_LOAD:
            loads.append((vaddr, offset, filesz))
        elif kind == _PT_DYNAMIC:
            dynamic = (offset, filesz)
    if dynamic is None:
        return []
    entries = [struct.unpack_from("<qQ", data, dynamic[0] + at)
               for at in range(0, dynamic[1], 16)]
    strtab = next((value for tag, value in entries if tag == _DT_STRTAB), None)
    if strtab is None:
        return []
    base = next(offset + strtab - vaddr for vaddr, offset, size in loads
                if vaddr <= strtab < vaddr + size)
    names = []
    for tag, value in entries:
        if tag == _DT_NULL:
            break
        if tag == _DT_NEEDED:
            start = base + value
            names.append(data[start:data.index(b"\0", start)].decode())
    return names


def elf_files(folder: Path) -> list[Path]:
    """Every ELF file under ``folder`` (symlinks left out: their targets are listed)."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == _ELF:
                    found.append(path)
    return found


def system_libraries(folder: Path) -> dict[str, list[Path]]:
    """Sonames the app's ELF files need and the folder does not hold, each with the
    files that need it; the ``OPTIONAL`` ones are left out."""
    held = {path.name for path in folder.rglob("*")}
    wanted: dict[str, list[Path]] = {}
    for path in elf_files(folder):
        for name in needed(path):
            if name not in held and name not in OPTIONAL:
                wanted.setdefault(name, []).append(path)
    return wanted


def glibc_version(folder: Path) -> str:
    """The newest glibc symbol version (``2.36``) any ELF file in ``folder`` asks for."""
    versions = {(2, 17)}  # the oldest any manylinux wheel links against
    for path in elf_files(folder):
        for found in re.findall(rb"GLIBC_2\.(\d+)", path.read_bytes()):
            versions.add((2, int(found)))
    major, minor = max(versions)
    return f"{major}.{minor}"


def depends(folder: Path) -> list[str]:
    """The Depends list for the frozen app in ``folder``; a ``SystemExit`` naming the
    library and its users when a needed library has no package in ``PACKAGES``."""
    wanted = system_libraries(folder)
    unknown = {name: users for name, users in wanted.items() if name not in PACKAGES}
    if unknown:
        lines = [f"  {name}: {', '.join(str(p.relative_to(folder)) for p in users[:3])}"
                 for name, users in sorted(unknown.items())]
        raise SystemExit("system libraries with no Debian package in build/libraries.py "
                         "PACKAGES:\n" + "\n".join(lines))
    packages = {PACKAGES[name] for name in wanted} - {"libc6"}
    return [f"libc6 (>= {glibc_version(folder)})", *sorted(packages)]
