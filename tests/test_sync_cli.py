"""The sync command line end to end, as a county office and two village laptops use it:
every step is the real ``fieldvisit`` command in a subprocess, on SQLite in tmp folders;
only the cadres' edits between commands go through the Store API."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from fieldvisit.store import Update
from fieldvisit.store.models import Household
from fieldvisit.vault.slots import KeySlots
from tests.vaults import laptop_store

VILLAGE = "522727100200"


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if k not in ("FIELDVISIT_DATABASE_URL", "FIELDVISIT_HOME")}


def fv(*args: str | Path, code: int = 0) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "fieldvisit", *map(str, args)],
                          capture_output=True, text=True, timeout=120, env=_env())
    assert done.returncode == code, (args, done.stdout, done.stderr)
    return done


def both(*calls: tuple[str | Path, ...]) -> list[str]:
    """Commands on different laptops at once (each laptop is its own data folder)."""
    running = [(call, subprocess.Popen([sys.executable, "-m", "fieldvisit", *map(str, call)],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True, env=_env())) for call in calls]
    outs = []
    for call, process in running:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, (call, out, err)
        outs.append(out)
    return outs


def enroll_on_server(county: Path, cadre: str, stick: Path) -> tuple[str, Path, str]:
    out = fv("--data-dir", county, "server", "enroll", "--village", VILLAGE, "--cadre", cadre,
             "-o", stick).stdout
    device = re.search(r"设备 / device (d[0-9a-f]+)", out).group(1)
    path = Path(re.search(r"注册文件 / enrollment file: (.+\.fve)", out).group(1))
    code = re.search(r"激活码 / activation code: ([2-9A-Z]{4}(?:-[2-9A-Z]{4}){3})",
                     out).group(1)
    assert "电话" in out and "by phone" in out  # the code travels apart from the file
    return device, path, code


def edit_address(data_dir: Path, household: str, address: str, actor: str) -> None:
    store = laptop_store(data_dir)
    store.actor = actor
    store.write([Update("household", household, {"address": address})])
    store.close()


def address(data_dir: Path, household: str) -> str:
    store = laptop_store(data_dir)
    with store.reading() as conn:
        value = conn.execute(select(Household.address).where(Household.id == household)
                             ).scalar_one()
    store.close()
    return value


def first_household(data_dir: Path) -> str:
    store = laptop_store(data_dir)
    with store.reading() as conn:
        found = conn.execute(select(Household.id).order_by(Household.code).limit(1)
                             ).scalar_one()
    store.close()
    return found


def test_two_laptops_and_a_county_through_enrollment_bundles_and_a_decision(tmp_path):
    county, stick = tmp_path / "county", tmp_path / "stick"
    a, b = tmp_path / "laptop-a", tmp_path / "laptop-b"
    fv("--data-dir", county, "server", "devices")  # the county server's folder (its key)
    fv("--data-dir", county, "demo", "--households", "8")

    # Enrollment: a file on the stick, the code by phone; a wrong code is refused.
    device_a, file_a, code_a = enroll_on_server(county, "王干部", stick)
    device_b, file_b, code_b = enroll_on_server(county, "李干部", stick)
    wrong = fv("--data-dir", a, "sync", "enroll", file_a, "--code", code_b, code=1)
    assert "激活码不对" in wrong.stderr and "wrong activation code" in wrong.stderr
    enrolled, _ = both(("--data-dir", a, "sync", "enroll", file_a, "--code", code_a),
                       ("--data-dir", b, "sync", "enroll", file_b, "--code",
                        code_b.lower().replace("-", " ")))
    assert "8 户" in enrolled
    for laptop_folder in (a, b):  # the data key is sealed to the county's key at once
        assert KeySlots.load(laptop_folder).recovery_key

    # Offline, both cadres change one household's address.
    household = first_household(a)
    edit_address(a, household, "3组17号（新房）", "王干部")
    edit_address(b, household, "3组17号附1号", "李干部")
    status = fv("--data-dir", a, "sync", "status").stdout
    assert "own changes not yet acknowledged: 1" in status and "pending" in status

    # USB stick to the county: both bundles and a stray file in one batch, which says
    # what it refused (exit 1) and writes the accepted laptops' return bundles.
    for out in both(*(("--data-dir", laptop, "sync", "export", "--to", stick)
                      for laptop in (a, b))):
        assert "1 条修改，0 张照片" in out and "请把U盘交到县里" in out
    (stick / "copy.fvb").write_bytes(b"PK\x03\x04 not a bundle")
    batch = fv("--data-dir", county, "server", "import", stick, "--return-to",
               stick / "back", code=1).stdout
    assert batch.count("接收 / accepted") == 2 and "1 处冲突待审核" in batch
    assert "copy.fvb: 拒收 / rejected (foreign-format)" in batch
    [back_a] = (stick / "back").glob(f"*{device_a}*.fvb")
    [back_b] = (stick / "back").glob(f"*{device_b}*.fvb")
    for out in both(("--data-dir", a, "sync", "import", back_a),
                    ("--data-dir", b, "sync", "import", back_b)):
        assert "return bundle imported" in out
    assert "另一台电脑" in fv("--data-dir", a, "sync", "import", back_b, code=1).stderr
    # Both laptops now hold the county's provisional winner: one of the two edits.
    assert address(a, household) == address(b, household) in {"3组17号（新房）", "3组17号附1号"}

    # The county decides: the candidates are listed, one is picked.
    listed = fv("--data-dir", county, "server", "conflicts").stdout
    assert f"#1 村 / village {VILLAGE}" in listed and "address" in listed
    assert "原值 / base:" in listed and "暂定" in listed
    assert device_a in listed and device_b in listed and "3组17号附1号" in listed
    pick = re.search(r"\[(\d)\] 3组17号（新房）", listed).group(1)
    for wrong in ("0", "3"):  # picks count from 1, as listed; the HTTP API's do too
        refused = fv("--data-dir", county, "server", "conflicts", "resolve", "1", "--pick",
                     wrong, code=2).stderr
        assert "候选值编号应在 1 到 2 之间" in refused and "from 1 to 2" in refused
        assert "Traceback" not in refused
    fv("--data-dir", county, "server", "conflicts", "resolve", "1", "--pick", pick,
       "--by", "县乡村振兴局")
    assert "没有待审核的冲突" in fv("--data-dir", county, "server", "conflicts").stdout

    # Return bundles carry the decision to both laptops.
    paths = {}
    for device in (device_a, device_b):
        out = fv("--data-dir", county, "server", "return-bundle", device, "-o",
                 stick / "back2").stdout
        paths[device] = re.search(r"return bundle written: (.+\.fvb)", out).group(1)
    both(("--data-dir", a, "sync", "import", paths[device_a]),
         ("--data-dir", b, "sync", "import", paths[device_b]))
    assert address(a, household) == address(b, household) == "3组17号（新房）"
    status = fv("--data-dir", b, "sync", "status").stdout
    assert "已激活 / active" in status and "own changes not yet acknowledged: 0" in status

    # bundle inspect: the header readable, the signature checked, no key needed.
    [bundle_a] = stick.glob(f"*{device_a}_*.fvb")
    shown = fv("bundle", "inspect", bundle_a).stdout
    assert f"发送方 / sender: {device_a}" in shown and f"村 / village: {VILLAGE}" in shown
    assert "签名 / signature: 有效" in shown and "self-declared" in shown
    data = bytearray(bundle_a.read_bytes())
    data[-100] ^= 1  # one bit of the encrypted body
    tampered = tmp_path / "tampered.fvb"
    tampered.write_bytes(bytes(data))
    assert "签名不符" in fv("bundle", "inspect", tampered, code=1).stderr
    tampered.write_bytes(bundle_a.read_bytes()[:-10])
    assert "不完整" in fv("bundle", "inspect", tampered, code=1).stderr

    # A lost laptop is revoked; the list says so.
    fv("--data-dir", county, "server", "revoke", device_b)
    devices = fv("--data-dir", county, "server", "devices").stdout
    assert re.search(rf"{device_b} .*已停用 / revoked", devices)
    assert re.search(rf"{device_a} .*在用 / active", devices)
