#include <doctest/doctest.h>

#include "data/test_files.h"
#include "data/zip_reader.h"
#include "shared_path.h"

using gs::data::ZipReader;
using gs::test::make_zip;
using gs::test::TempDir;
using gs::test::write_file;

TEST_CASE("pth zip reader: crc32 matches the zip polynomial") {
  CHECK(gs::data::crc32("") == 0u);
  CHECK(gs::data::crc32("123456789") == 0xcbf43926u);  // the standard check value
}

TEST_CASE("pth zip reader: lists and reads stored entries") {
  TempDir dir;
  std::string path = dir.file("a.zip");
  write_file(path, make_zip({{"top/a.txt", "hello"}, {"top/empty", ""}, {"top/b.bin", std::string("\0\1\2", 3)}}));
  ZipReader zip(path);
  CHECK(zip.names() == std::vector<std::string>{"top/a.txt", "top/empty", "top/b.bin"});
  CHECK(zip.has("top/a.txt"));
  CHECK_FALSE(zip.has("a.txt"));
  CHECK(zip.size("top/a.txt") == 5);
  CHECK(zip.read("top/a.txt") == "hello");
  CHECK(zip.read("top/empty").empty());
  CHECK(zip.read("top/b.bin") == std::string("\0\1\2", 3));
  CHECK_THROWS_WITH_AS(zip.read("nope"), doctest::Contains("no entry named 'nope'"), std::runtime_error);
}

TEST_CASE("pth zip reader: zip64 extra fields give the sizes and offset") {
  TempDir dir;
  std::string path = dir.file("z64.zip");
  gs::test::ZipEntrySpec first{"x/first", "abc"}, second{"x/second", "0123456789"};
  first.zip64 = second.zip64 = true;
  write_file(path, make_zip({first, second}));
  ZipReader zip(path);
  CHECK(zip.size("x/second") == 10);
  CHECK(zip.read("x/first") == "abc");
  CHECK(zip.read("x/second") == "0123456789");
}

TEST_CASE("pth zip reader: a compressed entry is refused, naming the file and entry") {
  TempDir dir;
  std::string path = dir.file("deflated.zip");
  gs::test::ZipEntrySpec entry{"arch/data.pkl", "not really deflated"};
  entry.method = 8;
  write_file(path, make_zip({entry}));
  ZipReader zip(path);
  CHECK_THROWS_WITH_AS(zip.read("arch/data.pkl"),
                       gs::test::contains(path + ": entry 'arch/data.pkl' is compressed (deflate)"),
                       std::runtime_error);
}

TEST_CASE("pth zip reader: damaged and non-zip files") {
  TempDir dir;
  CHECK_THROWS_WITH_AS(ZipReader(dir.file("missing.zip")), doctest::Contains("missing.zip: no such file"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(ZipReader(dir.file("")), doctest::Contains("is a directory"), std::runtime_error);

  std::string text = dir.file("notes.txt");
  write_file(text, "just some text\n");
  CHECK_THROWS_WITH_AS(ZipReader{text}, doctest::Contains("notes.txt: not a zip archive"),
                       std::runtime_error);

  std::string archive = make_zip({{"t/a", "payload-payload"}});
  std::string truncated = dir.file("truncated.zip");
  write_file(truncated, archive.substr(0, archive.size() - 10));
  CHECK_THROWS_WITH_AS(ZipReader{truncated}, doctest::Contains("truncated"), std::runtime_error);

  // Flip one byte of the data: the CRC catches it.
  std::string damaged = dir.file("damaged.zip");
  std::string bytes = archive;
  bytes[bytes.find("payload")] = 'P';
  write_file(damaged, bytes);
  ZipReader zip(damaged);
  CHECK_THROWS_WITH_AS(zip.read("t/a"), doctest::Contains("CRC-32 mismatch"), std::runtime_error);
}

TEST_CASE("pth zip reader: torch.save's zip archive") {
  std::string path = gs::test::shared_file("weights/vgg_normalised.zip.pth");
  if (path.empty()) return;
  ZipReader zip(path);
  CHECK(zip.has("vgg_normalised.zip/data.pkl"));
  CHECK(zip.read("vgg_normalised.zip/version") == "3\n");
  // conv0's weight: 3 x 3 x 1 x 1 float32.
  CHECK(zip.read("vgg_normalised.zip/data/0").size() == 36);
  CHECK(zip.size("vgg_normalised.zip/data/18") == 4718592);  // conv4_1: 512 x 256 x 3 x 3 x 4 bytes
}
