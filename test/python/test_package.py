"""The package installs offline with Debian's pip and setuptools (docs/python.md), and its versions agree."""
import os
import re
import shutil
import subprocess
import sys

import dmc
from conftest import OUTER_SUM, ROOT


def test_versions_agree():
    cmake = re.search(r"project\(dmc VERSION ([0-9.]+)", (ROOT / "CMakeLists.txt").read_text()).group(1)
    pyproject = re.search(r'^version = "([0-9.]+)"', (ROOT / "python" / "pyproject.toml").read_text(), re.M).group(1)
    assert dmc.__version__ == pyproject == cmake


def test_pip_installs_offline_into_a_venv(tmp_path, dmc_binary):
    # A copy of python/: pip builds in the source folder and would leave build/ and *.egg-info there.
    source = tmp_path / "src"
    shutil.copytree(ROOT / "python", source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    venv = tmp_path / "venv"
    # --without-pip: Debian's pip comes from the system site-packages (faster than ensurepip's copy).
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "--no-build-isolation", "--no-index", "--no-cache-dir",
                    "--disable-pip-version-check", "-q", str(source)], check=True)
    script = ("import dmc, numpy as np, sys\n"
              "assert dmc.__file__.startswith(sys.prefix), dmc.__file__\n"
              f"lib = dmc.compile({str(OUTER_SUM)!r}, opt=0)\n"
              "print(lib(x=np.array([[1, 2, 3]], dtype=np.float32)).tolist())\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["DMC"] = dmc_binary
    result = subprocess.run([python, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[6.0, 12.0, 18.0]"


def test_output_path_gets_the_header_and_manifest(tmp_path, dmc_binary):
    lib = dmc.compile(OUTER_SUM, opt=0, output=tmp_path / "libmine.so", dmc=dmc_binary)
    assert lib.path == str(tmp_path / "libmine.so")
    assert (tmp_path / "outer_sum.h").is_file() and (tmp_path / "outer_sum.manifest.json").is_file()


def test_find_dmc_order(monkeypatch, tmp_path, dmc_binary):
    monkeypatch.setenv("DMC", str(tmp_path / "nope"))
    try:
        dmc.find_dmc()
    except dmc.CompileError as e:
        assert str(e) == f"$DMC '{tmp_path / 'nope'}' is not an executable file"
    else:
        raise AssertionError("a bad $DMC must not fall back to PATH")
    assert dmc.find_dmc(dmc_binary) == dmc_binary  # the argument wins over $DMC
    monkeypatch.delenv("DMC")
    monkeypatch.setenv("PATH", os.path.dirname(dmc_binary))
    assert dmc.find_dmc() == dmc_binary
