//===- Interrupts.h - temporaries and child processes on SIGINT/SIGTERM --===//
//
// A compile creates temporaries (a build folder, files beside its outputs) and runs the system compiler.
// When dmc is interrupted (SIGINT, SIGTERM, SIGHUP), the compiler's whole process group is stopped and
// every registered temporary is removed before the signal ends dmc with its conventional status.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_SUPPORT_INTERRUPTS_H
#define DMC_SUPPORT_INTERRUPTS_H

#include <csignal>
#include <string>
#include <system_error>
#include <vector>

namespace dmc {

/// Installs the handlers, once, before llvm::InitLLVM: LLVM's handlers then run first and hand the signal
/// on to ours, and a signal ignored when dmc started (a background job's SIGINT, nohup's SIGHUP) stays
/// ignored.
void installInterruptCleanup();

/// Registers `path` (a file, or a folder that is empty once the files registered after it are gone)
/// for removal if dmc is interrupted; `keepOnInterrupt` undoes that. Removal runs in reverse order.
void removeOnInterrupt(const std::string &path);
void keepOnInterrupt(const std::string &path);

/// Holds the interrupt signals back while it lives (a step that must not be cut in half, such as
/// publishing a set of outputs); a signal that came meanwhile is delivered when it ends.
class InterruptsHeldBack {
public:
  InterruptsHeldBack();
  ~InterruptsHeldBack();
  InterruptsHeldBack(const InterruptsHeldBack &) = delete;
  InterruptsHeldBack &operator=(const InterruptsHeldBack &) = delete;

private:
  sigset_t previous_;
};

/// Runs `argv` (argv[0] a path to the program) in its own process group, stdin from /dev/null, stdout and
/// stderr into `logPath`; the group is stopped if dmc is interrupted (also with several running at once,
/// from several threads), and the child is signalled if dmc
/// dies. Returns the exit status (128+N for a signal N), or -1 with `error` set when it cannot start.
int runInOwnProcessGroup(const std::vector<std::string> &argv, const std::string &logPath, std::string &error);

/// A fresh private folder (mode 0700) under `parent` (the system's temporary folder when empty), removed
/// with its contents on destruction and on interrupt, unless released.
class TemporaryFolder {
public:
  TemporaryFolder(const std::string &parent, const std::string &prefix, std::error_code &ec);
  TemporaryFolder(const TemporaryFolder &) = delete;
  TemporaryFolder &operator=(const TemporaryFolder &) = delete;
  ~TemporaryFolder();

  const std::string &path() const { return path_; }
  /// `path()/name`, registered for removal on interrupt (`name` may contain a subfolder created with it).
  std::string file(const std::string &name);
  /// Keeps the folder (for inspection, or renamed elsewhere): no longer removed.
  void release();

private:
  std::string path_;
  std::vector<std::string> registered_;
  bool released_ = false;
};

} // namespace dmc

#endif
