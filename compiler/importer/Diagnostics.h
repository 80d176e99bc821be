//===- Diagnostics.h - errors about a user's graph file -------------------===//
//
// Errors name the file, where in it (a JSON path such as `nodes[3].inputs[1]`, or line:col for syntax
// errors) and what is wrong. They are collected, then printed together, so one run shows every problem.
// Every message passes through `printable` when it is added: the file name, JSON keys, names and values
// are the user's, and none of them may put control characters or terminal escapes into the output.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_IMPORTER_DIAGNOSTICS_H
#define DMC_IMPORTER_DIAGNOSTICS_H

#include "dialects/Support/Names.h"

#include <ostream>
#include <string>
#include <vector>

namespace dmc {

class Diagnostics {
public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void error(const std::string &where, const std::string &message) { add("error", where, message); }
  void warning(const std::string &where, const std::string &message) { add("warning", where, message); }
  bool hasErrors() const { return numErrors_ > 0; }
  const std::string &file() const { return file_; }
  const std::vector<std::string> &messages() const { return messages_; }
  void print(std::ostream &os) const {
    for (const std::string &m : messages_)
      os << m << "\n";
  }

private:
  void add(const char *severity, const std::string &where, const std::string &message) {
    if (severity[0] == 'e')
      ++numErrors_;
    messages_.push_back(printable(file_ + ": " + severity + ": " + (where.empty() ? "" : where + ": ") + message));
  }
  std::string file_;
  std::vector<std::string> messages_;
  int numErrors_ = 0;
};

} // namespace dmc

#endif
