//===- OutputFilesTest.cpp - outputs are published as a set ---------------===//
#include "compiler/support/Files.h"

#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <dirent.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace {

std::string readAll(const std::string &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> listFolder(const std::string &dir) {
  std::vector<std::string> names;
  if (DIR *d = opendir(dir.c_str())) {
    while (dirent *e = readdir(d))
      if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
        names.push_back(e->d_name);
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct TempDir {
  std::string path;
  TempDir() {
    llvm::SmallString<128> p;
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("dmc-output-files", p));
    path = std::string(p);
  }
  ~TempDir() { llvm::sys::fs::remove_directories(path); }
};

// The second rename fails (its temporary vanished): the file the first rename replaced comes back.
TEST(OutputFiles, FailedRenamePutsBackWhatEarlierRenamesReplaced) {
  TempDir dir;
  std::string a = dir.path + "/liba.so", b = dir.path + "/a.h";
  std::ofstream(a) << "old library";
  dmc::OutputFiles outputs;
  ASSERT_TRUE(outputs.add(a, "new library"));
  ASSERT_TRUE(outputs.add(b, "new header"));
  for (const std::string &name : listFolder(dir.path))
    if (name.rfind("a.h.tmp-", 0) == 0)
      unlink((dir.path + "/" + name).c_str());
  EXPECT_FALSE(outputs.commit());
  EXPECT_EQ(readAll(a), "old library");
  EXPECT_EQ(listFolder(dir.path), std::vector<std::string>{"liba.so"}); // no temporary, no backup left
}

// Success replaces every file and leaves no backup behind.
TEST(OutputFiles, CommitReplacesAllAndLeavesNothingElse) {
  TempDir dir;
  std::string a = dir.path + "/liba.so", b = dir.path + "/a.h";
  std::ofstream(a) << "old library";
  dmc::OutputFiles outputs;
  ASSERT_TRUE(outputs.add(a, "new library"));
  ASSERT_TRUE(outputs.add(b, "new header"));
  EXPECT_TRUE(outputs.commit());
  EXPECT_EQ(readAll(a), "new library");
  EXPECT_EQ(readAll(b), "new header");
  EXPECT_EQ(listFolder(dir.path), (std::vector<std::string>{"a.h", "liba.so"}));
}

} // namespace
