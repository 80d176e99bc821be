//===- ChooseImplementations.cpp - the kernel choice as an IR attribute -----===//
//
// Writes `impl = "pure" | "tiled" | "library" | "dnnl"` on every library node that has none, from the pass's
// per-family options, so that the choice shows in the IR (--dump-ir-after-all) and expand-library-nodes
// only carries it out. Every node's choice, old or new, is checked against the expansion table first:
// on any unavailable choice the pass fails with a diagnostic per node and writes nothing.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/expansions/Expansions.h"

namespace dmc {
#define GEN_PASS_DEF_CHOOSEIMPLEMENTATIONS
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc::expansions;

namespace {
struct ChooseImplementations : dmc::impl::ChooseImplementationsBase<ChooseImplementations> {
  using Base::Base;

  /// The option of each family, by the family names of the expansion table.
  SmallVector<std::pair<StringRef, std::string *>> familyOptions() {
    return {{"elementwise", &elementwise}, {"matmul", &matmul},         {"softmax", &softmax},
            {"layernorm", &layernorm},     {"reduce", &reduce},         {"layout", &layout},
            {"fused_matmul", &fusedMatmul}, {"attention", &attention}};
  }

  void runOnOperation() override {
    dmc::sdfg::SDFGOp sdfg = getOperation();
    auto badValue = [&](StringRef option, StringRef value) {
      sdfg.emitError("choose-implementations: ")
          << option << "='" << value << "' is not an implementation (available: " << dmc::nn::implNamesList()
          << ")";
      signalPassFailure();
    };
    if (!dmc::nn::isImplName(defaultImpl))
      return badValue("default", defaultImpl);
    if (!attentionGlobalTokens.empty() && !dmc::nn::isImplName(attentionGlobalTokens))
      return badValue("attention-global-tokens", attentionGlobalTokens);
    llvm::StringMap<StringRef> choiceOf;
    for (const Family &family : families())
      choiceOf[family.name] = defaultImpl;
    for (auto [name, value] : familyOptions()) {
      if (value->empty())
        continue;
      if (!dmc::nn::isImplName(*value))
        return badValue(name, *value);
      choiceOf[name] = *value;
    }

    SmallVector<std::pair<Operation *, StringRef>> unchosen;
    bool ok = true;
    for (auto state : sdfg.getStates())
      for (Operation &op : state.getBodyBlock()) {
        if (!isa<dmc::nn::LibraryNode>(op))
          continue;
        const Family *family = familyOf(&op);
        StringRef given = dmc::nn::getImpl(&op);
        StringRef choice = !given.empty() ? given : family ? choiceOf[family->name] : StringRef("library");
        if (auto attention = dyn_cast<dmc::nn::AttentionOp>(op);
            given.empty() && attention && !attention.getGlobalTokens().empty() && !attentionGlobalTokens.empty())
          choice = attentionGlobalTokens;
        SmallVector<StringRef> available = implementationsOf(&op);
        // An option's choice that this node cannot take (the family has it, for other nodes) leaves the
        // node to the runtime; a node's own choice must be taken.
        if (given.empty() && !llvm::is_contained(available, choice) && familyHasExpansion(&op, choice)) {
          if (llvm::is_contained(available, "library")) {
            auto remark = op.emitRemark("stays a runtime call: no '") << choice << "' implementation for this node";
            if (const char *why = whyNotExpansion(&op, choice))
              remark << " (" << why << ")";
          }
          choice = "library";
        }
        // A node the runtime cannot run (an attention with expressions) takes its tile nest, else the pure
        // expansion.
        if (given.empty() && choice == "library" && !llvm::is_contained(available, choice))
          choice = llvm::is_contained(available, "tiled") ? "tiled" : available.front();
        if (!llvm::is_contained(available, choice)) {
          auto diag = op.emitOpError("has no '") << choice << "' implementation";
          if (const char *why = whyNotExpansion(&op, choice))
            diag << " for this node: " << why;
          diag << " (available: " << joinNames(available) << ")";
          if (given.empty() && family)
            diag << "; chosen by choose-implementations' " << family->name << " option";
          ok = false;
        }
        if (given.empty())
          unchosen.push_back({&op, choice});
      }
    if (!ok)
      return signalPassFailure();
    for (auto [op, choice] : unchosen)
      op->setAttr(dmc::nn::kImplAttrName, StringAttr::get(op->getContext(), choice));
  }
};
} // namespace
