// dmc::Library against fake graph libraries built by CMake from fake_graph.cpp (graph "vadd":
// B bound to 2, N a run-time symbol, c[B, N] = a[B, N] + b[B, N]).
#include <gtest/gtest.h>

#include <dlfcn.h>

#include <string>
#include <thread>

#include "dmc/runtime/loader.h"

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const dmc::Error& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(Loader, ManifestIsParsed) {
  dmc::Library lib(DMC_FAKE_VADD);
  EXPECT_EQ(lib.name(), "vadd");
  const dmc::Manifest& m = lib.manifest();
  EXPECT_EQ(m.dmc_version, "0.1.0");
  ASSERT_EQ(m.symbols.size(), 2u);
  EXPECT_EQ(m.symbols[0].bound, 2);
  EXPECT_FALSE(m.symbols[1].bound.has_value());
  EXPECT_EQ(m.runtime_symbols(), std::vector<std::string>{"N"});
  ASSERT_EQ(m.args.size(), 3u);
  EXPECT_EQ(m.args[2].role, dmc::ArgRole::Output);
  EXPECT_EQ(m.args[2].index_in_role, 0);
  EXPECT_EQ(dmc::Manifest::shape_string(m.args[0].shape), "[B, N]");
}

TEST(Loader, RunsWithInferredAndGivenSymbols) {
  dmc::Library lib(DMC_FAKE_VADD);
  auto inst = lib.create();
  std::vector<float> a = {1, 2, 3, 4, 5, 6}, b = {10, 20, 30, 40, 50, 60}, c(6, 0);
  inst.run({dmc::TensorRef(a.data(), {2, 3}), dmc::TensorRef(b.data(), {2, 3}), dmc::TensorRef(c.data(), {2, 3})});
  EXPECT_EQ(c, (std::vector<float>{11, 22, 33, 44, 55, 66}));
  std::fill(c.begin(), c.end(), 0.0f);
  inst.run({{"N", 3}, {"B", 2}},
           {dmc::TensorRef(a.data(), {2, 3}), dmc::TensorRef(b.data(), {2, 3}), dmc::TensorRef(c.data(), {2, 3})});
  EXPECT_EQ(c[5], 66.0f);
  const dmc::SymbolValues v = lib.check_arguments(
      {}, {dmc::TensorRef(a.data(), {2, 3}), dmc::TensorRef(b.data(), {2, 3}), dmc::TensorRef(c.data(), {2, 3})});
  EXPECT_EQ(v.at("B"), 2);
  EXPECT_EQ(v.at("N"), 3);
}

TEST(Loader, ArgumentErrorsAreClear) {
  dmc::Library lib(DMC_FAKE_VADD);
  auto inst = lib.create();
  std::vector<float> a(10), b(10), c(10);
  using dmc::TensorRef;
  EXPECT_EQ(error_of([&] { inst.run({TensorRef(a.data(), {2, 4}), TensorRef(b.data(), {2, 5}), TensorRef(c.data(), {2, 4})}); }),
            "argument 'b' (input 1): expected shape [2, 4] but got [2, 5] "
            "(declared [B, N] with B=2 bound at compile time, N=4 from argument 'a')");
  EXPECT_EQ(error_of([&] { inst.run({TensorRef(a.data(), {3, 2}), TensorRef(b.data(), {3, 2}), TensorRef(c.data(), {3, 2})}); }),
            "argument 'a' (input 0): expected shape [2, 2] but got [3, 2] "
            "(declared [B, N] with B=2 bound at compile time, N=2 from argument 'a')");
  EXPECT_EQ(error_of([&] { inst.run({{"N", 5}}, {TensorRef(a.data(), {2, 4}), TensorRef(b.data(), {2, 4}), TensorRef(c.data(), {2, 4})}); }),
            "argument 'a' (input 0): expected shape [2, 5] but got [2, 4] "
            "(declared [B, N] with B=2 bound at compile time, N=5 given)");
  EXPECT_EQ(error_of([&] { inst.run({TensorRef(a.data(), {2, 4}), TensorRef(b.data(), {2, 4})}); }),
            "graph 'vadd': expected 3 arguments (2 inputs, 1 outputs) but got 2");
  EXPECT_EQ(error_of([&] { inst.run({TensorRef(a.data(), {2, 4}), TensorRef(b.data(), {2, 4}), TensorRef(c.data(), {2})}); }),
            "argument 'c' (output 0): expected shape [2, 4] but got [2] "
            "(declared [B, N] with B=2 bound at compile time, N=4 from argument 'a')");
  EXPECT_EQ(error_of([&] {
              inst.run({TensorRef(a.data(), dmc::DType::F16, {2, 4}), TensorRef(b.data(), {2, 4}), TensorRef(c.data(), {2, 4})});
            }),
            "argument 'a' (input 0): expected dtype f32 but got f16");
  EXPECT_EQ(error_of([&] { inst.run({{"B", 3}}, {TensorRef(a.data(), {3, 2}), TensorRef(b.data(), {3, 2}), TensorRef(c.data(), {3, 2})}); }),
            "library 'vadd' was compiled with B=2; only its run-time symbols take other values (its run-time symbols: N)");
  EXPECT_EQ(error_of([&] { inst.run({{"Q", 3}}, {TensorRef(a.data(), {2, 2}), TensorRef(b.data(), {2, 2}), TensorRef(c.data(), {2, 2})}); }),
            "library 'vadd' has no symbol 'Q' (its run-time symbols: N)");
  // A symbol of the graph fixed at compile time takes its value only; one no shape used takes any.
  EXPECT_EQ(error_of([&] { lib.symbol_values({{"E", 16}}); }),
            "library 'vadd' was compiled with E=8; only its run-time symbols take other values (its run-time symbols: N)");
  EXPECT_EQ(lib.symbol_values({{"E", 8}, {"T", 5}, {"N", 3}}), (dmc::SymbolValues{{"B", 2}, {"N", 3}}));
  EXPECT_EQ(lib.manifest().fixed_symbols, (std::map<std::string, int64_t>{{"E", 8}}));
  EXPECT_EQ(lib.manifest().unused_symbols, (std::vector<std::string>{"T"}));
  EXPECT_EQ(error_of([&] { inst.run({TensorRef(static_cast<float*>(nullptr), {2, 2}), TensorRef(b.data(), {2, 2}), TensorRef(c.data(), {2, 2})}); }),
            "argument 'a' (input 0): data pointer is NULL");
  // The fake graph fails for N == 7 and N == 8: a non-zero return code becomes an exception, with the
  // message the graph left in dmcrt_last_error (none for N == 7: an earlier failure's is not reported).
  std::vector<float> big(16);
  EXPECT_EQ(error_of([&] { inst.run({TensorRef(big.data(), {2, 7}), TensorRef(big.data(), {2, 7}), TensorRef(big.data(), {2, 7})}); }),
            "graph 'vadd': dmc_vadd_run_packed failed with code 5");
  EXPECT_EQ(error_of([&] { inst.run({TensorRef(big.data(), {2, 8}), TensorRef(big.data(), {2, 8}), TensorRef(big.data(), {2, 8})}); }),
            "graph 'vadd': transient 't' of shape [N=8, 9223372036854775807] is too large: its size in bytes overflows "
            "int64 (dmc_vadd_run_packed failed with code 2)");
  EXPECT_EQ(error_of([&] { inst.run({TensorRef(big.data(), {2, 7}), TensorRef(big.data(), {2, 7}), TensorRef(big.data(), {2, 7})}); }),
            "graph 'vadd': dmc_vadd_run_packed failed with code 5");
}

// Symbol values and sizes are checked before anything is computed from them (dmc/runtime/sizes.h).
TEST(Loader, SizesAreChecked) {
  dmc::Library lib(DMC_FAKE_VADD);
  auto inst = lib.create();
  std::vector<float> a(10), b(10), c(10);
  using dmc::TensorRef;
  const std::vector<TensorRef> args = {TensorRef(a.data(), {2, 4}), TensorRef(b.data(), {2, 4}), TensorRef(c.data(), {2, 4})};
  EXPECT_EQ(error_of([&] { inst.run({{"N", 0}}, args); }), "graph 'vadd': symbol 'N' = 0 is not a positive size");
  EXPECT_EQ(error_of([&] { inst.run({{"N", -3}}, args); }), "graph 'vadd': symbol 'N' = -3 is not a positive size");
  EXPECT_EQ(error_of([&] { lib.symbol_values({{"N", -3}}); }), "graph 'vadd': symbol 'N' = -3 is not a positive size");
  // Inferred from an argument's shape: the same rule.
  EXPECT_EQ(error_of([&] { inst.run({TensorRef(a.data(), {2, 0}), TensorRef(b.data(), {2, 0}), TensorRef(c.data(), {2, 0})}); }),
            "argument 'a' (input 0): shape [2, 0]: symbol 'N' = 0 is not a positive size");
  // 2 * 2^62 elements overflow int64; 2 * 2^61 elements fit, but not their bytes.
  for (int64_t n : {int64_t{1} << 62, int64_t{1} << 61}) {
    const std::string value = std::to_string(n);
    EXPECT_EQ(error_of([&] { inst.run({{"N", n}}, args); }),
              "graph 'vadd': argument 'a' (input 0) of shape [B=2, N=" + value +
                  "] is too large: its size in bytes overflows int64");
    EXPECT_EQ(error_of([&] { lib.arg_shape(2, lib.symbol_values({{"N", n}})); }),
              "graph 'vadd': argument 'c' (output 0) of shape [B=2, N=" + value +
                  "] is too large: its size in bytes overflows int64");
  }
  const dmc::ArgShape s = lib.arg_shape(0, lib.symbol_values({{"N", 5}}));
  EXPECT_EQ(s.dims, (std::vector<int64_t>{2, 5}));
  EXPECT_EQ(s.elements, 10);
  EXPECT_EQ(s.bytes, 40);
  EXPECT_EQ(s.text, "[B=2, N=5]");
  EXPECT_EQ(error_of([&] { lib.arg_shape(0, {}); }), "graph 'vadd': argument 'a' (input 0): symbol 'B' of shape [B, N] has no value");
}

TEST(Loader, LoadErrors) {
  EXPECT_EQ(error_of([] { dmc::Library("/nonexistent/libx.so"); }), "graph library '/nonexistent/libx.so' does not exist");
  const std::string no_run = error_of([] { dmc::Library lib(DMC_FAKE_NO_RUN_PACKED); });
  EXPECT_NE(no_run.find("does not export 'dmc_vadd_run_packed'"), std::string::npos) << no_run;
  const std::string bad_json = error_of([] { dmc::Library lib(DMC_FAKE_BAD_JSON); });
  EXPECT_NE(bad_json.find("bad manifest"), std::string::npos) << bad_json;
  EXPECT_NE(bad_json.find("invalid JSON"), std::string::npos) << bad_json;
  // Any shared library that is not a dmc graph, e.g. the runtime itself.
  const std::string not_graph = error_of([] { dmc::Library lib(DMC_NOT_A_GRAPH); });
  EXPECT_NE(not_graph.find("does not export 'dmc_manifest'"), std::string::npos) << not_graph;
  // A name without '/' is a file in the current folder, not a library dlopen would find on its search path.
  EXPECT_EQ(error_of([] { dmc::Library("libm.so.6"); }), "graph library 'libm.so.6' does not exist");
}

TEST(Loader, ManifestValidation) {
  auto err = [](const std::string& json) { return error_of([&] { dmc::Manifest::parse(json, "m.json"); }); };
  EXPECT_NE(err(R"({"name": "g", "symbols": [], "args": [{"name": "x", "role": "input", "dtype": "f32", "shape": ["S"]}]})")
                .find("undeclared symbol 'S'"),
            std::string::npos);
  EXPECT_NE(err(R"({"name": "g", "symbols": [], "args": [{"name": "x", "role": "inout", "dtype": "f32", "shape": []}]})")
                .find("unknown role 'inout'"),
            std::string::npos);
  EXPECT_NE(err(R"({"name": "g", "symbols": [], "args": [{"name": "x", "role": "input", "dtype": "i8", "shape": []}]})")
                .find("unknown dtype 'i8'"),
            std::string::npos);
  EXPECT_NE(err(R"({"name": "g", "args": []})").find("has no 'symbols'"), std::string::npos);
  // "constant": a boolean, on inputs only.
  const dmc::Manifest constant = dmc::Manifest::parse(
      R"({"name": "g", "symbols": [], "args": [{"name": "w", "role": "input", "dtype": "f32", "shape": [2], "constant": true},
          {"name": "x", "role": "input", "dtype": "f32", "shape": [2]}]})");
  EXPECT_TRUE(constant.args[0].constant);
  EXPECT_FALSE(constant.args[1].constant);
  EXPECT_EQ(err(R"({"name": "g", "symbols": [], "args": [{"name": "w", "role": "input", "dtype": "f32", "shape": [], "constant": 1}]})"),
            "bad manifest in m.json: args[0] ('w').constant must be true or false");
  EXPECT_EQ(err(R"({"name": "g", "symbols": [], "args": [{"name": "y", "role": "output", "dtype": "f32", "shape": [], "constant": true}]})"),
            "bad manifest in m.json: args[0] ('y') is an output marked constant");
  // fixed_symbols and unused_symbols: optional, identifiers, positive values, no symbol in two lists, and
  // shapes name only run-time symbols.
  EXPECT_EQ(err(R"({"name": "g", "symbols": [], "fixed_symbols": {"E": 8}, "unused_symbols": ["T"], "args": []})"),
            "<no error>");
  EXPECT_EQ(err(R"({"name": "g", "symbols": [], "fixed_symbols": {"E": 0}, "args": []})"),
            "bad manifest in m.json: fixed_symbols.E must be a positive integer");
  EXPECT_EQ(err(R"({"name": "g", "symbols": [], "fixed_symbols": [], "args": []})"),
            "bad manifest in m.json: 'fixed_symbols' must be an object");
  EXPECT_EQ(err(R"({"name": "g", "symbols": [{"name": "S", "bound": null}], "unused_symbols": ["S"], "args": []})"),
            "bad manifest in m.json: symbol 'S' is declared twice");
  EXPECT_NE(err(R"({"name": "g", "symbols": [], "unused_symbols": ["a b"], "args": []})").find("is not an identifier"),
            std::string::npos);
  EXPECT_NE(err(R"({"name": "g", "symbols": [], "fixed_symbols": {"E": 8},
                  "args": [{"name": "x", "role": "input", "dtype": "f32", "shape": ["E"]}]})")
                .find("undeclared symbol 'E'"),
            std::string::npos);
}

// Manifest names become file names (dmc run --inputs/--outputs) and appear in messages: identifiers only,
// a rejected one printed with its control characters escaped.
TEST(Loader, ManifestNamesAreIdentifiers) {
  auto err = [](const std::string& json) { return error_of([&] { dmc::Manifest::parse(json, "m.json"); }); };
  const std::string path = err(R"({"name": "g", "symbols": [], "args": [{"name": "../x", "role": "input", "dtype": "f32", "shape": []}]})");
  EXPECT_NE(path.find(R"(args[0].name "../x" is not an identifier)"), std::string::npos) << path;
  const std::string control = err(R"({"name": "g\u001b[2J", "symbols": [], "args": []})");
  EXPECT_NE(control.find(R"(manifest.name "g\u001b[2J" is not an identifier)"), std::string::npos) << control;
  EXPECT_EQ(control.find('\x1b'), std::string::npos) << control;
  EXPECT_NE(err(R"({"name": "g", "symbols": [{"name": "", "bound": null}], "args": []})").find("is not an identifier"),
            std::string::npos);
  EXPECT_NE(err(R"({"name": "g", "symbols": [], "args": [{"name": "x", "role": "input", "dtype": "f32", "shape": []},
                  {"name": "x", "role": "output", "dtype": "f32", "shape": []}]})")
                .find("argument 'x' is declared twice"),
            std::string::npos);
  // Names of every kind a graph may use pass: keywords, macros, a tensor named like a symbol.
  EXPECT_EQ(err(R"({"name": "compl", "symbols": [{"name": "S", "bound": null}],
                  "args": [{"name": "S", "role": "input", "dtype": "f32", "shape": ["S"]},
                           {"name": "M_PI", "role": "output", "dtype": "f32", "shape": ["S"]}]})"),
            "<no error>");
}

TEST(Loader, ConstantsChangedReachesTheHandle) {
  dmc::Library lib(DMC_FAKE_VADD);
  dmc::Library::Instance inst = lib.create();
  void* dl = dlopen(DMC_FAKE_VADD, RTLD_NOW | RTLD_NOLOAD);  // the loader's, already loaded
  ASSERT_NE(dl, nullptr);
  auto changes = reinterpret_cast<int64_t (*)(void*)>(dlsym(dl, "dmc_vadd_test_constants_changed"));
  ASSERT_NE(changes, nullptr);
  inst.constants_changed();
  inst.constants_changed();
  EXPECT_EQ(changes(inst.handle()), 2);
  dlclose(dl);
  // A library older than the entry point has nothing derived from constants to redo: no error.
  dmc::Library old(DMC_FAKE_OLD_ABI);
  dmc::Library::Instance old_inst = old.create();
  EXPECT_EQ(error_of([&] { old_inst.constants_changed(); }), "<no error>");
  dmc::Library::Instance moved = std::move(old_inst);
  EXPECT_EQ(error_of([&] { old_inst.constants_changed(); }), "constants_changed on an empty (moved-from) graph instance");
}

TEST(Loader, InstancesOutliveLibraryAndRunConcurrently) {
  std::vector<dmc::Library::Instance> instances;
  {
    dmc::Library lib(DMC_FAKE_VADD);
    for (int i = 0; i < 4; ++i) instances.push_back(lib.create());
  }  // the library stays loaded while instances hold it
  std::vector<std::thread> threads;
  std::vector<std::string> errors(instances.size());
  for (size_t t = 0; t < instances.size(); ++t) {
    threads.emplace_back([&, t] {
      std::vector<float> a(2 * 100, 1.0f), b(2 * 100, static_cast<float>(t)), c(2 * 100);
      for (int rep = 0; rep < 50; ++rep)
        instances[t].run({dmc::TensorRef(a.data(), {2, 100}), dmc::TensorRef(b.data(), {2, 100}),
                          dmc::TensorRef(c.data(), {2, 100})});
      if (c[199] != 1.0f + t) errors[t] = "wrong result";
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  dmc::Library::Instance moved = std::move(instances[0]);
  EXPECT_NE(moved.handle(), nullptr);
  EXPECT_EQ(instances[0].handle(), nullptr);
}

}  // namespace
