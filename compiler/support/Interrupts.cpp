//===- Interrupts.cpp - temporaries and child processes on SIGINT/SIGTERM -===//
#include "compiler/support/Interrupts.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace dmc {
namespace {

constexpr int kInterruptSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction previousActions[std::size(kInterruptSignals)];

// The registry is read by the signal handler, so it is a fixed array of atomic pointers, filled in
// order and never reused. A string is never freed nor dropped, since a handler on another thread may
// still be reading it; it stays reachable from `registered` (no leak), and `active` says whether it is
// still to be removed. A compile registers a handful of paths, so the slots last a long `dmc bench`.
constexpr size_t kSlots = 512;
std::atomic<const char *> registered[kSlots];
std::atomic<bool> active[kSlots];
std::atomic<size_t> usedSlots{0};

/// The running children (dmc tune runs several compiles at once), each the leader of its own process
/// group; 0 in a free slot.
constexpr size_t kChildSlots = 64;
std::atomic<pid_t> runningChildren[kChildSlots];

/// The slot that now holds `child`, or kChildSlots when all are taken (then an interrupt leaves the child
/// to PR_SET_PDEATHSIG).
size_t holdChild(pid_t child) {
  for (size_t i = 0; i < kChildSlots; ++i) {
    pid_t free = 0;
    if (runningChildren[i].compare_exchange_strong(free, child))
      return i;
  }
  return kChildSlots;
}

/// Stops the children's process groups: SIGTERM first (g++ then removes its own temporaries), SIGKILL
/// after two seconds. Async-signal-safe.
void stopChildGroups() {
  for (std::atomic<pid_t> &slot : runningChildren)
    if (pid_t child = slot.load(); child > 0)
      kill(-child, SIGTERM);
  for (std::atomic<pid_t> &slot : runningChildren) {
    pid_t child = slot.load();
    if (child <= 0)
      continue;
    bool exited = false;
    for (int i = 0; i < 200 && !exited; ++i) {
      int status;
      exited = waitpid(child, &status, WNOHANG) != 0;
      struct timespec tick = {0, 10 * 1000 * 1000};
      if (!exited)
        nanosleep(&tick, nullptr);
    }
    if (!exited) {
      kill(-child, SIGKILL);
      int status;
      waitpid(child, &status, 0);
    }
  }
}

void onInterrupt(int signal) {
  int savedErrno = errno;
  stopChildGroups();
  for (size_t i = std::min(usedSlots.load(), kSlots); i-- > 0;)
    if (const char *path = registered[i].load(); path && active[i].load())
      if (unlink(path) != 0 && (errno == EISDIR || errno == EPERM))
        rmdir(path);
  // Let the signal end dmc as it would have without us (the default action).
  for (size_t i = 0; i < std::size(kInterruptSignals); ++i)
    if (kInterruptSignals[i] == signal)
      sigaction(signal, &previousActions[i], nullptr);
  errno = savedErrno;
  raise(signal);
}

} // namespace

void installInterruptCleanup() {
  static bool installed = false;
  if (installed)
    return;
  installed = true;
  for (size_t i = 0; i < std::size(kInterruptSignals); ++i) {
    struct sigaction action;
    std::memset(&action, 0, sizeof action);
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    for (int other : kInterruptSignals) // one cleanup at a time
      sigaddset(&action.sa_mask, other);
    sigaction(kInterruptSignals[i], nullptr, &previousActions[i]);
    if (previousActions[i].sa_handler == SIG_IGN) // nohup and background jobs keep ignoring it
      continue;
    sigaction(kInterruptSignals[i], &action, nullptr);
  }
}

InterruptsHeldBack::InterruptsHeldBack() {
  sigset_t interrupts;
  sigemptyset(&interrupts);
  for (int s : kInterruptSignals)
    sigaddset(&interrupts, s);
  sigprocmask(SIG_BLOCK, &interrupts, &previous_);
}

InterruptsHeldBack::~InterruptsHeldBack() { sigprocmask(SIG_SETMASK, &previous_, nullptr); }

void removeOnInterrupt(const std::string &path) {
  size_t slot = usedSlots.fetch_add(1);
  if (slot >= kSlots) // a full registry only loses cleanup, never correctness
    return;
  registered[slot].store(strdup(path.c_str()));
  active[slot].store(true);
}

void keepOnInterrupt(const std::string &path) {
  for (size_t i = std::min(usedSlots.load(), kSlots); i-- > 0;) {
    const char *entry = registered[i].load();
    if (entry && active[i].load() && path == entry) {
      active[i].store(false);
      return;
    }
  }
}

int runInOwnProcessGroup(const std::vector<std::string> &argv, const std::string &logPath, std::string &error) {
  std::vector<char *> args;
  for (const std::string &a : argv)
    args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  int log = open(logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (log < 0 || null < 0) {
    error = std::string("cannot open ") + (log < 0 ? logPath : "/dev/null") + ": " + std::strerror(errno);
    if (log >= 0)
      close(log);
    if (null >= 0)
      close(null);
    return -1;
  }
  // The child reports a failed exec through this pipe (closed by a successful exec).
  int execFailure[2];
  if (pipe2(execFailure, O_CLOEXEC) != 0) {
    error = std::string("cannot start ") + argv[0] + ": " + std::strerror(errno);
    close(log);
    close(null);
    return -1;
  }
  pid_t parent = getpid();
  // Interrupts wait until the child's pid is known, so that the handler can always stop it.
  sigset_t interrupts, previousMask;
  sigemptyset(&interrupts);
  for (int s : kInterruptSignals)
    sigaddset(&interrupts, s);
  sigprocmask(SIG_BLOCK, &interrupts, &previousMask);
  pid_t child = fork();
  if (child == 0) { // only async-signal-safe calls until exec
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM); // dmc killed outright (SIGKILL): the compiler goes too
    if (getppid() != parent)
      _exit(127);
    dup2(null, 0);
    dup2(log, 1);
    dup2(log, 2);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execv(args[0], args.data());
    int execErrno = errno;
    (void)!write(execFailure[1], &execErrno, sizeof execErrno);
    _exit(127);
  }
  int forkErrno = errno;
  close(log);
  close(null);
  close(execFailure[1]);
  if (child < 0) {
    close(execFailure[0]);
    sigprocmask(SIG_SETMASK, &previousMask, nullptr);
    error = std::string("cannot start ") + argv[0] + ": " + std::strerror(forkErrno);
    return -1;
  }
  setpgid(child, child); // also here: the handler may signal the group before the child runs
  size_t slot = holdChild(child);
  sigprocmask(SIG_SETMASK, &previousMask, nullptr);
  int execErrno = 0;
  ssize_t got;
  while ((got = read(execFailure[0], &execErrno, sizeof execErrno)) < 0 && errno == EINTR)
    ;
  close(execFailure[0]);
  int status = 0;
  pid_t waited;
  while ((waited = waitpid(child, &status, 0)) < 0 && errno == EINTR)
    ;
  if (slot < kChildSlots)
    runningChildren[slot].store(0);
  if (waited < 0) {
    error = std::string("cannot wait for ") + argv[0] + ": " + std::strerror(errno);
    return -1;
  }
  if (got == sizeof execErrno) {
    error = std::string("cannot run ") + argv[0] + ": " + std::strerror(execErrno);
    return -1;
  }
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

TemporaryFolder::TemporaryFolder(const std::string &parent, const std::string &prefix, std::error_code &ec) {
  llvm::SmallString<256> model;
  if (parent.empty())
    llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, model);
  else
    model = parent;
  llvm::sys::path::append(model, prefix + "-%%%%%%%%");
  llvm::SmallString<256> created;
  for (int attempt = 0; attempt < 128; ++attempt) {
    llvm::sys::fs::createUniquePath(model, created, /*MakeAbsolute=*/false);
    ec = llvm::sys::fs::create_directory(created, /*IgnoreExisting=*/false, llvm::sys::fs::perms::owner_all);
    if (ec != std::errc::file_exists)
      break;
  }
  if (ec)
    return;
  path_ = std::string(created);
  removeOnInterrupt(path_);
  registered_.push_back(path_);
}

std::string TemporaryFolder::file(const std::string &name) {
  std::string path = path_ + "/" + name;
  removeOnInterrupt(path);
  registered_.push_back(path);
  return path;
}

void TemporaryFolder::release() {
  for (const std::string &path : registered_)
    keepOnInterrupt(path);
  released_ = true;
}

TemporaryFolder::~TemporaryFolder() {
  if (path_.empty() || released_)
    return;
  llvm::sys::fs::remove_directories(path_);
  release();
}

} // namespace dmc
