"""dmc from Python: compile an attention graph and call the library on NumPy arrays or PyTorch tensors.

    import dmc
    lib = dmc.compile("samples/mha.json", opt=3, bind={"S": 512})
    y = lib(x=x, wq=wq, bq=bq, wk=wk, bk=bk, wv=wv, bv=bv, wo=wo, bo=bo)

See docs/python.md.
"""

from ._compiler import CompileWarning, compile, find_dmc, load
from ._errors import ArgumentError, CompileError, Error, RunError
from ._library import Call, Library

__version__ = "0.1.0"  # = python/pyproject.toml's version (test/python/test_package.py checks both)

__all__ = ["compile", "load", "find_dmc", "Library", "Call", "Error", "CompileError", "ArgumentError", "RunError",
           "CompileWarning"]
