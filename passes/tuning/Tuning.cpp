//===- Tuning.cpp - tunable nodes, their signatures and candidates --------===//
#include "passes/tuning/Tuning.h"
#include "passes/expansions/Expansions.h"

#include "dialects/NN/NNOps.h"
#include "dialects/SDFG/SDFGOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace dmc::tuning {

std::string Machine::describe() const { return cpu + "/" + isa + "/" + std::to_string(threads) + "t"; }

std::string cpuSlug(StringRef model) {
  std::string slug;
  for (char c : model) {
    if (llvm::isAlnum(c))
      slug += llvm::toLower(c);
    else if (!slug.empty() && slug.back() != '-')
      slug += '-';
  }
  while (!slug.empty() && slug.back() == '-')
    slug.pop_back();
  return slug.empty() ? "unknown-cpu" : slug;
}

Machine hostMachine(int64_t threads) {
  Machine m;
  m.threads = threads;
  m.cpu = "unknown-cpu";
  // /proc/cpuinfo's first "model name": the same on every core of the machines dmc runs on.
  if (auto info = llvm::MemoryBuffer::getFileAsStream("/proc/cpuinfo")) {
    SmallVector<StringRef> lines;
    (*info)->getBuffer().split(lines, '\n');
    for (StringRef line : lines)
      if (line.starts_with("model name")) {
        m.cpu = cpuSlug(line.split(':').second);
        break;
      }
  }
  m.isa = "generic";
#if defined(__x86_64__) || defined(__i386__)
  if (expansions::hostHasWideVectors())
    m.isa = "avx512";
  else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    m.isa = "avx2";
#endif
  return m;
}

namespace {
bool sizesKnown(Operation *node) {
  return llvm::all_of(node->getOperandTypes(), [](Type t) {
    auto array = dyn_cast<sdfg::ArrayType>(t);
    return array && llvm::all_of(array.getShape(), [](const Dim &d) { return !d.isSymbolic(); });
  });
}

/// The attributes a choice writes, the label, and the operand counts (the signature lists the operands):
/// not part of what the node computes.
bool isChoiceOrLabel(StringRef name) {
  return name == nn::kImplAttrName || name == nn::kTilesAttrName || name == kTuningAttrName || name == "label" ||
         name == "operandSegmentSizes";
}
} // namespace

bool isTunable(Operation *node) {
  if (!isa<nn::MatMulOp, nn::GemmOp, nn::FusedMatMulOp, nn::AttentionOp, nn::SoftmaxOp, nn::LayerNormOp>(node))
    return false;
  return nn::getImpl(node).empty() && sizesKnown(node);
}

std::vector<unsigned> constantOperands(Operation *node) {
  std::vector<unsigned> positions;
  auto sdfg = node->getParentOfType<sdfg::SDFGOp>();
  if (!sdfg)
    return positions;
  for (auto [i, v] : llvm::enumerate(cast<nn::LibraryNode>(node).getInputs()))
    if (sdfg.isConstantInput(v))
      positions.push_back(i);
  return positions;
}

std::string nodeSignature(Operation *node) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << node->getName().getStringRef() << " ins(";
  auto library = cast<nn::LibraryNode>(node);
  llvm::interleaveComma(library.getInputs(), os, [&](Value v) { v.getType().print(os); });
  os << ") outs(";
  llvm::interleaveComma(library.getOutputs(), os, [&](Value v) { v.getType().print(os); });
  os << ")";
  if (std::vector<unsigned> constant = constantOperands(node); !constant.empty()) {
    os << " constant(";
    llvm::interleaveComma(constant, os);
    os << ")";
  }
  // Attributes at their default values are spelled out, so that a node built with them (by a fusion)
  // and one parsed without them have one signature.
  NamedAttrList kept;
  for (NamedAttribute a : node->getAttrs())
    if (!isChoiceOrLabel(a.getName().strref()))
      kept.push_back(a);
  if (std::optional<RegisteredOperationName> name = node->getRegisteredInfo())
    name->populateDefaultAttrs(kept);
  if (!kept.empty()) {
    os << " ";
    kept.getDictionary(node->getContext()).print(os);
  }
  return text;
}

std::string Choice::describe() const {
  // GEMM blocks in the order m, n, k; other keys alone.
  std::string text = impl;
  for (const char *key : {"m", "n", "k", "q", "rows"})
    if (auto it = tiles.find(key); it != tiles.end())
      text += " " + it->first + "=" + std::to_string(it->second);
  return text;
}

namespace {
/// The extent a block of `dim` elements covers at most: blocks beyond it cut nothing more.
int64_t roundUp(int64_t value, int64_t multiple) { return (value + multiple - 1) / multiple * multiple; }

int64_t constantDim(Value v, int fromEnd) {
  Shape shape = cast<sdfg::ArrayType>(v.getType()).getShape();
  if ((int64_t)shape.size() < fromEnd)
    return 1;
  return shape[shape.size() - fromEnd].value;
}

/// The node's blocks: key, default value, step (the register tile's multiple) and the extent beyond
/// which a larger block is the same as the whole dimension.
struct Block {
  std::string key;
  int64_t value, step, extent;
};

SmallVector<Block> blocksOf(Operation *node) {
  expansions::GemmTiling gemm = expansions::defaultGemmTiling(expansions::hostHasWideVectors());
  auto library = cast<nn::LibraryNode>(node);
  Value out = library.getOutputs().front();
  if (auto attention = dyn_cast<nn::AttentionOp>(node)) {
    expansions::AttentionTiling t = expansions::defaultAttentionTiling(gemm);
    int64_t queries = constantDim(out, 2), keys = constantDim(attention.getInputs()[1], 2);
    return {{"q", t.queries, gemm.mr, roundUp(queries, gemm.mr)}, {"k", t.keys, gemm.nr, roundUp(keys, gemm.nr)}};
  }
  if (isa<nn::SoftmaxOp, nn::LayerNormOp>(node)) {
    int64_t rows = 1;
    Shape shape = cast<sdfg::ArrayType>(out.getType()).getShape();
    for (size_t i = 0; i + 1 < shape.size(); ++i)
      rows *= shape[i].value;
    return {{"rows", expansions::Expander::kDefaultRowBlock, 4, rows}};
  }
  // A GEMM: C is [..., M, N]; K is A's last dim (or its second last, transposed).
  bool transA = node->hasAttr("transpose_a");
  Value a = library.getInputs()[0];
  int64_t m = 1;
  Shape cShape = cast<sdfg::ArrayType>(out.getType()).getShape();
  for (size_t i = 0; i + 1 < cShape.size(); ++i) // batch rows count as rows of a 2-D GEMM when B is shared
    m *= cShape[i].value;
  int64_t n = constantDim(out, 1), k = constantDim(a, transA ? 2 : 1);
  return {{"m", gemm.mc, gemm.mr, roundUp(m, gemm.mr)},
          {"n", gemm.nc, gemm.nr, roundUp(n, gemm.nr)},
          {"k", gemm.kc, 64, roundUp(k, 64)}};
}
} // namespace

std::vector<Choice> candidatesFor(Operation *node, const Choice &defaultChoice, bool withPure) {
  SmallVector<StringRef> available = expansions::implementationsOf(node);
  std::vector<Choice> out;
  auto add = [&](Choice c) {
    if (llvm::is_contained(available, c.impl) && !llvm::is_contained(out, c))
      out.push_back(std::move(c));
  };
  add(defaultChoice);
  add({"library", {}});
  add({nn::kDnnlImpl.str(), {}});
  if (llvm::is_contained(available, "tiled")) {
    SmallVector<Block> blocks = blocksOf(node);
    // A block at least as large as its dimension's extent is the same blocking as the extent itself.
    auto blocking = [&](ArrayRef<int64_t> values) {
      Choice c{"tiled", {}};
      for (auto [block, value] : llvm::zip(blocks, values))
        c.tiles[block.key] = std::min(value, block.extent);
      return c;
    };
    SmallVector<int64_t> defaults;
    for (const Block &b : blocks)
      defaults.push_back(b.value);
    if (!llvm::is_contained(out, Choice{"tiled", {}})) // the default blocks, unless the default is them
      add(blocking(defaults));
    for (size_t i = 0; i < blocks.size(); ++i)
      for (int64_t value : {blocks[i].value / 2, blocks[i].value * 2}) {
        value = std::max(blocks[i].step, value / blocks[i].step * blocks[i].step);
        if (value >= blocks[i].extent && defaults[i] >= blocks[i].extent)
          continue; // the default covers the dimension already
        SmallVector<int64_t> values = defaults;
        values[i] = value;
        add(blocking(values));
      }
  }
  if (withPure)
    add({"pure", {}});
  return out;
}

void applyChoice(Operation *node, const Choice &choice) {
  Builder b(node->getContext());
  node->setAttr(nn::kImplAttrName, b.getStringAttr(choice.impl));
  if (choice.tiles.empty()) {
    node->removeAttr(nn::kTilesAttrName);
    return;
  }
  SmallVector<NamedAttribute> tiles;
  for (auto &[key, value] : choice.tiles)
    tiles.push_back(b.getNamedAttr(key, b.getI64IntegerAttr(value)));
  node->setAttr(nn::kTilesAttrName, b.getDictionaryAttr(tiles));
}

} // namespace dmc::tuning
