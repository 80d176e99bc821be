//===- fuzz_import_json.cpp - libFuzzer target: graph file -> sdfg module -===//
//
// Bytes are a graph file: `dmc import` reads it (readGraphFile + importGraph) once as is and once with
// --test-size. The file is rejected with a diagnostic, or imported to a module that verifies and round
// trips through MLIR's printer and parser (see FuzzOracle.h). A crash input reproduces with
// `build/bin/dmc import crash-FILE`.
//
//===----------------------------------------------------------------------===//
#include "compiler/importer/Importer.h"
#include "test/libfuzzer/FuzzOracle.h"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

/// The importer reads a path (as `dmc import` does), so each input goes through one scratch file.
const std::string &scratchPath() {
  static const std::string path = [] {
    const char *dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/dmc-fuzz-import-" + std::to_string(getpid()) + ".json";
  }();
  return path;
}

void importOnce(bool testSize) {
  dmc::fuzz::FuzzContext context;
  dmc::Diagnostics diag(scratchPath());
  dmc::ImportOptions options;
  options.testSize = testSize;
  mlir::OwningOpRef<mlir::ModuleOp> module = dmc::importGraph(context.get(), scratchPath(), options, diag);
  std::ostringstream messages;
  diag.print(messages);
  // The importer's own consistency check: it validated the graph, yet the IR it built does not verify. The
  // whole message is compared, since the other messages quote the user's (fuzzed) text.
  const std::string internalError =
      diag.file() + ": error: internal error: the imported IR does not verify (see above)";
  for (const std::string &message : diag.messages())
    if (message == internalError)
      dmc::fuzz::reportFinding("the importer reports an internal error", messages.str() + context.errors());
  if (!module) {
    if (!diag.hasErrors() && !context.hasErrors())
      dmc::fuzz::reportFinding("a graph was rejected without any diagnostic");
    return;
  }
  if (diag.hasErrors() || context.hasErrors())
    dmc::fuzz::reportFinding("a graph was imported although errors were reported",
                             messages.str() + context.errors());
  dmc::fuzz::checkRoundTrip(*module);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  {
    std::ofstream out(scratchPath(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
    if (!out)
      dmc::fuzz::reportFinding("cannot write the scratch file " + scratchPath());
  }
  importOnce(/*testSize=*/false);
  importOnce(/*testSize=*/true);
  return 0;
}
