//===- Files.cpp - reading inputs and publishing outputs safely -----------===//
#include "compiler/support/Files.h"
#include "compiler/support/Interrupts.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

namespace dmc {
namespace {

struct InputIdentity {
  dev_t device;
  ino_t inode;
  std::string path;
};
std::mutex inputsMutex;
std::vector<InputIdentity> inputsRead;

void rememberInput(const struct stat &st, const std::string &path) {
  std::lock_guard<std::mutex> lock(inputsMutex);
  inputsRead.push_back({st.st_dev, st.st_ino, path});
}

const char *kindOf(mode_t mode) {
  if (S_ISDIR(mode))
    return "a folder";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISSOCK(mode))
    return "a socket";
  return "not a regular file";
}

std::string sizeText(uint64_t bytes) {
  return bytes % (1 << 20) == 0 ? std::to_string(bytes >> 20) + " MiB" : std::to_string(bytes) + " bytes";
}

/// Reads `fd` to its end, failing past `limit` bytes.
std::optional<std::string> readAll(int fd, uint64_t limit, std::string &error) {
  std::string text;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      error = std::string("cannot read: ") + std::strerror(errno);
      return std::nullopt;
    }
    if (n == 0)
      return text;
    if (text.size() + n > limit) {
      error = "larger than " + sizeText(limit) + ", the limit for an input";
      return std::nullopt;
    }
    text.append(buffer, n);
  }
}

/// Writes all of `data` to `fd`; 0 or the errno of the failure.
int writeAll(int fd, const std::string &data) {
  const char *p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return errno;
    p += n;
    left -= n;
  }
  return 0;
}

void reportWriteError(const std::string &path, int error) {
  llvm::errs() << "dmc: error: cannot write " << path << ": " << std::strerror(error) << "\n";
}

} // namespace

namespace {
/// Reads the regular file `path`; its status goes to `st`.
std::optional<std::string> readRegular(const std::string &path, std::string &error, uint64_t limit,
                                       struct stat &st) {
  // O_NONBLOCK: opening a FIFO with no writer must not hang before fstat refuses it.
  int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    error = std::string("cannot open the file: ") + std::strerror(errno);
    return std::nullopt;
  }
  std::optional<std::string> text;
  if (fstat(fd, &st) != 0)
    error = std::string("cannot read: ") + std::strerror(errno);
  else if (!S_ISREG(st.st_mode))
    error = std::string("not a regular file (") + kindOf(st.st_mode) + ")";
  else if (uint64_t(st.st_size) > limit)
    error = "larger than " + sizeText(limit) + ", the limit for an input (" + std::to_string(st.st_size) + " bytes)";
  else
    text = readAll(fd, limit, error);
  close(fd);
  return text;
}
} // namespace

std::optional<std::string> readRegularFile(const std::string &path, std::string &error, uint64_t limit) {
  struct stat st;
  return readRegular(path, error, limit, st);
}

std::optional<std::string> readInputFile(const std::string &path, std::string &error, uint64_t limit) {
  struct stat st;
  if (path == "-") {
    // Standard input can be read once; a command that loads its input again (dmc bench, once per -O
    // level) gets the same text, and the same error.
    static std::mutex stdinMutex;
    static std::optional<std::optional<std::string>> stdinText;
    static std::string stdinError;
    std::lock_guard<std::mutex> lock(stdinMutex);
    if (!stdinText) {
      if (fstat(0, &st) == 0 && S_ISREG(st.st_mode))
        rememberInput(st, "<stdin>");
      stdinText = readAll(0, limit, stdinError);
    }
    error = stdinError;
    return *stdinText;
  }
  std::optional<std::string> text = readRegular(path, error, limit, st);
  if (text)
    rememberInput(st, path);
  return text;
}

std::string inputOverwriteError(const std::string &path) {
  struct stat st;
  if (path == "-" || stat(path.c_str(), &st) != 0)
    return "";
  std::lock_guard<std::mutex> lock(inputsMutex);
  for (const InputIdentity &input : inputsRead)
    if (input.device == st.st_dev && input.inode == st.st_ino)
      return "refusing to overwrite the input " + input.path + " with the output " + path;
  return "";
}

bool isReplacedByRename(const std::string &path) {
  struct stat st;
  if (path == "-")
    return false;
  if (lstat(path.c_str(), &st) != 0)
    return errno == ENOENT;
  return S_ISREG(st.st_mode);
}

bool OutputFiles::add(const std::string &path, std::string contents, unsigned mode) {
  if (std::string message = inputOverwriteError(path); !message.empty()) {
    llvm::errs() << "dmc: error: " << message << "\n";
    return false;
  }
  struct stat st;
  bool exists = path != "-" && lstat(path.c_str(), &st) == 0;
  if (path == "-" || (exists && !S_ISREG(st.st_mode))) {
    struct stat target;
    if (path != "-" && stat(path.c_str(), &target) == 0 && S_ISDIR(target.st_mode)) {
      llvm::errs() << "dmc: error: cannot write " << path << ": it is a folder\n";
      return false;
    }
    staged_.push_back({path, "", std::move(contents)});
    return true;
  }
  llvm::SmallString<256> folder(path);
  llvm::sys::path::remove_filename(folder);
  if (folder.empty())
    folder = ".";
  if (std::error_code ec = llvm::sys::fs::create_directories(folder)) {
    llvm::errs() << "dmc: error: cannot create the folder " << folder << " for " << path << ": " << ec.message()
                 << "\n";
    return false;
  }
  llvm::SmallString<256> temporary;
  int fd = -1;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(path + ".tmp-%%%%%%", fd, temporary,
                                                           llvm::sys::fs::OF_None, mode)) {
    llvm::errs() << "dmc: error: cannot write " << path << ": " << ec.message() << "\n";
    return false;
  }
  std::string tmp(temporary);
  removeOnInterrupt(tmp);
  staged_.push_back({path, tmp, ""});
  int error = writeAll(fd, contents);
  if (!error && exists && fchmod(fd, st.st_mode & 07777) != 0) // a replaced file keeps its mode
    error = errno;
  if (close(fd) != 0 && !error)
    error = errno;
  if (error) {
    reportWriteError(path, error);
    discard();
    return false;
  }
  return true;
}

bool OutputFiles::commit() {
  // Outputs written through (devices, FIFOs, links, stdout) first: they are the ones that can fail now.
  for (Staged &file : staged_) {
    if (!file.temporary.empty())
      continue;
    if (file.path == "-") {
      llvm::outs() << file.contents;
      if (!flushStandardOutput()) {
        discard();
        return false;
      }
      continue;
    }
    int fd = open(file.path.c_str(), O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC);
    int error = fd < 0 ? errno : writeAll(fd, file.contents);
    if (fd >= 0 && close(fd) != 0 && !error)
      error = errno;
    if (error) {
      reportWriteError(file.path, error);
      discard();
      return false;
    }
  }
  // The renames run with interrupts held back, so that an interrupt leaves all outputs or none.
  InterruptsHeldBack heldBack;
  bool ok = true;
  // (path, backup) of each output renamed into place; the backup is a hard link to the file it replaced
  // (empty when there was none or no link could be made), so a later failed rename can put it back.
  std::vector<std::pair<std::string, std::string>> published;
  for (Staged &file : staged_) {
    if (file.temporary.empty())
      continue;
    std::string backup = file.temporary + ".old";
    if (link(file.path.c_str(), backup.c_str()) != 0)
      backup.clear();
    if (std::rename(file.temporary.c_str(), file.path.c_str()) != 0) {
      reportWriteError(file.path, errno);
      if (!backup.empty())
        unlink(backup.c_str());
      ok = false;
      break;
    }
    keepOnInterrupt(file.temporary);
    file.temporary.clear();
    published.emplace_back(file.path, backup);
  }
  for (const auto &[path, backup] : published) {
    if (ok) {
      if (!backup.empty())
        unlink(backup.c_str());
    } else if (backup.empty() || std::rename(backup.c_str(), path.c_str()) != 0) {
      unlink(path.c_str());
    }
  }
  if (!ok)
    discard();
  staged_.clear();
  return ok;
}

void OutputFiles::discard() {
  for (Staged &file : staged_)
    if (!file.temporary.empty()) {
      unlink(file.temporary.c_str());
      keepOnInterrupt(file.temporary);
    }
  staged_.clear();
}

OutputFiles::~OutputFiles() { discard(); }

bool writeOutputFile(const std::string &path, std::string contents, unsigned mode) {
  OutputFiles files;
  return files.add(path, std::move(contents), mode) && files.commit();
}

bool flushStandardOutput() {
  llvm::outs().flush();
  std::string failure;
  if (llvm::outs().has_error()) {
    failure = llvm::outs().error().message();
    llvm::outs().clear_error(); // reported: not again as a fatal error at exit
  }
  // Reports printed through stdio (dmc run, dmc bench) share the descriptor.
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    if (failure.empty())
      failure = std::strerror(errno);
    std::clearerr(stdout);
  }
  if (failure.empty())
    return true;
  llvm::errs() << "dmc: error: cannot write to standard output: " << failure << "\n";
  return false;
}

} // namespace dmc
