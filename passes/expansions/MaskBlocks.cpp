//===- MaskBlocks.cpp - key blocks a mask expression may keep -------------===//
#include "passes/expansions/MaskBlocks.h"

using namespace mlir;

namespace dmc::expansions {
namespace {
using expr::Node;
using expr::Op;

/// a*i + b*j + c >= 0, or an atom the analysis cannot use (`unknown`: it may be true).
struct Atom {
  int64_t a = 0, b = 0, c = 0;
  bool unknown = false;
};
using Conjunct = std::vector<Atom>;
using Dnf = std::vector<Conjunct>;

/// Past this many conjuncts the analysis gives up (every block, masked).
constexpr size_t kMaxConjuncts = 16;

Dnf unknownDnf() { return {{Atom{0, 0, 0, true}}}; }

/// i, j coefficients and the constant of an affine int tree without h, or nullopt.
std::optional<Atom> affineIJ(const Node &n) {
  std::optional<expr::Affine> f = expr::affineOf(n);
  if (!f)
    return std::nullopt;
  Atom atom;
  atom.c = f->constant;
  for (auto &[v, k] : f->coefficients) {
    if (v == "i")
      atom.a = k;
    else if (v == "j")
      atom.b = k;
    else if (k != 0)
      return std::nullopt; // h
  }
  return atom;
}

/// x - y + k, as an atom (>= 0), or nullopt on overflow.
std::optional<Atom> difference(const Atom &x, const Atom &y, int64_t k) {
  Atom d;
  if (__builtin_sub_overflow(x.a, y.a, &d.a) || __builtin_sub_overflow(x.b, y.b, &d.b) ||
      __builtin_sub_overflow(x.c, y.c, &d.c) || __builtin_add_overflow(d.c, k, &d.c))
    return std::nullopt;
  return d;
}

Dnf orOf(Dnf x, const Dnf &y) {
  x.insert(x.end(), y.begin(), y.end());
  return x;
}
std::optional<Dnf> andOf(const Dnf &x, const Dnf &y) {
  if (x.size() * y.size() > kMaxConjuncts)
    return std::nullopt;
  Dnf out;
  for (const Conjunct &p : x)
    for (const Conjunct &q : y) {
      Conjunct r = p;
      r.insert(r.end(), q.begin(), q.end());
      out.push_back(r);
    }
  return out;
}

/// `lhs op rhs` over ints as a DNF of atoms (op one of <, <=, >, >=, ==, !=).
std::optional<Dnf> compare(Op op, const Node &lhs, const Node &rhs) {
  // Normalise to lhs <= rhs + k forms: x op y.
  if (op == Op::Gt || op == Op::Ge)
    return compare(op == Op::Gt ? Op::Lt : Op::Le, rhs, lhs);
  // |e| on one side: |e| <= f is e <= f && -e <= f; f <= |e| is f <= e || f <= -e.
  auto negated = [](const Node &n) {
    Node neg;
    neg.op = Op::Neg, neg.type = n.type;
    neg.args.push_back(n);
    return neg;
  };
  bool strict = op == Op::Lt;
  if ((op == Op::Lt || op == Op::Le) && lhs.op == Op::Abs) {
    auto x = compare(op, lhs.args[0], rhs), y = compare(op, negated(lhs.args[0]), rhs);
    return x && y ? andOf(*x, *y) : std::nullopt;
  }
  if ((op == Op::Lt || op == Op::Le) && rhs.op == Op::Abs) {
    auto x = compare(op, lhs, rhs.args[0]), y = compare(op, lhs, negated(rhs.args[0]));
    return x && y ? std::optional<Dnf>(orOf(*x, *y)) : std::nullopt;
  }
  std::optional<Atom> x = affineIJ(lhs), y = affineIJ(rhs);
  if (!x || !y)
    return unknownDnf();
  switch (op) {
  case Op::Lt:
  case Op::Le: { // y - x - (strict) >= 0
    auto d = difference(*y, *x, strict ? -1 : 0);
    return d ? Dnf{{*d}} : unknownDnf();
  }
  case Op::Eq: {
    auto d1 = difference(*y, *x, 0), d2 = difference(*x, *y, 0);
    return d1 && d2 ? Dnf{{*d1, *d2}} : unknownDnf();
  }
  case Op::Ne: {
    auto d1 = difference(*y, *x, -1), d2 = difference(*x, *y, -1);
    return d1 && d2 ? Dnf{{*d1}, {*d2}} : unknownDnf();
  }
  default:
    return unknownDnf();
  }
}

Op negatedComparison(Op op) {
  switch (op) {
  case Op::Lt: return Op::Ge;
  case Op::Le: return Op::Gt;
  case Op::Gt: return Op::Le;
  case Op::Ge: return Op::Lt;
  case Op::Eq: return Op::Ne;
  default: return Op::Eq;
  }
}

/// The mask (or its negation) as a DNF; nullopt when it grows past kMaxConjuncts.
std::optional<Dnf> dnfOf(const Node &n, bool negate) {
  switch (n.op) {
  case Op::BoolLit:
    return (n.intValue != 0) != negate ? Dnf{Conjunct{}} : Dnf{};
  case Op::Not:
    return dnfOf(n.args[0], !negate);
  case Op::And:
  case Op::Or: {
    auto x = dnfOf(n.args[0], negate), y = dnfOf(n.args[1], negate);
    if (!x || !y)
      return std::nullopt;
    bool conjunction = (n.op == Op::And) != negate;
    if (!conjunction) {
      Dnf both = orOf(*x, *y);
      return both.size() > kMaxConjuncts ? std::nullopt : std::optional<Dnf>(both);
    }
    return andOf(*x, *y);
  }
  case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: case Op::Eq: case Op::Ne:
    if (n.args[0].type != expr::Type::Int)
      return unknownDnf();
    return compare(negate ? negatedComparison(n.op) : n.op, n.args[0], n.args[1]);
  default:
    return unknownDnf();
  }
}

/// Far more key blocks than any sizes give: a row condition g >= 1 times this is no bound, g <= 0 an
/// empty range. Used only where |g| stays below 2^22, so the product fits int64.
constexpr int64_t kBig = int64_t(1) << 40;
constexpr int64_t kMaxGuard = int64_t(1) << 22;

/// A range of key blocks [max(los), min(his)) and whether the mask may cut its blocks.
struct Piece {
  SmallVector<IndexFn> los, his;
  bool masked;
};

/// Past this many pieces (sequential maps, each with the whole key-block body) a union of conjuncts
/// visits every block instead.
constexpr size_t kMaxPieces = 16;

struct Builder {
  Expander &e;
  IndexFn q0;
  int64_t bq, bk, rows; // rows: the query count (constant: expressions need bound sizes)
  IndexFn blocks;

  /// a * (the row of the block that maximises a*i, or that minimises it).
  IndexFn aTimesRow(int64_t a, bool maximise) const {
    bool last = (a > 0) == maximise;
    IndexFn q = q0;
    int64_t bq1 = bq - 1;
    return [=](AffineOperands &o) { return (last ? q(o) + bq1 : q(o)) * a; };
  }

  /// The pieces of one conjunct and their hull. Map bounds take sdfg.max (lower) and sdfg.min (upper)
  /// of affine expressions, none nested: so the bounds stay flat lists, lower ones maxima and upper ones
  /// minima, as in bandRanges; every list starts with 0 (lower) or `blocks` (upper). The blocks where the
  /// conjunct holds everywhere, [fl, fh), are split off when each is one expression and no atom is in i
  /// alone.
  std::pair<SmallVector<Piece>, Piece> piecesOf(const Conjunct &conj) {
    SmallVector<IndexFn> los{constant(0)}, his{blocks}, fullLos, fullHis;
    bool provable = true;
    for (const Atom &t : conj) {
      int64_t a = t.a, b = t.b, c = t.c, k = bk;
      if (t.unknown) {
        provable = false;
      } else if (b == 0) { // in i alone: no row of the block satisfies it, nothing is kept
        provable = false;
        bool small = std::abs(a) < kMaxGuard / (rows + bq) && std::abs(c) < kMaxGuard;
        if (small) {
          IndexFn ai = aTimesRow(a, true);
          his.push_back([=](AffineOperands &o) { return (ai(o) + (c + 1)) * kBig; });
        }
      } else if (b > 0) { // j >= ceil((-c - a*i) / b): the smallest bound is at the row maximising a*i
        IndexFn some = aTimesRow(a, true), every = aTimesRow(a, false);
        los.push_back([=](AffineOperands &o) { return (-some(o) - c).ceilDiv(b).floorDiv(k); });
        // every key of the block, from kb * bk, satisfies it when kb * bk >= ceil((-c - min a*i) / b)
        fullLos.push_back([=](AffineOperands &o) { return (-every(o) - c).ceilDiv(b).ceilDiv(k); });
      } else { // j <= floor((c + a*i) / -b): the largest bound is at the row maximising a*i
        IndexFn some = aTimesRow(a, true), every = aTimesRow(a, false);
        int64_t nb = -b;
        his.push_back([=](AffineOperands &o) { return (some(o) + c).floorDiv(nb).floorDiv(k) + 1; });
        // the block's last key kb * bk + bk - 1 <= floor((c + min a*i) / -b)
        fullHis.push_back([=](AffineOperands &o) { return ((every(o) + c).floorDiv(nb) + 1).floorDiv(k); });
      }
    }
    Piece hull{los, his, true};
    if (!provable || fullLos.size() > 1 || fullHis.size() > 1)
      return {{hull}, hull};
    // [lo, min(hi, fl)) cut, [max(lo, fl), min(hi, fh)) kept, [max(lo, fl, fh), hi) cut: disjoint, and
    // together [lo, hi), even where the kept range is empty.
    auto joined = [](SmallVector<IndexFn> x, ArrayRef<IndexFn> y, ArrayRef<IndexFn> z = {}) {
      x.append(y.begin(), y.end());
      x.append(z.begin(), z.end());
      return x;
    };
    SmallVector<Piece> out;
    if (!fullLos.empty())
      out.push_back({los, joined(his, fullLos), true});
    out.push_back({joined(los, fullLos), joined(his, fullHis), false});
    if (!fullHis.empty())
      out.push_back({joined(los, fullLos, fullHis), his, true});
    return {out, hull};
  }
};

/// The parts of `p` outside `r`: [max PL, min PH) less [max RL, min RH) is the part below max RL and
/// the part from max(max RL, min RH) on (the latter form stays right when r is empty). A maximum in an
/// upper bound or a minimum in a lower one cannot be a flat map bound, so each part is split where the
/// inner bound's terms take over: [L, min(H, max(a_1..a_n))) is the union over k of
/// [max(L, a_1..a_(k-1)), min(H, a_k)), and [max(L, min(b_1..b_n)), H) the union over k of
/// [max(L, b_k), min(H, b_(k+1)..b_n)); the parts are disjoint. The terms RL[0] = 0 and RH[0] = blocks
/// give empty parts and are skipped.
SmallVector<Piece> minus(const Piece &p, const Piece &r) {
  SmallVector<Piece> out;
  for (size_t k = 1; k < r.los.size(); ++k) {
    Piece below = p;
    below.los.append(r.los.begin(), r.los.begin() + k);
    below.his.push_back(r.los[k]);
    out.push_back(std::move(below));
  }
  for (size_t k = 1; k < r.his.size(); ++k) {
    Piece above = p;
    above.los.append(r.los.begin(), r.los.end());
    above.los.push_back(r.his[k]);
    above.his.append(r.his.begin() + k + 1, r.his.end());
    out.push_back(std::move(above));
  }
  return out;
}

} // namespace

SmallVector<KeyBlocks> maskExprRanges(Expander &e, const Node &mask, IndexFn q0, int64_t bq, int64_t bk,
                                      int64_t rows, IndexFn blocks) {
  SmallVector<KeyBlocks> everyBlock{{constant(0), blocks, true}};
  std::optional<Dnf> dnf = dnfOf(mask, false);
  if (!dnf)
    return everyBlock;
  // A union of conjuncts: each conjunct's pieces less the hulls of the conjuncts before it, so that no
  // block is visited twice. A block one conjunct keeps whole is kept whole by the union.
  Builder builder{e, q0, bq, bk, rows, blocks};
  SmallVector<Piece> pieces, hulls;
  for (const Conjunct &conj : *dnf) {
    auto [own, hull] = builder.piecesOf(conj);
    for (const Piece &earlier : hulls) {
      SmallVector<Piece> rest;
      for (const Piece &p : own)
        rest.append(minus(p, earlier));
      own = std::move(rest);
      if (pieces.size() + own.size() > kMaxPieces)
        return everyBlock;
    }
    pieces.append(own.begin(), own.end());
    hulls.push_back(std::move(hull));
  }
  SmallVector<KeyBlocks> out;
  for (const Piece &p : pieces)
    out.push_back({param(buildMax(e, p.los)), param(buildMin(e, p.his)), p.masked});
  return out;
}

} // namespace dmc::expansions
