#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace vd::modinput {

// A record already written whose time lies inside the overlap the next poll re-reads.
struct SeenId {
  std::string id;
  TimeMs time = 0;
};

// Per-stanza progress (DESIGN.md §4): the watermark (the newest record time written so far,
// or the window's upper end once a window is complete) and the ids written inside
// [watermark - lag, watermark].
struct Checkpoint {
  TimeMs watermark = 0;
  std::vector<SeenId> ids;
};

// One checkpoint file per stanza in splunkd's checkpoint_dir. Saving is atomic and durable:
// temp file, fsync, rename over the old file, fsync of the directory — a kill at any
// instant leaves either the old or the new checkpoint, never a partial one.
class CheckpointStore {
 public:
  CheckpointStore(std::string dir, std::string_view stanza);

  // nullopt when there is no checkpoint yet; an error when the file exists but is unreadable
  // or malformed (the input must then stop rather than silently start over).
  Result<std::optional<Checkpoint>> Load() const;
  Status Save(const Checkpoint& checkpoint) const;
  // Makes sure a Save can succeed before anything is collected: the directory exists (it is
  // created when only its last component is missing, as Save would) and is writable. A poll
  // whose checkpoint cannot be saved would re-send its events at every run.
  Status Prepare() const;

  const std::string& path() const { return path_; }

  // Test-only: sleep this long between the durable temp file and the rename, so a crash test
  // can kill the process exactly there.
  void set_pause_before_rename(DurationMs ms) { pause_before_rename_ = ms; }

 private:
  std::string dir_;
  std::string path_;
  DurationMs pause_before_rename_ = 0;
};

// File name for a stanza: its safe characters plus a hash of the full name, so distinct
// stanzas never share a file and no name can escape the directory.
std::string CheckpointFileName(std::string_view stanza);

// The serialized form (JSON), exposed for tests.
std::string SerializeCheckpoint(const Checkpoint& checkpoint);
Result<Checkpoint> ParseCheckpoint(std::string_view text);

inline constexpr size_t kMaxCheckpointBytes = 256u << 20;

}  // namespace vd::modinput
