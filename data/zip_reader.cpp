#include "data/zip_reader.h"

#include <zip.h>
#include <zlib.h>

#include <filesystem>
#include <stdexcept>

namespace gs::data {

namespace {

std::string method_name(uint16_t method) {
  switch (method) {
    case ZIP_CM_DEFLATE: return "deflate";
    case ZIP_CM_DEFLATE64: return "deflate64";
    case ZIP_CM_BZIP2: return "bzip2";
    case ZIP_CM_LZMA: return "lzma";
    case 93: return "zstd";
    default: return "compression method " + std::to_string(method);
  }
}

std::string error_text(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

// An archive holds at most as many entries as 46-byte central-directory records fit in the file;
// a hostile count beyond that is libzip's to refuse, and ours never to allocate for.
constexpr uint64_t kCentralHeaderSize = 46;

}  // namespace

uint32_t crc32(std::string_view bytes) {
  uLong c = ::crc32(0L, Z_NULL, 0);
  // zlib takes at most 4 GiB per call.
  for (size_t at = 0; at < bytes.size(); at += 1u << 30) {
    const size_t n = std::min<size_t>(bytes.size() - at, 1u << 30);
    c = ::crc32(c, reinterpret_cast<const Bytef*>(bytes.data() + at), static_cast<uInt>(n));
  }
  return static_cast<uint32_t>(c);
}

ZipReader::ZipReader(const std::string& path) : path_(path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw std::runtime_error(path + ": no such file");
  if (fs::is_directory(path, ec)) throw std::runtime_error(path + ": is a directory, expected a zip archive");
  file_size_ = fs::file_size(path, ec);
  if (ec) throw std::runtime_error(path + ": cannot read the file size: " + ec.message());
  int code = 0;
  archive_ = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (!archive_) {
    if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS || code == ZIP_ER_SEEK || code == ZIP_ER_READ)
      fail("not a zip archive, or a truncated or damaged one (" + error_text(code) + ")");
    fail("cannot open (" + error_text(code) + ")");
  }
  const zip_int64_t count = zip_get_num_entries(archive_, 0);
  if (count < 0 || static_cast<uint64_t>(count) > file_size_ / kCentralHeaderSize + 1)
    fail("the central directory claims " + std::to_string(count) + " entries, more than the file can hold");
  entries_.reserve(static_cast<size_t>(count));
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive_, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW, &st) != 0)
      fail("central directory entry " + std::to_string(i) + " is damaged (" + zip_strerror(archive_) + ")");
    const zip_uint64_t need = ZIP_STAT_NAME | ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD;
    if ((st.valid & need) != need || !st.name)
      fail("central directory entry " + std::to_string(i) + " lacks its name, sizes or method");
    entries_.push_back(Entry{st.name, static_cast<uint64_t>(i), static_cast<uint16_t>(st.comp_method),
                             st.comp_size, st.size});
  }
}

ZipReader::~ZipReader() {
  if (archive_) zip_discard(archive_);  // read-only: nothing to write back
}

void ZipReader::fail(const std::string& problem) const {
  throw std::runtime_error("zip archive " + path_ + ": " + problem);
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

uint64_t ZipReader::size(const std::string& name) const { return entry(name).size; }

std::string ZipReader::read(const std::string& name) {
  const Entry& e = entry(name);
  if (e.method != ZIP_CM_STORE)
    fail("entry '" + name + "' is compressed (" + method_name(e.method) +
         "); only stored (uncompressed) entries are supported, as torch.save writes them");
  if (e.compressed_size != e.size)
    fail("entry '" + name + "' is stored but its compressed and uncompressed sizes differ");
  // A stored entry lies inside the file: a size beyond it is a lie, refused before allocating.
  if (e.size > file_size_)
    fail("entry '" + name + "' claims " + std::to_string(e.size) + " bytes but the file has only " +
         std::to_string(file_size_) + ": truncated or damaged");
  zip_file_t* file = zip_fopen_index(archive_, e.index, 0);
  if (!file) fail("cannot open entry '" + name + "' (" + zip_strerror(archive_) + ")");
  std::string data(e.size, '\0');
  uint64_t got = 0;
  while (got < e.size) {
    const zip_int64_t n = zip_fread(file, data.data() + got, e.size - got);
    if (n <= 0) break;
    got += static_cast<uint64_t>(n);
  }
  // libzip checks the CRC when the last byte has been read; a further read reports a mismatch.
  char probe = 0;
  const zip_int64_t extra = got == e.size ? zip_fread(file, &probe, 1) : -1;
  std::string problem;
  if (got != e.size || extra != 0) {
    zip_error_t* error = zip_file_get_error(file);
    const int code = zip_error_code_zip(error);
    problem = code == ZIP_ER_CRC ? "is damaged (CRC-32 mismatch)"
              : code == ZIP_ER_OK ? "has " + std::to_string(got) + " bytes of data, expected " + std::to_string(e.size) +
                                        ": truncated?"
                                  : std::string("cannot be read (") + zip_error_strerror(error) + "): truncated or damaged";
  }
  zip_fclose(file);
  if (!problem.empty()) fail("entry '" + name + "' " + problem);
  return data;
}

}  // namespace gs::data
