//===- ApplyTunedChoices.cpp - the choices dmc tune measured, on the nodes --===//
//
// `dmc tune` stores, per machine and node signature, the implementation and blocks that ran fastest
// (passes/tuning/). This pass writes them onto the nodes before choose-implementations, which keeps a
// choice already present, and marks every tunable node with where its choice comes from, so that the
// dumps say "tuned" or "default".
//
//===----------------------------------------------------------------------===//
#include "passes/PassStatistics.h"
#include "passes/Passes.h"
#include "passes/tuning/TuningDatabase.h"

namespace dmc {
#define GEN_PASS_DEF_APPLYTUNEDCHOICES
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
struct ApplyTunedChoices : dmc::impl::ApplyTunedChoicesBase<ApplyTunedChoices> {
  using Base::Base;
  PassStatistic numTuned{this, "nodes-tuned", "nodes given the choice stored by dmc tune"};
  PassStatistic numDefault{this, "nodes-default", "tunable nodes without a stored choice"};

  void runOnOperation() override {
    sdfg::SDFGOp sdfg = getOperation();
    std::optional<tuning::Database> database;
    if (!db.empty()) {
      std::string error;
      database = tuning::Database::read(db, error);
      if (!database)
        sdfg.emitWarning("apply-tuned-choices: the tuning database ")
            << db << " " << error << "; compiling with the default choices";
    }
    tuning::Machine machine{cpu, isaName, threads};
    Builder b(&getContext());
    for (auto state : sdfg.getStates())
      for (Operation &op : state.getBodyBlock()) {
        if (!isa<nn::LibraryNode>(op) || !tuning::isTunable(&op))
          continue;
        const tuning::Entry *entry = database ? database->find(machine, tuning::nodeSignature(&op)) : nullptr;
        if (entry)
          tuning::applyChoice(&op, entry->choice);
        op.setAttr(tuning::kTuningAttrName, b.getStringAttr(entry ? "tuned" : "default"));
        ++(entry ? numTuned : numDefault);
      }
  }
};
} // namespace
