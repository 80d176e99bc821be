# lit configuration for dmc's FileCheck tests.
import os
import lit.formats

config.name = "dmc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".json", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.dmc_obj_root, "test", "lit")
# Inputs that are not tests themselves (graph files read by tests) live in Inputs/ folders.
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py.in"]

config.environment["PATH"] = os.pathsep.join(
    [config.dmc_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
config.substitutions.append(("%dmc_src", config.dmc_src_root))
config.substitutions.append(("%python", config.python_executable))
# The folder of libdmcrt, for programs linked against a compiled graph and the runtime.
config.substitutions.append(("%dmcrt_dir", os.path.join(config.dmc_obj_root, "runtime")))
# Compiled libraries are cached inside the build tree, not in the user's ~/.cache.
config.environment["DMC_CACHE_DIR"] = os.path.join(config.dmc_obj_root, "dmc-cache")
