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

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  dmc::fuzz::fuzzImport(dmc::importGraph, scratchPath(), data, size);
  return 0;
}
