"""What an installed wheel carries: the bundled templates live at the top of the tree in a
checkout, inside the package once installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_the_templates_where_drafts_look_for_them(tmp_path: Path) -> None:
    # A copy of the sources, so no build directory in the checkout (stale or new) counts.
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("mailflow", "templates"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    # Offline: the build uses the setuptools and wheel installed with the test extra.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "-w", str(tmp_path / "dist"), str(src)],
        check=True, capture_output=True, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("mailflow-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (ROOT / "templates").glob("*.j2")}
    assert shipped and {f"mailflow/templates/{n}" for n in shipped} <= names

    # Unpacked away from the checkout, the package finds its own copy.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    out = subprocess.run(
        [sys.executable, "-c", "from mailflow import drafts; print(drafts.bundled_template_dir())"],
        check=True, capture_output=True, text=True, cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    found = Path(out.stdout.strip())
    assert found == site / "mailflow" / "templates"
    assert (found / "confirmation.txt.j2").is_file()
