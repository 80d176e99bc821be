//===- Names.h - names from a user's file: checking and printing ----------===//
//
// Plain C++, shared by the importer, the verifiers, the driver and the backend. A user's name reaches
// generated C++ only after `isIdentifier` accepted it (and the emitter prefixed it, docs/abi.md#names); it
// reaches a message only through `printable`, so a name cannot put control characters or terminal escape
// sequences into a diagnostic.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_SUPPORT_NAMES_H
#define DMC_SUPPORT_NAMES_H

#include <string>

namespace dmc {

/// True for [A-Za-z_][A-Za-z0-9_]*: the names that may reach generated C++.
bool isIdentifier(const std::string &name);

/// `text` with every byte outside printable ASCII written as \xNN, so that what is printed is one line of
/// plain characters. Backslashes pass through: messages already quote some values as JSON (`"a\u0001"`).
std::string printable(const std::string &text);

} // namespace dmc

#endif
