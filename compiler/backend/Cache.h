//===- Cache.h - the cache of compiled libraries --------------------------===//
//
// An entry is a folder named by the cache key holding the files of one compile (libNAME.so, NAME.h,
// NAME.manifest.json, NAME.cpp) and checksums.json, the size and SHA-256 of each. An entry is used only
// when every file it needs matches its checksum; one that does not is rebuilt and replaced. Entries are
// built in a private folder inside the cache and renamed into place whole.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_BACKEND_CACHE_H
#define DMC_BACKEND_CACHE_H

#include "compiler/support/Interrupts.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dmc {

/// The largest compiled library (or other cached file) dmc reads back.
constexpr uint64_t kMaxLibraryBytes = uint64_t(1) << 30;

/// Prefixes of the TemporaryFolders a compile makes inside the cache folder: a build in progress, and an
/// entry set aside to be removed. removeAbandonedFolders knows them by these.
constexpr const char *kCacheBuildPrefix = ".build";
constexpr const char *kCacheStalePrefix = ".stale";

/// The files of one compile, by file name.
using CacheFiles = std::map<std::string, std::string>;

/// The default cache folder: $DMC_CACHE_DIR, else $XDG_CACHE_HOME/dmc, else $HOME/.cache/dmc, else a
/// private folder $TMPDIR/dmc-cache-UID (/tmp when $TMPDIR is unset): created with mode 0700, and used only
/// when it is a folder (not a link) owned by this user that no one else may enter. Empty (no cache) after
/// a warning otherwise.
std::string defaultCacheDir();

/// The files `names` of the entry folder `entry`, each checked against checksums.json; nullopt when the
/// entry is missing, incomplete or damaged.
std::optional<CacheFiles> readCacheEntry(const std::string &entry, const std::vector<std::string> &names);

/// Removes build folders and set-aside entries that a compile killed outright (SIGKILL, a crash) left in
/// `cacheDir` more than a day ago.
void removeAbandonedFolders(const std::string &cacheDir);

/// Makes `folder` (inside the cache folder, already holding `files`) the entry `entry`: writes its
/// checksums, then renames it into place, replacing an entry that does not verify. False after a warning.
bool publishCacheEntry(TemporaryFolder &folder, const CacheFiles &files, const std::string &entry);

} // namespace dmc

#endif
