//===- Names.cpp - names from a user's file: checking and printing --------===//
#include "dialects/Support/Names.h"

#include <algorithm>
#include <cstdio>

namespace dmc {

bool isIdentifier(const std::string &name) {
  auto ascii = [](char c, bool digitOk) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || (digitOk && c >= '0' && c <= '9');
  };
  return !name.empty() && ascii(name[0], false) &&
         std::all_of(name.begin(), name.end(), [&](char c) { return ascii(c, true); });
}

std::string printable(const std::string &text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (c >= 0x20 && c < 0x7f) {
      out += (char)c;
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out;
}

} // namespace dmc
