#include "data/zip_reader.h"

#include <array>
#include <filesystem>
#include <stdexcept>

namespace gs::data {

namespace {

// Record signatures ("PK" + two bytes), read as little-endian 32-bit numbers.
constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr uint32_t kZip64EndOfCentralDirectory = 0x06064b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr uint16_t kZip64ExtraField = 0x0001;

constexpr size_t kEndRecordSize = 22;
constexpr size_t kZip64LocatorSize = 20;
constexpr size_t kZip64EndRecordSize = 56;
constexpr size_t kCentralHeaderSize = 46;
constexpr size_t kLocalHeaderSize = 30;
constexpr size_t kMaxCommentSize = 0xffff;

// Little-endian fields of a record held in `bytes`; the caller has checked the record fits.
uint64_t read_le(const std::string& bytes, size_t pos, int width) {
  uint64_t v = 0;
  for (int i = width - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[pos + i]);
  return v;
}
uint16_t u16(const std::string& b, size_t pos) { return static_cast<uint16_t>(read_le(b, pos, 2)); }
uint32_t u32(const std::string& b, size_t pos) { return static_cast<uint32_t>(read_le(b, pos, 4)); }
uint64_t u64(const std::string& b, size_t pos) { return read_le(b, pos, 8); }

std::string method_name(uint16_t method) {
  switch (method) {
    case 8: return "deflate";
    case 9: return "deflate64";
    case 12: return "bzip2";
    case 14: return "lzma";
    case 93: return "zstd";
    default: return "compression method " + std::to_string(method);
  }
}

}  // namespace

uint32_t crc32(std::string_view bytes) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  uint32_t c = 0xffffffffu;
  for (char ch : bytes) c = table[(c ^ static_cast<unsigned char>(ch)) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

ZipReader::ZipReader(const std::string& path) : path_(path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw std::runtime_error(path + ": no such file");
  if (fs::is_directory(path, ec)) throw std::runtime_error(path + ": is a directory, expected a zip archive");
  file_.open(path, std::ios::binary);
  if (!file_) throw std::runtime_error(path + ": cannot open for reading");
  file_size_ = fs::file_size(path, ec);
  if (ec) throw std::runtime_error(path + ": cannot read the file size: " + ec.message());
  read_central_directory();
}

void ZipReader::fail(const std::string& problem) const {
  throw std::runtime_error("zip archive " + path_ + ": " + problem);
}

std::string ZipReader::read_at(uint64_t offset, uint64_t count, const char* what) {
  if (offset > file_size_ || count > file_size_ - offset)
    fail(std::string(what) + " at byte " + std::to_string(offset) + " (" + std::to_string(count) +
         " bytes) runs past the end of the file (" + std::to_string(file_size_) + " bytes): truncated?");
  std::string bytes(count, '\0');
  file_.clear();
  file_.seekg(static_cast<std::streamoff>(offset));
  file_.read(bytes.data(), static_cast<std::streamsize>(count));
  if (!file_) fail(std::string("cannot read ") + what + " at byte " + std::to_string(offset));
  return bytes;
}

void ZipReader::read_central_directory() {
  // The end record sits at the very end, followed only by a comment of up to 64 KiB, so scan the
  // tail backwards for its signature.
  uint64_t tail_size = std::min<uint64_t>(file_size_, kEndRecordSize + kMaxCommentSize);
  uint64_t tail_start = file_size_ - tail_size;
  std::string tail = read_at(tail_start, tail_size, "end of file");
  int64_t found = -1;
  for (int64_t pos = static_cast<int64_t>(tail_size) - static_cast<int64_t>(kEndRecordSize); pos >= 0; --pos) {
    if (u32(tail, pos) == kEndOfCentralDirectory && pos + kEndRecordSize + u16(tail, pos + 20) <= tail_size) {
      found = pos;
      break;
    }
  }
  if (found < 0) fail("no end-of-central-directory record: not a zip archive, or a truncated one");
  uint64_t end_record = tail_start + found;

  uint64_t entry_count = u16(tail, found + 10);
  uint64_t directory_size = u32(tail, found + 12);
  uint64_t directory_offset = u32(tail, found + 16);

  // A zip64 locator just before the end record points at the zip64 end record, whose 64-bit
  // counts replace the saturated 16/32-bit ones (PyTorch writes them for every archive).
  if (end_record >= kZip64LocatorSize) {
    std::string locator = read_at(end_record - kZip64LocatorSize, kZip64LocatorSize, "zip64 locator");
    if (u32(locator, 0) == kZip64Locator) {
      uint64_t record_offset = u64(locator, 8);
      std::string record = read_at(record_offset, kZip64EndRecordSize, "zip64 end-of-central-directory record");
      if (u32(record, 0) != kZip64EndOfCentralDirectory)
        fail("the zip64 locator points at byte " + std::to_string(record_offset) +
             ", which is not a zip64 end-of-central-directory record");
      entry_count = u64(record, 32);
      directory_size = u64(record, 40);
      directory_offset = u64(record, 48);
    }
  }

  std::string directory = read_at(directory_offset, directory_size, "central directory");
  size_t pos = 0;
  for (uint64_t i = 0; i < entry_count; ++i) {
    if (pos + kCentralHeaderSize > directory.size() || u32(directory, pos) != kCentralHeader)
      fail("central directory entry " + std::to_string(i) + " of " + std::to_string(entry_count) +
           " is missing or damaged");
    Entry e;
    e.method = u16(directory, pos + 10);
    e.crc = u32(directory, pos + 16);
    e.compressed_size = u32(directory, pos + 20);
    e.uncompressed_size = u32(directory, pos + 24);
    size_t name_len = u16(directory, pos + 28);
    size_t extra_len = u16(directory, pos + 30);
    size_t comment_len = u16(directory, pos + 32);
    e.local_header_offset = u32(directory, pos + 42);
    size_t name_pos = pos + kCentralHeaderSize;
    if (name_pos + name_len + extra_len + comment_len > directory.size())
      fail("central directory entry " + std::to_string(i) + " runs past the directory");
    e.name = directory.substr(name_pos, name_len);

    // The zip64 extra field holds, in this order, only the fields saturated at 0xffffffff.
    size_t extra = name_pos + name_len;
    size_t extra_end = extra + extra_len;
    while (extra + 4 <= extra_end) {
      uint16_t id = u16(directory, extra);
      size_t len = u16(directory, extra + 2);
      size_t field = extra + 4;
      if (field + len > extra_end) fail("entry '" + e.name + "' has a damaged extra field");
      if (id == kZip64ExtraField) {
        size_t end = field + len;
        for (uint64_t* value : {&e.uncompressed_size, &e.compressed_size, &e.local_header_offset}) {
          if (*value != 0xffffffffu) continue;
          if (field + 8 > end) fail("entry '" + e.name + "' has a zip64 extra field that is too short");
          *value = u64(directory, field);
          field += 8;
        }
      }
      extra = extra + 4 + len;
    }
    entries_.push_back(std::move(e));
    pos = extra_end + comment_len;
  }
}

std::vector<std::string> ZipReader::names() const {
  std::vector<std::string> out;
  for (const Entry& e : entries_) out.push_back(e.name);
  return out;
}

bool ZipReader::has(const std::string& name) const {
  for (const Entry& e : entries_)
    if (e.name == name) return true;
  return false;
}

const ZipReader::Entry& ZipReader::entry(const std::string& name) const {
  for (const Entry& e : entries_)
    if (e.name == name) return e;
  fail("no entry named '" + name + "'");
}

uint64_t ZipReader::size(const std::string& name) const { return entry(name).uncompressed_size; }

std::string ZipReader::read(const std::string& name) {
  const Entry& e = entry(name);
  if (e.method != 0)
    fail("entry '" + name + "' is compressed (" + method_name(e.method) +
         "); only stored (uncompressed) entries are supported, as torch.save writes them");
  if (e.compressed_size != e.uncompressed_size)
    fail("entry '" + name + "' is stored but its compressed and uncompressed sizes differ");
  // The local header repeats the name and has its own extra field (PyTorch pads with it to align
  // the data), so its lengths, not the central directory's, locate the data.
  std::string header = read_at(e.local_header_offset, kLocalHeaderSize, "local header");
  if (u32(header, 0) != kLocalHeader)
    fail("entry '" + name + "': no local header at byte " + std::to_string(e.local_header_offset));
  uint64_t data_offset = e.local_header_offset + kLocalHeaderSize + u16(header, 26) + u16(header, 28);
  std::string data = read_at(data_offset, e.uncompressed_size, ("data of entry '" + name + "'").c_str());
  if (crc32(data) != e.crc) fail("entry '" + name + "' is damaged (CRC-32 mismatch)");
  return data;
}

}  // namespace gs::data
