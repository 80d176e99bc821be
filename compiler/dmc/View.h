//===- View.h - dmc view: the SDFG after every pass, as one HTML page ------===//
//
// Records the IR after the import and after every pass of the pipeline (the steps of
// --dump-ir-after-all) as a graph (states, interstate edges, nested map scopes, tasklets, library nodes,
// micro-kernel calls, containers and memlets with the movement analysis's bytes), and writes the page of
// viewer/ (bundled by viewer/build.mjs) with that data embedded, so the page needs nothing else.
// docs/viewer.md describes the page and the data's fields.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_DMC_VIEW_H
#define DMC_DMC_VIEW_H

#include "dialects/SDFG/SDFGOps.h"
#include "dialects/Support/Shape.h"

#include "mlir/Pass/PassInstrumentation.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace dmc {

/// Where the page template is read: $DMC_VIEWER_TEMPLATE, else the build's viewer/viewer.html.
std::string viewerTemplatePath();

/// Inserts the page data `json` into the page template `page` (in place of its one placeholder). Every
/// '<', '>', '&' and line or paragraph separator of the data is written as a \u escape, so no text from
/// the user's file can close the script element it sits in. False when the template has no placeholder,
/// or more than one.
bool fillViewerTemplate(std::string &page, const std::string &json);

class ViewRecorder {
public:
  /// `inputFile` and `pipeline` ("-O3", or the --passes text) are shown on the page; `bindings` give the
  /// movement analysis values for free symbols (docs/movement.md).
  ViewRecorder(std::string inputFile, std::string pipeline, Bindings bindings);
  ~ViewRecorder();

  /// Records the sdfg.sdfg that `op` (a module) holds as the step `step`.
  void record(llvm::StringRef step, mlir::Operation *op);

  /// Records a step after every pass with an argument (as --dump-ir-after-all does). It refers to this
  /// recorder, which must outlive the pass manager.
  std::unique_ptr<mlir::PassInstrumentation> instrumentation();

  /// The page data: every recorded step, and the C++ of `final` (the SDFG after the pipeline) split per
  /// node. nullopt when the C++ cannot be emitted (reported through MLIR diagnostics).
  std::optional<std::string> pageData(sdfg::SDFGOp final);

private:
  struct Data;
  std::unique_ptr<Data> data;
  std::mutex mutex; // passes on sdfg.sdfg may run on worker threads
};

} // namespace dmc

#endif
