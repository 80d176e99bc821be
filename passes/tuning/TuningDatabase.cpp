//===- TuningDatabase.cpp - reading and merging the tuning file ------------===//
#include "passes/tuning/TuningDatabase.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace dmc::tuning {
namespace {
constexpr const char *kFormat = "dmc-tuning-1";
/// Far above any real database (an entry is a few hundred bytes): a larger file is not read.
constexpr uint64_t kMaxDatabaseBytes = uint64_t(64) << 20;

nlohmann::json choiceJson(const Choice &c) {
  nlohmann::json tiles = nlohmann::json::object();
  for (auto &[key, value] : c.tiles)
    tiles[key] = value;
  return {{"impl", c.impl}, {"tiles", tiles}};
}

std::optional<Choice> choiceFrom(const nlohmann::json &j) {
  if (!j.is_object() || !j.contains("impl") || !j["impl"].is_string())
    return std::nullopt;
  Choice c{j["impl"].get<std::string>(), {}};
  if (j.contains("tiles")) {
    if (!j["tiles"].is_object())
      return std::nullopt;
    for (auto &[key, value] : j["tiles"].items()) {
      if (!value.is_number_integer() || value.get<int64_t>() <= 0)
        return std::nullopt;
      c.tiles[key] = value.get<int64_t>();
    }
  }
  return c;
}

nlohmann::json entryJson(const Entry &e) {
  nlohmann::json j = choiceJson(e.choice);
  j.update({{"cpu", e.machine.cpu},
            {"isa", e.machine.isa},
            {"threads", e.machine.threads},
            {"node", e.node},
            {"median_ms", e.medianMs},
            {"default", choiceJson(e.defaultChoice)},
            {"default_ms", e.defaultMs},
            {"tuned_at", e.tunedAt}});
  return j;
}

std::optional<Entry> entryFrom(const nlohmann::json &j) {
  auto isString = [&](const char *key) { return j.contains(key) && j[key].is_string(); };
  if (!j.is_object() || !isString("cpu") || !isString("isa") || !isString("node") || !j.contains("threads") ||
      !j["threads"].is_number_integer())
    return std::nullopt;
  std::optional<Choice> choice = choiceFrom(j);
  if (!choice)
    return std::nullopt;
  Entry e;
  e.machine = {j["cpu"].get<std::string>(), j["isa"].get<std::string>(), j["threads"].get<int64_t>()};
  e.node = j["node"].get<std::string>();
  e.choice = *choice;
  e.medianMs = j.value("median_ms", 0.0);
  if (j.contains("default"))
    e.defaultChoice = choiceFrom(j["default"]).value_or(Choice{});
  e.defaultMs = j.value("default_ms", 0.0);
  e.tunedAt = j.value("tuned_at", std::string());
  return e;
}

bool sameKey(const Entry &a, const Entry &b) {
  return a.machine.cpu == b.machine.cpu && a.machine.isa == b.machine.isa && a.machine.threads == b.machine.threads &&
         a.node == b.node;
}
} // namespace

std::optional<Database> Database::read(const std::string &path, std::string &error) {
  Database db;
  if (!llvm::sys::fs::exists(path))
    return db;
  uint64_t size = 0;
  if (llvm::sys::fs::file_size(path, size) || size > kMaxDatabaseBytes) {
    error = size > kMaxDatabaseBytes ? "larger than 64 MiB" : "cannot be read";
    return std::nullopt;
  }
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer) {
    error = buffer.getError().message();
    return std::nullopt;
  }
  nlohmann::json j = nlohmann::json::parse((*buffer)->getBuffer().str(), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("format", std::string()) != kFormat || !j.contains("entries") ||
      !j["entries"].is_array()) {
    error = std::string("is not a tuning database (a JSON object with \"format\": \"") + kFormat +
            "\" and an \"entries\" array)";
    return std::nullopt;
  }
  for (const nlohmann::json &item : j["entries"]) {
    std::optional<Entry> e = entryFrom(item);
    if (!e) {
      error = "has a malformed entry: " + item.dump().substr(0, 200);
      return std::nullopt;
    }
    db.entries_.push_back(std::move(*e));
  }
  return db;
}

const Entry *Database::find(const Machine &machine, llvm::StringRef node) const {
  for (const Entry &e : entries_)
    if (e.machine.cpu == machine.cpu && e.machine.isa == machine.isa && e.machine.threads == machine.threads &&
        e.node == node)
      return &e;
  return nullptr;
}

bool Database::merge(const std::string &path, const std::vector<Entry> &entries, std::string &error) {
  llvm::StringRef folder = llvm::sys::path::parent_path(path);
  if (std::error_code ec = llvm::sys::fs::create_directories(folder.empty() ? "." : folder)) {
    error = "cannot create " + folder.str() + ": " + ec.message();
    return false;
  }
  std::string lockPath = path + ".lock";
  int lock = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0 || ::flock(lock, LOCK_EX) != 0) {
    error = "cannot lock " + lockPath + ": " + std::strerror(errno);
    if (lock >= 0)
      ::close(lock);
    return false;
  }
  struct Unlock {
    int fd;
    ~Unlock() { ::close(fd); } // closing releases the lock
  } unlock{lock};

  // Under the lock: the file as the last writer left it, with this run's entries merged in.
  std::optional<Database> db = read(path, error);
  if (!db)
    return false;
  for (const Entry &e : entries) {
    auto same = llvm::find_if(db->entries_, [&](const Entry &old) { return sameKey(old, e); });
    if (same != db->entries_.end())
      *same = e;
    else
      db->entries_.push_back(e);
  }
  nlohmann::json out = {{"format", kFormat}, {"entries", nlohmann::json::array()}};
  for (const Entry &e : db->entries_)
    out["entries"].push_back(entryJson(e));

  llvm::SmallString<256> temporary;
  int fd = -1;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(path + ".%%%%%%.tmp", fd, temporary)) {
    error = "cannot create a file beside " + path + ": " + ec.message();
    return false;
  }
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << out.dump(1) << "\n";
    os.close();
    if (os.has_error()) {
      error = "cannot write " + temporary.str().str() + ": " + os.error().message();
      os.clear_error();
      llvm::sys::fs::remove(temporary);
      return false;
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(temporary, path)) {
    error = "cannot replace " + path + ": " + ec.message();
    llvm::sys::fs::remove(temporary);
    return false;
  }
  return true;
}

} // namespace dmc::tuning
