#include "server/style_cache.h"

namespace gs::server {

uint64_t content_hash(const std::string& bytes) {
  uint64_t h = 14695981039346656037ull;
  for (const unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace gs::server
