// make_test_inputs: writes the files of the bad-input table (tests/cli/test_bad_inputs.sh) and the
// fuzzers' seed corpora (tools/fuzz.sh), so that neither needs binary files in the repository.
//   make_test_inputs bad DIR     valid small inputs (good_*) and one hostile file per table row
//   make_test_inputs seeds DIR   DIR/fuzz_pth, fuzz_pickle, fuzz_model, fuzz_image, fuzz_request: small valid files
// The test helpers it shares include doctest; no test runs here.
#define DOCTEST_CONFIG_DISABLE
#include <hdf5.h>
#include <stb/stb_image_write.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "data/image.h"
#include "data/model_file.h"
#include "data/pth_builders.h"
#include "models/config.h"
#include "train/checkpoint.h"

namespace fs = std::filesystem;
using namespace gs::test;
using gs::Shape;
using gs::Tensor;

namespace {

std::string dir;
std::string at(const std::string& name) { return dir + "/" + name; }

void put(const std::string& name, const std::string& bytes) {
  std::ofstream out(at(name), std::ios::binary);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + at(name));
}
std::string get(const std::string& name) {
  std::ifstream in(at(name), std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// ---- small valid files ----

gs::models::ModelConfig tiny_config() {
  gs::models::ModelConfig c;
  c.widths = {4, 4, 4, 4};
  c.d = 4;
  c.scale_hidden = 4;
  return c;
}

gs::data::NamedTensors tiny_params(const gs::models::ModelConfig& c) {
  gs::data::NamedTensors params;
  uint32_t state = 12345;
  for (const auto& [name, shape] : gs::models::parameter_shapes(c)) {
    Tensor t = Tensor::empty(shape);
    for (int64_t i = 0; i < t.numel(); ++i) {
      state = state * 1664525u + 1013904223u;
      t.data()[i] = (static_cast<float>(state >> 8) / 16777216.f - 0.5f) * 0.2f;
    }
    params.push_back({name, t});
  }
  return params;
}

void write_model(const std::string& name) { gs::data::save_model_file(at(name), tiny_config(), tiny_params(tiny_config())); }

void write_checkpoint(const std::string& name) {
  gs::train::Checkpoint ck;
  ck.model.config = tiny_config();
  ck.model.params = tiny_params(ck.model.config);
  for (const auto& [n, t] : ck.model.params)
    if (n.rfind("decoder.", 0) == 0) {
      ck.adam_m.push_back({n, Tensor::zeros(t.shape())});
      ck.adam_v.push_back({n, Tensor::zeros(t.shape())});
    }
  ck.state.step = 3;
  ck.state.seed = 7;
  ck.settings = {{"batch", "1"}};
  gs::train::save_checkpoint(at(name), ck);
}

// A gradient image, [3,h,w].
Tensor picture(int64_t h, int64_t w) {
  Tensor t = Tensor::empty({3, h, w});
  for (int64_t c = 0; c < 3; ++c)
    for (int64_t y = 0; y < h; ++y)
      for (int64_t x = 0; x < w; ++x) t.data()[(c * h + y) * w + x] = float((x * 7 + y * 3 + c * 50) % 97) / 96.f;
  return t;
}

void write_bmp(const std::string& name, int w, int h) {
  std::vector<unsigned char> px(size_t(w) * h * 3);
  for (size_t i = 0; i < px.size(); ++i) px[i] = static_cast<unsigned char>(i * 13);
  stbi_write_bmp(at(name).c_str(), w, h, 3, px.data());
}

// pk_int writes 32-bit ints; a numel beyond that is swapped in as LONG1 (8 bytes) for this marker.
constexpr int64_t kBigMarker = 0x7eadbeef;
std::string with_big_numel(std::string pickle, int64_t numel) {
  const std::string marker = "J" + le(kBigMarker, 4);
  const size_t at = pickle.find(marker);
  if (at != std::string::npos) pickle.replace(at, marker.size(), "\x8a\x08" + le(static_cast<uint64_t>(numel), 8));
  return pickle;
}

std::string pth_zip(const std::string& key_count_storage, int64_t numel, const Shape& size, const Shape& stride,
                    const std::string& storage_type = "FloatStorage", size_t data_floats = 4) {
  const bool big = numel > INT32_MAX;
  std::string pickle =
      pk_state_dict({{"w", pk_tensor(storage_type, key_count_storage, big ? kBigMarker : numel, 0, size, stride)}});
  if (big) pickle = with_big_numel(pickle, numel);
  return torch_zip(pickle, {{key_count_storage, floats(std::vector<float>(data_floats, 0.5f))}});
}

std::string pth_legacy(int64_t numel, const Shape& size, const Shape& stride, std::vector<float> data = {1, 2, 3, 4}) {
  const bool big = numel > INT32_MAX;
  std::string pickle = pk_state_dict({{"w", pk_tensor("FloatStorage", "k0", big ? kBigMarker : numel, 0, size, stride, true)}});
  if (big) pickle = with_big_numel(pickle, numel);
  return torch_legacy(pickle, {{"k0", data}});
}

// ---- HDF5 surgery on a copy of a valid file (raw C API: H5File only writes what it should) ----

void h5_edit(const std::string& name, const std::function<void(hid_t)>& edit) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t f = H5Fopen(at(name).c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  if (f < 0) throw std::runtime_error("cannot edit " + at(name));
  edit(f);
  H5Fclose(f);
}

void drop_attr(hid_t f, const char* name) {
  if (H5Aexists(f, name) > 0) H5Adelete(f, name);
}

void attr_f64(hid_t f, const char* name, const std::vector<double>& values, bool scalar) {
  drop_attr(f, name);
  const hsize_t n = values.size();
  const hid_t space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr);
  const hid_t a = H5Acreate2(f, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, H5T_NATIVE_DOUBLE, values.data());
  H5Aclose(a);
  H5Sclose(space);
}

void attr_i64(hid_t f, const char* name, int64_t value) {
  drop_attr(f, name);
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t a = H5Acreate2(f, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, H5T_NATIVE_INT64, &value);
  H5Aclose(a);
  H5Sclose(space);
}

void attr_string(hid_t f, const char* name, const std::string& value, bool variable, hsize_t count = 0) {
  drop_attr(f, name);
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, variable ? H5T_VARIABLE : value.size() + 1);
  const hid_t space = count ? H5Screate_simple(1, &count, nullptr) : H5Screate(H5S_SCALAR);
  const hid_t a = H5Acreate2(f, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (variable) {
    const char* p = value.c_str();
    H5Awrite(a, type, &p);
  } else {
    std::string buf;
    for (hsize_t i = 0; i < std::max<hsize_t>(count, 1); ++i) buf += value + '\0';
    H5Awrite(a, type, buf.data());
  }
  H5Aclose(a);
  H5Sclose(space);
  H5Tclose(type);
}

// Replaces a dataset by one of `type` and `dims`, written with `data` unless it is null.
void dataset(hid_t f, const std::string& name, hid_t type, const std::vector<hsize_t>& dims, const void* data,
             hid_t mem_type, hid_t dcpl = H5P_DEFAULT) {
  if (H5Lexists(f, name.c_str(), H5P_DEFAULT) > 0) H5Ldelete(f, name.c_str(), H5P_DEFAULT);
  const hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
  const hid_t d = H5Dcreate2(f, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  if (data) H5Dwrite(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  H5Dclose(d);
  H5Sclose(space);
}

void copy(const std::string& from, const std::string& to) {
  fs::copy_file(at(from), at(to), fs::copy_options::overwrite_existing);
}

void model_case(const std::string& name, const std::function<void(hid_t)>& edit) {
  copy("good_model.h5", name);
  h5_edit(name, edit);
}
void checkpoint_case(const std::string& name, const std::function<void(hid_t)>& edit) {
  copy("good_checkpoint.h5", name);
  h5_edit(name, edit);
}

// Nested containers, `depth` deep: EMPTY_LIST then (EMPTY_LIST APPEND)... as a crafted pickle would.
std::string deep_pickle(size_t depth, char open, char close) {
  std::string s = "\x80\x02";
  for (size_t i = 0; i < depth; ++i) s += open;
  for (size_t i = 0; i + 1 < depth; ++i) s += close;
  return s + ".";
}

void write_good() {
  write_model("good_model.h5");
  write_checkpoint("good_checkpoint.h5");
  gs::data::save_image(at("good_content.png"), picture(24, 32));
  gs::data::save_image(at("good_style.jpg"), picture(32, 24));
  write_bmp("good.bmp", 16, 12);
  put("good_zip.pth", pth_zip("0", 4, {2, 2}, {2, 1}));
  put("good_legacy.pth", pth_legacy(4, {4}, {1}));
}

void write_bad() {
  write_good();
  // .pth
  put("empty.pth", "");
  put("text.pth", "hello, not a checkpoint\n");
  const std::string zip = get("good_zip.pth");
  put("zip_truncated.pth", zip.substr(0, zip.size() / 2));
  {
    std::string damaged = zip;
    damaged[damaged.find(std::string("\0\0\0\x3f", 4)) + 3] = 0x40;  // a float of the storage: CRC mismatch
    put("zip_crc.pth", damaged);
  }
  {
    ZipEntrySpec pkl{"archive/data.pkl", pk_state_dict({})};
    pkl.method = 8;
    put("zip_deflate.pth", make_zip({pkl, {"archive/version", "3\n"}}));
  }
  put("zip_no_pickle.pth", make_zip({{"archive/version", "3\n"}}));
  put("zip_numel_wrap.pth", pth_zip("0", int64_t{1} << 62, {4}, {1}));
  put("zip_stride0_huge.pth", pth_zip("0", 4, {1 << 20, 1 << 20}, {0, 0}));
  put("zip_storage_size.pth", pth_zip("0", 8, {8}, {1}));
  put("zip_view_past.pth", pth_zip("0", 4, {3, 3}, {3, 1}));
  put("zip_int64.pth", pth_zip("0", 2, {2}, {1}, "LongStorage"));
  put("zip_global.pth", torch_zip(unescape(R"(\x80\x02cos\nsystem\n(X\x02\x00\x00\x00idtR.)"), {}));
  put("zip_nan.pth", torch_zip(pk_state_dict({{"w", pk_tensor("FloatStorage", "0", 2, 0, {2}, {1})}}),
                               {{"0", floats({1.f, std::numeric_limits<float>::quiet_NaN()})}}));
  put("legacy_numel_wrap.pth", pth_legacy(int64_t{1} << 62, {4}, {1}));
  {
    const std::string legacy = get("good_legacy.pth");
    put("legacy_truncated.pth", legacy.substr(0, legacy.size() - 6));
  }
  put("legacy_bad_magic.pth", std::string("\x80\x02K\x05.", 5));
  put("legacy_inf.pth", pth_legacy(2, {2}, {1}, {1.f, std::numeric_limits<float>::infinity()}));
  put("pickle_deep_lists.pth", deep_pickle(200000, ']', 'a'));  // ]]]...aaa.: 200k nested lists
  {
    std::string s = "\x80\x02";
    for (int i = 0; i < 200000; ++i) s += ')';
    for (int i = 0; i < 200000 - 1; ++i) s += "\x86";  // TUPLE2 folds them into 200k nested tuples
    put("pickle_deep_tuples.pth", s + ".");
  }
  {
    std::string s = "\x80\x02}(";
    for (int i = 0; i < 120000; ++i) s += pk_str("k" + std::to_string(i)) + "K\x01";
    put("pickle_120k_keys.pth", s + "u.");
  }
  put("pickle_cycle.pth", unescape(R"(\x80\x02]q\x00h\x00a.)"));                 // a list appended to itself
  {
    std::string s = "\x80\x02]" + pk_str(std::string(60000, 'x')) + "q\x01(";
    for (int i = 0; i < 30000; ++i) s += "h\x01";
    put("pickle_memo_copies.pth", s + "e.");  // one 60 kB string fetched 30k times: 1.8 GB of copies
  }
  put("pickle_opcode.pth", "\x80\x02\xff.");
  // model files
  put("model_text.h5", "not an HDF5 file\n");
  put("model_empty.h5", "");
  {
    const std::string m = get("good_model.h5");
    put("model_truncated.h5", m.substr(0, m.size() / 2));
  }
  copy("good_zip.pth", "model_is_pth.h5");
  model_case("model_attr_array.h5", [](hid_t f) { attr_f64(f, "s_min", {0.5, 0.6, 0.7}, false); });
  model_case("model_attr_string_array.h5", [](hid_t f) { attr_string(f, "format", "graphstyle-model", false, 3); });
  model_case("model_attr_vlen.h5", [](hid_t f) { attr_string(f, "format", "graphstyle-model", true); });
  model_case("model_patch_nan.h5", [](hid_t f) { attr_f64(f, "patch", {std::nan("")}, true); });
  model_case("model_patch_even.h5", [](hid_t f) { attr_i64(f, "patch", 4); });
  model_case("model_patch_huge.h5", [](hid_t f) { attr_f64(f, "patch", {1e300}, true); });
  model_case("model_smax_inf.h5", [](hid_t f) { attr_f64(f, "s_max", {INFINITY}, true); });
  model_case("model_recommended_alpha.h5", [](hid_t f) { attr_f64(f, "recommended_alpha", {7}, true); });
  model_case("model_format.h5", [](hid_t f) { attr_string(f, "format", "something-else", false); });
  model_case("model_version.h5", [](hid_t f) { attr_i64(f, "format_version", 99); });
  model_case("model_widths_huge.h5", [](hid_t f) {
    const int64_t w[4] = {4, 4, 4, int64_t{1} << 40};
    dataset(f, "config/widths", H5T_STD_I64LE, {4}, w, H5T_NATIVE_INT64);
  });
  model_case("model_param_huge.h5", [](hid_t f) {
    dataset(f, "params/inter.ac", H5T_IEEE_F32LE, {1 << 20, 1 << 20}, nullptr, H5T_NATIVE_FLOAT);
  });
  model_case("model_param_int.h5", [](hid_t f) {
    const int64_t v[4] = {1, 2, 3, 4};
    dataset(f, "params/inter.ac", H5T_STD_I64LE, {4}, v, H5T_NATIVE_INT64);
  });
  model_case("model_param_missing.h5", [](hid_t f) { H5Ldelete(f, "params/inter.ac", H5P_DEFAULT); });
  model_case("model_param_shape.h5", [](hid_t f) {
    const float v[5] = {};
    dataset(f, "params/inter.ac", H5T_IEEE_F32LE, {5}, v, H5T_NATIVE_FLOAT);
  });
  model_case("model_param_nan.h5", [](hid_t f) {
    const float v[4] = {0, NAN, 0, 0};
    dataset(f, "params/inter.ac", H5T_IEEE_F32LE, {4}, v, H5T_NATIVE_FLOAT);
  });
  model_case("model_param_bigendian.h5", [](hid_t f) {
    const float v[4] = {};
    dataset(f, "params/inter.ac", H5T_IEEE_F32BE, {4}, v, H5T_NATIVE_FLOAT);
  });
  model_case("model_param_chunked.h5", [](hid_t f) {
    const float v[4] = {};
    const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    const hsize_t chunk = 2;
    H5Pset_chunk(dcpl, 1, &chunk);
    H5Pset_deflate(dcpl, 6);
    dataset(f, "params/inter.ac", H5T_IEEE_F32LE, {4}, v, H5T_NATIVE_FLOAT, dcpl);
    H5Pclose(dcpl);
  });
  // checkpoints
  checkpoint_case("ckpt_position_negative.h5", [](hid_t f) { attr_i64(f, "content_position", -5); });
  checkpoint_case("ckpt_position_1e300.h5", [](hid_t f) { attr_f64(f, "style_position", {1e300}, true); });
  checkpoint_case("ckpt_step_array.h5", [](hid_t f) { attr_f64(f, "step", {1, 2, 3, 4}, false); });
  checkpoint_case("ckpt_seed.h5", [](hid_t f) { attr_string(f, "seed", "-12abc", false); });
  checkpoint_case("ckpt_moment_shape.h5", [](hid_t f) {
    const float v[3] = {};
    dataset(f, "optimizer/m/decoder.dec1_1.bias", H5T_IEEE_F32LE, {3, 1}, v, H5T_NATIVE_FLOAT);
  });
  checkpoint_case("ckpt_moment_nan.h5", [](hid_t f) {
    const float v[3] = {0, NAN, 0};
    dataset(f, "optimizer/v/decoder.dec1_1.bias", H5T_IEEE_F32LE, {3}, v, H5T_NATIVE_FLOAT);
  });
  checkpoint_case("ckpt_moment_stranger.h5", [](hid_t f) {
    const float v[3] = {};
    dataset(f, "optimizer/m/not.a.parameter", H5T_IEEE_F32LE, {3}, v, H5T_NATIVE_FLOAT);
  });
  // images
  put("img_empty.png", "");
  put("img_text.jpg", "this is text, not a JPEG\n");
  put("img_gif.gif", std::string("GIF89a\x01\x00\x01\x00\x00\x00\x00;", 13));
  put("img_pgm16.pgm", std::string("P5\n4 4\n65535\n") + std::string(32, '\x7f'));
  put("img_hdr.hdr", "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 2 +X 2\n" + std::string(16, '\x02'));
  put("img_psd.psd", std::string("8BPS\x00\x01", 6) + std::string(40, '\0'));
  const std::string png = get("good_content.png");
  {
    std::string bad = png;
    bad[png.find("IDAT") + 10] ^= 0x55;  // inside the compressed data: the chunk CRC no longer matches
    put("png_crc.png", bad);
  }
  put("png_truncated.png", png.substr(0, png.size() * 2 / 3));
  {
    std::string huge = png;  // IHDR width and height at 100000 (CRC left wrong: either error is fine)
    const size_t ihdr = png.find("IHDR") + 4;
    const std::string side = std::string("\x00\x01\x86\xa0", 4);
    huge.replace(ihdr, 4, side);
    huge.replace(ihdr + 4, 4, side);
    put("png_huge.png", huge);
  }
  const std::string jpg = get("good_style.jpg");
  put("jpeg_truncated.jpg", jpg.substr(0, jpg.size() * 2 / 3));
  {
    std::string huge = jpg;  // SOF0 height and width at 60000
    const size_t sof = jpg.find("\xff\xc0");
    huge[sof + 5] = '\xea';
    huge[sof + 6] = '\x60';
    huge[sof + 7] = '\xea';
    huge[sof + 8] = '\x60';
    put("jpeg_huge.jpg", huge);
  }
  put("jpeg_garbage.jpg", jpg.substr(0, 200) + std::string(400, '\x5a'));
  const std::string bmp = get("good.bmp");
  put("bmp_truncated.bmp", bmp.substr(0, bmp.size() - 100));
  {
    std::string huge = bmp;  // width 50000, height 50000
    huge.replace(18, 4, std::string("\x50\xc3\x00\x00", 4));
    huge.replace(22, 4, std::string("\x50\xc3\x00\x00", 4));
    put("bmp_huge.bmp", huge);
  }
  {
    std::string rle = bmp;  // BI_RLE8
    rle.replace(28, 2, std::string("\x08\x00", 2));
    rle.replace(30, 4, std::string("\x01\x00\x00\x00", 4));
    put("bmp_rle.bmp", rle);
  }
}

// A POST of graphstyle serve's stylize form: multipart parts (name, filename, bytes), plus a body
// sent in chunks when `chunked`.
std::string http_request(const std::string& route, const std::vector<std::array<std::string, 3>>& parts, bool chunked) {
  const std::string boundary = "gsBoundary7MA4YWxk";
  std::string body;
  for (const auto& [name, filename, bytes] : parts) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"";
    if (!filename.empty()) body += "; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream";
    body += "\r\n\r\n" + bytes + "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  std::string head = "POST " + route + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=" +
                     boundary + "\r\n";
  if (!chunked) return head + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  char size[32];
  std::snprintf(size, sizeof size, "%zx", body.size());
  return head + "Transfer-Encoding: chunked\r\n\r\n" + size + "\r\n" + body + "\r\n0\r\n\r\n";
}

void write_request_seeds() {
  const std::string png = "\x89PNG\r\n\x1a\n(image bytes: decoding is fuzz_image's target)";
  put("stylize.http", http_request("/v1/stylize", {{"content", "c.png", png}, {"style", "s.png", png}}, false));
  put("stylize_options.http",
      http_request("/v1/stylize", {{"content", "c.png", png}, {"style", "s.jpg", png}, {"alpha", "", "0.5"}, {"k", "", "4"},
                                   {"kc", "", "0"}, {"patch", "", "3"}, {"stroke", "", "1.5"}, {"size", "", "128x96"},
                                   {"style_size", "", "64"}, {"format", "", "jpg"}, {"method", "", "gnn"}},
                   false));
  put("graph_chunked.http", http_request("/v1/graph", {{"content", "c.png", png}, {"style", "s.png", png}, {"mix", "", "adain"}}, true));
  put("adain.http", http_request("/v1/stylize", {{"content", "c.png", png}, {"style", "s.png", png}, {"method", "", "adain"}}, false));
}

void write_seeds() {
  const std::string root = dir;
  for (const char* t : {"fuzz_pth", "fuzz_pickle", "fuzz_model", "fuzz_image", "fuzz_request"})
    fs::create_directories(root + "/" + t);
  dir = root + "/fuzz_pth";
  put("zip.pth", pth_zip("0", 4, {2, 2}, {2, 1}));
  put("zip_strided.pth", pth_zip("0", 6, {2, 2}, {1, 2}, "FloatStorage", 6));
  put("legacy.pth", pth_legacy(4, {4}, {1}));
  put("legacy_view.pth", pth_legacy(4, {2}, {1}));
  dir = root + "/fuzz_pickle";
  put("state_dict.pkl", pk_state_dict({{"a", pk_tensor("FloatStorage", "0", 4, 0, {2, 2}, {2, 1})},
                                       {"b", pk_tensor("FloatStorage", "1", 3, 1, {2}, {1})}}));
  put("containers.pkl", unescape(R"(\x80\x02}q\x00(X\x01\x00\x00\x00a]q\x01(K\x01K\x02eX\x01\x00\x00\x00b(K\x01G?\xf0\x00\x00\x00\x00\x00\x00\x88\x89Ntuu.)"));
  dir = root + "/fuzz_model";
  write_model("model.h5");
  write_checkpoint("checkpoint.h5");
  dir = root + "/fuzz_image";
  gs::data::save_image(at("a.png"), picture(8, 6));
  gs::data::save_image(at("a.jpg"), picture(8, 6));
  write_bmp("a.bmp", 5, 3);
  dir = root + "/fuzz_request";
  write_request_seeds();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::string(argv[1]) != "bad" && std::string(argv[1]) != "seeds")) {
    std::fprintf(stderr, "usage: make_test_inputs bad|seeds DIR\n");
    return 2;
  }
  dir = argv[2];
  try {
    fs::create_directories(dir);
    if (std::string(argv[1]) == "bad") write_bad();
    else write_seeds();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_test_inputs: %s\n", e.what());
    return 1;
  }
  std::printf("wrote %s\n", argv[2]);
  return 0;
}
