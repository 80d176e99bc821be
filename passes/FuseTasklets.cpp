//===- FuseTasklets.cpp - one tasklet where one only feeds another --------===//
//
//   %a = sdfg.tasklet (%x) { f }   %b = sdfg.tasklet (%a, %y) { g }   ==>   %b = sdfg.tasklet (%x, %y) { g(f) }
//
// Element-wise fusion leaves a chain of small tasklets in each map body (one per fused node). Merged,
// the body reads as the one scalar expression it is, and later passes and the emitter see one op.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"

#include "mlir/IR/IRMapping.h"

namespace dmc {
#define GEN_PASS_DEF_FUSETASKLETS
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
/// The tasklet that consumes every result of `producer`, when there is exactly one, in the same block.
sdfg::TaskletOp soleConsumer(sdfg::TaskletOp producer) {
  sdfg::TaskletOp consumer;
  for (Operation *user : producer->getUsers()) {
    auto t = dyn_cast<sdfg::TaskletOp>(user);
    if (!t || (consumer && consumer != t) || t->getBlock() != producer->getBlock())
      return {};
    consumer = t;
  }
  return consumer;
}

bool tryFuse(sdfg::TaskletOp producer) {
  if (producer->getNumResults() == 0 || producer.getLabel())
    return false;
  sdfg::TaskletOp consumer = soleConsumer(producer);
  if (!consumer || consumer.getLabel())
    return false;
  // The merged tasklet sits at the consumer, so the producer's operands must be defined before it
  // (they are: the producer precedes the consumer, which uses its results).
  SmallVector<Value> operands(producer.getOperands());
  for (Value v : consumer.getOperands())
    if (v.getDefiningOp() != producer.getOperation() && !llvm::is_contained(operands, v))
      operands.push_back(v);
  Location loc = consumer.getLoc();
  auto block = std::make_unique<Block>();
  for (Value v : operands)
    block->addArgument(v.getType(), loc);
  OpBuilder b(consumer->getContext());
  b.setInsertionPointToStart(block.get());
  auto argFor = [&](Value operand) { return block->getArgument(llvm::find(operands, operand) - operands.begin()); };
  // The producer's body on the merged arguments; its yielded values stand for its results.
  IRMapping first;
  Block &pBody = producer.getBody().front();
  for (auto [arg, operand] : llvm::zip(pBody.getArguments(), producer.getOperands()))
    first.map(arg, argFor(operand));
  for (Operation &op : pBody.without_terminator())
    b.clone(op, first);
  auto pYield = cast<sdfg::YieldOp>(pBody.getTerminator());
  // The consumer's body, reading those values where it read the producer's results.
  IRMapping second;
  Block &cBody = consumer.getBody().front();
  for (auto [arg, operand] : llvm::zip(cBody.getArguments(), consumer.getOperands())) {
    if (auto r = dyn_cast<OpResult>(operand); r && r.getOwner() == producer.getOperation())
      second.map(arg, first.lookupOrDefault(pYield.getOperand(r.getResultNumber())));
    else
      second.map(arg, argFor(operand));
  }
  for (Operation &op : cBody)
    b.clone(op, second);
  OperationState state(loc, sdfg::TaskletOp::getOperationName());
  state.addOperands(operands);
  state.addTypes(consumer.getResultTypes());
  state.addRegion()->push_back(block.release());
  OpBuilder at(consumer);
  Operation *merged = at.create(state);
  consumer->replaceAllUsesWith(merged->getResults());
  consumer->erase();
  producer->erase();
  return true;
}

struct FuseTasklets : dmc::impl::FuseTaskletsBase<FuseTasklets> {
  dmc::PassStatistic numFused{this, "tasklets-fused", "tasklets merged into their consumer tasklet"};
  void runOnOperation() override {
    rewriteToFixpoint<sdfg::TaskletOp>(getOperation(), countSuccesses(numFused, tryFuse));
  }
};
} // namespace
