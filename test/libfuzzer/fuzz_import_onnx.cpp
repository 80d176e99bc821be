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
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace {

std::string &scratchFolder() {
  static std::string folder;
  return folder;
}

/// The importer reads a path (as `dmc import` does), so each input goes through one scratch file. It lies
/// alone in a private folder: a fuzzed model's external-data locations resolve against the model's folder,
/// and there they find only the model itself, never other files of $TMPDIR. Both are removed at exit.
const std::string &scratchPath() {
  static const std::string path = [] {
    const char *dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/dmc-fuzz-onnx-XXXXXX";
    if (!mkdtemp(pattern.data()))
      dmc::fuzz::reportFinding("cannot create a scratch folder from " + pattern);
    scratchFolder() = pattern;
    std::atexit([] {
      std::remove((scratchFolder() + "/model.onnx").c_str());
      rmdir(scratchFolder().c_str());
    });
    return pattern + "/model.onnx";
  }();
  return path;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  dmc::fuzz::fuzzImport(dmc::importOnnx, scratchPath(), data, size);
  return 0;
}
