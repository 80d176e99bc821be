"""The exceptions of the dmc package."""


class Error(RuntimeError):
    """Base class of every error the dmc package raises."""


class CompileError(Error):
    """The dmc binary failed (or was not found); the message holds what it printed."""


class ArgumentError(Error, ValueError):
    """An argument does not fit the library's manifest: a missing or unknown name, a dtype, a shape, a
    symbol value. Raised before the library runs."""


class RunError(Error):
    """dmc_NAME_run_packed returned non-zero; the message holds the runtime's dmcrt_last_error()."""
