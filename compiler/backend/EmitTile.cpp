//===- EmitTile.cpp - tile nests: extents, micro-kernel calls, worker buffers ===//
//
// What the tiled expansions add to maps: `sdfg.min` and `sdfg.max` become constants of the loop body, `sdfg.ukernel`
// the call its micro-kernel table entry describes (dialects/SDFG/MicroKernels.h), and transients of
// lifetime `scope` one buffer per worker of the omp map that owns them (sdfg::getScopeOwner): a heap
// buffer holding all workers' parts lives in the handle (allocated and zeroed on first use or when the
// thread count changes), and each iteration takes its worker's part; stack and register ones are
// declared in the loop body.
//
//===----------------------------------------------------------------------===//
#include "compiler/backend/Emitter.h"
#include "dialects/SDFG/MicroKernels.h"
#include "dialects/SDFG/Views.h"

using namespace mlir;

namespace dmc {

LogicalResult Emitter::emitTileBound(Operation *op, AffineMap map, ValueRange operands, StringRef function) {
  std::string name = fresh(function == "min" ? "extent" : "start");
  os << "const int64_t " << name << " = std::" << function << "<int64_t>({";
  for (auto [i, e] : llvm::enumerate(map.getResults()))
    os << (i ? ", " : "") << affineExpr(e, operands, map.getNumDims());
  os << "});\n";
  names[op->getResult(0)] = name;
  return success();
}

LogicalResult Emitter::emitMicroKernel(sdfg::UKernelOp call) {
  const sdfg::MicroKernel *kernel = sdfg::lookupMicroKernel(call.getKernel());
  if (!kernel)
    return call.emitOpError("has no micro-kernel"); // the verifier rejects this first
  SmallVector<std::string> args;
  for (const sdfg::CallItem &item : kernel->call) {
    switch (item.kind) {
    case sdfg::CallItem::Arg:
      args.push_back(nameOf(call.getArgs()[item.value]));
      break;
    case sdfg::CallItem::Constant:
      args.push_back(std::to_string(item.value));
      break;
    case sdfg::CallItem::Pointer: {
      AffineMap origin = call.getOrigin(item.value);
      args.push_back("&" + memletRef(call.getTiles()[item.value], origin, call.getOriginIndices(item.value)));
      break;
    }
    case sdfg::CallItem::RowStride: {
      // Elements between consecutive indices of the second-to-last dimension, in the root (the
      // verifier proved the layout strided with a contiguous last dimension).
      Value tile = call.getTiles()[item.value];
      std::optional<sdfg::StridedLayout> layout = sdfg::stridedLayout(tile);
      if (!layout || layout->strides.empty())
        return call.emitOpError("needs the row stride of a strided container");
      args.push_back(layout->strides.size() < 2 ? "1" : elementCountExpr(layout->strides[layout->strides.size() - 2]));
      break;
    }
    }
  }
  os << kernel->function << "(";
  llvm::interleaveComma(args, os);
  os << ");\n";
  return success();
}

void Emitter::emitWorkerBuffers(sdfg::MapOp owner) {
  for (auto alloc : sdfg.getBodyBlock().getOps<sdfg::AllocOp>()) {
    if (alloc.getLifetime() != sdfg::Lifetime::scope || alloc.getStorage() != sdfg::Storage::heap ||
        sdfg::getScopeOwner(alloc) != owner)
      continue;
    std::string all = fresh("workers"), count = fresh("size");
    os << "const int64_t " << count << " = " << numElementsExpr(alloc.getType().getShape()) << ";\n";
    os << "float *" << all << " = nullptr;\n";
    os << "if (int _rc = _state->workers(" << persistentSlots++ << ", &" << all << ", "
       << stringLiteral("transient '" + alloc.getName().value_or("").str() + "'") << ", " << count
       << ")) return _rc;\n";
    workerBuffers.push_back({alloc, all, count});
  }
}

void Emitter::bindWorkerBuffers(sdfg::MapOp owner) {
  for (auto alloc : sdfg.getBodyBlock().getOps<sdfg::AllocOp>()) {
    if (alloc.getLifetime() != sdfg::Lifetime::scope || alloc.getStorage() == sdfg::Storage::heap ||
        sdfg::getScopeOwner(alloc) != owner)
      continue;
    os << "alignas(64) float " << nameOf(alloc) << "[" << numElementsExpr(alloc.getType().getShape()) << "];\n";
  }
  for (WorkerBuffer &b : workerBuffers)
    if (sdfg::getScopeOwner(b.alloc) == owner)
      os << "float *const " << nameOf(b.alloc) << " = " << b.buffer << " + dmc_worker() * " << b.size << ";\n";
}

} // namespace dmc
