//===- fuzz_import_onnx.cpp - libFuzzer target: ONNX model -> sdfg module -===//
//
// Bytes are an ONNX model: `dmc import MODEL.onnx` reads it (importOnnx: protobuf, translation, patterns,
// the JSON importer) once as is and once with --test-size. The model is rejected with a diagnostic, or
// imported to a module that verifies and round trips through MLIR's printer and parser (FuzzOracle.h). A
// crash input reproduces with `cp crash-FILE m.onnx && build/bin/dmc import m.onnx`.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/OnnxImport.h"
#include "test/libfuzzer/FuzzOracle.h"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

/// The importer reads a path (as `dmc import` does), so each input goes through one scratch file. It lies
/// alone in a private folder: a fuzzed model's external-data locations resolve against the model's folder,
/// and there they find only the model itself, never other files of $TMPDIR.
const std::string &scratchPath() {
  static const std::string path = [] {
    const char *dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/dmc-fuzz-onnx-XXXXXX";
    if (!mkdtemp(pattern.data()))
      dmc::fuzz::reportFinding("cannot create a scratch folder from " + pattern);
    return pattern + "/model.onnx";
  }();
  return path;
}

void importOnce(bool testSize) {
  dmc::fuzz::FuzzContext context;
  dmc::Diagnostics diag(scratchPath());
  dmc::ImportOptions options;
  options.testSize = testSize;
  mlir::OwningOpRef<mlir::ModuleOp> module = dmc::importOnnx(context.get(), scratchPath(), options, diag);
  std::ostringstream messages;
  diag.print(messages);
  // The JSON importer's consistency check, forwarded by importOnnx: the graph the translation built passed
  // every check, yet its IR does not verify. The whole message is compared, since the other messages quote
  // the model's (fuzzed) names.
  const std::string internalError =
      diag.file() + ": error: internal error: the imported IR does not verify (see above)";
  for (const std::string &message : diag.messages())
    if (message == internalError)
      dmc::fuzz::reportFinding("the importer reports an internal error", messages.str() + context.errors());
  if (!module) {
    if (!diag.hasErrors() && !context.hasErrors())
      dmc::fuzz::reportFinding("a model was rejected without any diagnostic");
    return;
  }
  if (diag.hasErrors() || context.hasErrors())
    dmc::fuzz::reportFinding("a model was imported although errors were reported",
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
