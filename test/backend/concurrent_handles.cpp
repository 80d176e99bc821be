// Distinct handles of one compiled graph run concurrently from different threads and give the same
// bits as a run on its own. usage: concurrent_handles libNAME.so [NAME=VALUE ...]
#include <dmc/runtime/loader.h>

#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s libNAME.so [SYMBOL=VALUE ...]\n", argv[0]);
    return 2;
  }
  try {
    dmc::Library lib(argv[1]);
    dmc::SymbolValues symbols;
    for (int i = 2; i < argc; ++i) {
      std::string kv = argv[i];
      symbols[kv.substr(0, kv.find('='))] = std::stoll(kv.substr(kv.find('=') + 1));
    }
    for (const dmc::SymbolSpec &s : lib.manifest().symbols)
      if (s.bound)
        symbols[s.name] = *s.bound;
    // One set of inputs; one output buffer set per thread (plus the sequential reference).
    const int kThreads = 4;
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.0f, 0.5f);
    std::vector<std::vector<float>> inputs;
    std::vector<std::vector<std::vector<float>>> outputs(kThreads + 1);
    std::vector<std::vector<int64_t>> shapes;
    for (size_t i = 0; i < lib.manifest().args.size(); ++i) {
      const dmc::ArgSpec &arg = lib.manifest().args[i];
      const dmc::ArgShape shape = lib.arg_shape(i, symbols); // checked for overflow
      const int64_t n = shape.elements;
      shapes.push_back(shape.dims);
      if (arg.role == dmc::ArgRole::Input) {
        inputs.emplace_back(n);
        for (float &x : inputs.back())
          x = normal(rng);
      } else {
        for (auto &o : outputs)
          o.emplace_back(n);
      }
    }
    auto argsFor = [&](int which) {
      std::vector<dmc::TensorRef> args;
      size_t in = 0, out = 0;
      for (size_t i = 0; i < lib.manifest().args.size(); ++i) {
        if (lib.manifest().args[i].role == dmc::ArgRole::Input)
          args.emplace_back(static_cast<const float *>(inputs[in++].data()), shapes[i]);
        else
          args.emplace_back(outputs[which][out++].data(), shapes[i]);
      }
      return args;
    };
    lib.create().run(symbols, argsFor(kThreads));
    std::vector<std::thread> threads;
    std::vector<std::string> errors(kThreads);
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        try {
          auto instance = lib.create();
          for (int rep = 0; rep < 3; ++rep)
            instance.run(symbols, argsFor(t));
        } catch (const std::exception &e) {
          errors[t] = e.what();
        }
      });
    for (auto &th : threads)
      th.join();
    int failures = 0;
    for (int t = 0; t < kThreads; ++t) {
      if (!errors[t].empty()) {
        std::printf("FAIL thread %d: %s\n", t, errors[t].c_str());
        ++failures;
        continue;
      }
      for (size_t o = 0; o < outputs[t].size(); ++o)
        if (std::memcmp(outputs[t][o].data(), outputs[kThreads][o].data(), outputs[t][o].size() * sizeof(float))) {
          std::printf("FAIL thread %d: output %zu differs from the sequential run\n", t, o);
          ++failures;
        }
    }
    std::printf("%d passed, %d failed\n", kThreads - failures, failures);
    return failures ? 1 : 0;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
