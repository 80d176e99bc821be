//===- Cache.cpp - the cache of compiled libraries ------------------------===//
#include "compiler/backend/Cache.h"
#include "compiler/support/Files.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace dmc {
namespace {

constexpr const char *kChecksums = "checksums.json";

std::string sha256(const std::string &bytes) {
  auto digest = llvm::SHA256::hash(llvm::ArrayRef<uint8_t>((const uint8_t *)bytes.data(), bytes.size()));
  return llvm::toHex(digest, /*LowerCase=*/true);
}

/// $TMPDIR/dmc-cache-UID, created private; empty when it exists but is not safely ours.
std::string privateCacheDir() {
  const char *tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/dmc-cache-" + std::to_string(geteuid());
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    llvm::errs() << "dmc: warning: cannot create the cache folder " << dir << ": " << std::strerror(errno)
                 << "; compiling without the cache\n";
    return "";
  }
  // Another user may have made it first (the name is predictable): never trust theirs.
  struct stat st;
  if (lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077)) {
    llvm::errs() << "dmc: warning: " << dir
                 << " is not a private folder of this user (a link, someone else's, or open to others); "
                    "compiling without the cache (set $DMC_CACHE_DIR)\n";
    return "";
  }
  return dir;
}

} // namespace

std::string defaultCacheDir() {
  if (const char *dir = std::getenv("DMC_CACHE_DIR"); dir && *dir)
    return dir;
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::string(xdg) + "/dmc";
  if (const char *home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/dmc";
  return privateCacheDir();
}

std::optional<CacheFiles> readCacheEntry(const std::string &entry, const std::vector<std::string> &names) {
  std::string error;
  std::optional<std::string> listText = readRegularFile(entry + "/" + kChecksums, error, kMaxInputBytes);
  if (!listText)
    return std::nullopt;
  nlohmann::json list = nlohmann::json::parse(*listText, nullptr, /*allow_exceptions=*/false);
  if (!list.is_object())
    return std::nullopt;
  CacheFiles files;
  for (const std::string &name : names) {
    auto it = list.find(name);
    if (it == list.end() || !it->is_object() || !(*it)["size"].is_number_unsigned() || !(*it)["sha256"].is_string())
      return std::nullopt;
    std::optional<std::string> bytes = readRegularFile(entry + "/" + name, error, kMaxLibraryBytes);
    // The bytes checked are the bytes used: no window for the file to change in between.
    if (!bytes || bytes->size() != (*it)["size"].get<uint64_t>() || sha256(*bytes) != (*it)["sha256"])
      return std::nullopt;
    files[name] = std::move(*bytes);
  }
  return files;
}

void removeAbandonedFolders(const std::string &cacheDir) {
  std::error_code ec;
  auto dayAgo = std::chrono::system_clock::now() - std::chrono::hours(24);
  for (llvm::sys::fs::directory_iterator it(cacheDir, ec), end; it != end && !ec; it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    llvm::sys::fs::file_status status;
    bool ours = name.starts_with(std::string(kCacheBuildPrefix) + "-") ||
                name.starts_with(std::string(kCacheStalePrefix) + "-"); // TemporaryFolder's PREFIX-XXXXXXXX
    if (ours && !llvm::sys::fs::status(it->path(), status) && status.getLastModificationTime() < dayAgo)
      llvm::sys::fs::remove_directories(it->path());
  }
}

bool publishCacheEntry(TemporaryFolder &folder, const CacheFiles &files, const std::string &entry) {
  nlohmann::json list = nlohmann::json::object();
  for (const auto &[name, bytes] : files)
    list[name] = {{"size", bytes.size()}, {"sha256", sha256(bytes)}};
  if (!writeOutputFile(folder.file(kChecksums), list.dump(2) + "\n"))
    return false;
  std::vector<std::string> names;
  for (const auto &file : files)
    names.push_back(file.first);
  int error = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (std::rename(folder.path().c_str(), entry.c_str()) == 0) {
      folder.release();
      return true;
    }
    error = errno;
    // An entry is there already: a concurrent compile's (then keep it), or a damaged one (move it aside,
    // then remove it, so that no reader ever sees a folder half deleted).
    if (error != ENOTEMPTY && error != EEXIST && error != ENOTDIR)
      break;
    if (readCacheEntry(entry, names))
      return true;
    std::error_code ec;
    TemporaryFolder stale(llvm::sys::path::parent_path(entry).str(), kCacheStalePrefix, ec);
    if (ec) {
      error = ec.value();
      break;
    }
    std::string aside = stale.file("entry");
    if (std::rename(entry.c_str(), aside.c_str()) != 0) {
      error = errno;
      continue; // someone else moved it: try again
    }
    llvm::sys::fs::remove_directories(aside);
    llvm::sys::fs::remove(aside);
  }
  llvm::errs() << "dmc: warning: cannot store the library in the cache at " << entry << ": " << std::strerror(error)
               << "\n";
  return false;
}

} // namespace dmc
