#include "modinput/checkpoint.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <thread>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/fd_io.h"

namespace vd::modinput {
namespace {

constexpr int kFormatVersion = 1;

std::string ErrnoText(std::string_view what, const std::string& path) {
  return std::string(what) + " " + path + ": " + std::strerror(errno);
}

Status WriteFile(int fd, std::string_view data, const std::string& path) {
  if (int err = WriteAll(fd, data); err != 0) {
    errno = err;
    return Status::Io(ErrnoText("write", path));
  }
  return Status::Ok();
}

Status FsyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Status::Io(ErrnoText("open", path));
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  errno = saved;
  if (rc != 0) return Status::Io(ErrnoText("fsync", path));
  return Status::Ok();
}

}  // namespace

std::string CheckpointFileName(std::string_view stanza) {
  uint64_t hash = 1469598103934665603ull;  // FNV-1a 64
  for (char c : stanza) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 1099511628211ull;
  }
  std::string name;
  for (char c : stanza.substr(0, 80)) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_';
    name.push_back(safe ? c : '_');
  }
  char hex[17];
  static const char kDigits[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    hex[i] = kDigits[hash & 0xF];
    hash >>= 4;
  }
  hex[16] = '\0';
  return name + "." + hex + ".json";
}

std::string SerializeCheckpoint(const Checkpoint& checkpoint) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("version");
  w.Int(kFormatVersion);
  w.Key("watermark");
  std::string iso = FormatIso8601(checkpoint.watermark);
  w.String(iso.data(), static_cast<rapidjson::SizeType>(iso.size()));
  w.Key("watermark_ms");
  w.Int64(checkpoint.watermark);
  w.Key("ids");
  w.StartArray();
  for (const SeenId& seen : checkpoint.ids) {
    w.StartArray();
    w.String(seen.id.data(), static_cast<rapidjson::SizeType>(seen.id.size()));
    w.Int64(seen.time);
    w.EndArray();
  }
  w.EndArray();
  w.EndObject();
  std::string out(buffer.GetString(), buffer.GetSize());
  out.push_back('\n');
  return out;
}

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject())
    return Status::Parse("checkpoint is not a JSON object");
  auto version = doc.FindMember("version");
  if (version == doc.MemberEnd() || !version->value.IsInt() ||
      version->value.GetInt() != kFormatVersion) {
    return Status::Parse("checkpoint has an unknown version");
  }
  auto wm = doc.FindMember("watermark_ms");
  auto ids = doc.FindMember("ids");
  if (wm == doc.MemberEnd() || !wm->value.IsInt64() || ids == doc.MemberEnd() ||
      !ids->value.IsArray()) {
    return Status::Parse("checkpoint lacks watermark_ms or ids");
  }
  Checkpoint cp;
  cp.watermark = wm->value.GetInt64();
  for (const auto& entry : ids->value.GetArray()) {
    if (!entry.IsArray() || entry.Size() != 2 || !entry[0].IsString() || !entry[1].IsInt64()) {
      return Status::Parse("checkpoint has a malformed id entry");
    }
    cp.ids.push_back(
        {std::string(entry[0].GetString(), entry[0].GetStringLength()), entry[1].GetInt64()});
  }
  return cp;
}

CheckpointStore::CheckpointStore(std::string dir, std::string_view stanza)
    : dir_(std::move(dir)), path_(dir_ + "/" + CheckpointFileName(stanza)) {}

Result<std::optional<Checkpoint>> CheckpointStore::Load() const {
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<Checkpoint>();
    return Status::Io(ErrnoText("open", path_));
  }
  std::string text;
  const int err = ReadAll(fd, kMaxCheckpointBytes, &text);
  ::close(fd);
  if (err == EFBIG) return Status::Limit("checkpoint " + path_ + " is larger than allowed");
  if (err != 0) {
    errno = err;
    return Status::Io(ErrnoText("read", path_));
  }
  Result<Checkpoint> cp = ParseCheckpoint(text);
  if (!cp.ok()) return Status::Parse(cp.status().message() + ": " + path_);
  return std::optional<Checkpoint>(std::move(cp).value());
}

Status CheckpointStore::Save(const Checkpoint& checkpoint) const {
  if (::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::Io(ErrnoText("mkdir", dir_));
  }
  const std::string tmp = path_ + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Io(ErrnoText("open", tmp));
  Status s = WriteFile(fd, SerializeCheckpoint(checkpoint), tmp);
  if (s.ok() && ::fsync(fd) != 0) s = Status::Io(ErrnoText("fsync", tmp));
  if (::close(fd) != 0 && s.ok()) s = Status::Io(ErrnoText("close", tmp));
  if (!s.ok()) return s;
  if (pause_before_rename_ > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_before_rename_));
  }
  if (::rename(tmp.c_str(), path_.c_str()) != 0) return Status::Io(ErrnoText("rename", tmp));
  return FsyncPath(dir_, O_RDONLY | O_DIRECTORY);
}

}  // namespace vd::modinput
