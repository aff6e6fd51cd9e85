// The style cache: keyed by content (and variant), least recently used out first, within its budget.
#include "server/style_cache.h"

#include <doctest/doctest.h>

TEST_CASE("style cache: hits by content, misses by variant, evicts the least recently used") {
  gs::server::LruCache<int> cache(100);
  const std::string a(10, 'a'), b(10, 'b'), c(10, 'c');
  CHECK(!cache.get(a, "512"));
  cache.put(a, "512", 1, 30);  // 40 with the bytes
  cache.put(b, "512", 2, 30);
  CHECK(cache.get(a, "512") == 1);
  CHECK(!cache.get(a, "256"));  // another size is another entry
  CHECK(cache.used_bytes() == 80u);
  cache.put(c, "512", 3, 30);   // over budget: b (least recent) goes
  CHECK(cache.entries() == 2u);
  CHECK(!cache.get(b, "512"));
  CHECK(cache.get(a, "512") == 1);
  CHECK(cache.get(c, "512") == 3);
  cache.put(c, "512", 4, 30);   // replacing keeps one entry
  CHECK(cache.get(c, "512") == 4);
  CHECK(cache.entries() == 2u);
  cache.put(std::string(10, 'd'), "512", 5, 1000);  // larger than the budget: not kept
  CHECK(cache.entries() == 2u);
  CHECK(cache.hits() == 4u);
  CHECK(cache.misses() == 3u);
  CHECK(gs::server::content_hash(a) != gs::server::content_hash(b));
  CHECK(gs::server::content_hash("") == 14695981039346656037ull);
}
