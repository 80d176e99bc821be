//===- Files.h - reading inputs and publishing outputs safely -------------===//
//
// Inputs: `-` is standard input; any other input must be a regular file, and is read with a size limit
// (a device, FIFO or folder gets a diagnostic at once instead of a hang). The identity (device, inode)
// of every input read is remembered, and no output may be written onto it, whatever its name.
//
// Outputs: `-` is standard output. A regular file (or a new one) is replaced by renaming a complete
// temporary from the same folder onto it; anything else that exists (a character device such as
// /dev/null, a FIFO, a symbolic link such as /dev/stdout) is written through, never replaced. The
// outputs of one command are written as a set (OutputFiles): outputs written through go first, then
// every replaced file is renamed from a complete temporary, and a failed rename puts back the files the
// earlier renames replaced, so the replaced files all change or none does (what was written through
// stays written). Every failure (open, write, close, rename) is reported.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_SUPPORT_FILES_H
#define DMC_SUPPORT_FILES_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dmc {

/// The largest input file (graph or IR) dmc reads.
constexpr uint64_t kMaxInputBytes = uint64_t(64) << 20;

/// The contents of the input `path`, or nullopt with `error` set (a message without the path). Standard
/// input (`-`) is read at the first call; later calls return the same result.
std::optional<std::string> readInputFile(const std::string &path, std::string &error,
                                         uint64_t limit = kMaxInputBytes);

/// The contents of the regular file `path` (not remembered as an input), or nullopt with `error` set.
std::optional<std::string> readRegularFile(const std::string &path, std::string &error, uint64_t limit);

/// A message when `path` names a file dmc has read as input (compared by device and inode), else empty.
std::string inputOverwriteError(const std::string &path);

/// Whether an output at `path` is replaced by rename (a regular file or nothing yet) rather than written
/// through (standard output, a device, a FIFO, a symbolic link).
bool isReplacedByRename(const std::string &path);

/// The outputs of one command. `add` writes each file to a temporary beside it (or holds the bytes of a
/// written-through output); `commit` publishes them all. Temporaries not committed are removed, also when
/// dmc is interrupted. Errors are printed to stderr as `dmc: error: ...`.
class OutputFiles {
public:
  OutputFiles() = default;
  OutputFiles(const OutputFiles &) = delete;
  OutputFiles &operator=(const OutputFiles &) = delete;
  ~OutputFiles();

  /// Stages `contents` for `path`; `mode` is that of a new file (before the umask). False after an error.
  bool add(const std::string &path, std::string contents, unsigned mode = 0666);
  /// Publishes every staged file. False after an error; then every file a rename replaced is back as it
  /// was (from a hard link made before the rename; a file that cannot be linked is removed instead).
  bool commit();

private:
  struct Staged {
    std::string path;
    std::string temporary; // empty: written through at commit
    std::string contents;  // only for written-through outputs
  };
  void discard();
  std::vector<Staged> staged_;
};

/// One output written alone (an OutputFiles of one file).
bool writeOutputFile(const std::string &path, std::string contents, unsigned mode = 0666);

/// Flushes llvm::outs() and stdio's stdout; false after a message when standard output could not be
/// written (ENOSPC, EIO).
bool flushStandardOutput();

} // namespace dmc

#endif
