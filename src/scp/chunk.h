#pragma once

#include <string>

namespace vd::scp {

// One protocol message as it travelled: the JSON metadata and the (CSV) body, both raw bytes.
struct Chunk {
  std::string metadata;
  std::string body;
};

}  // namespace vd::scp
