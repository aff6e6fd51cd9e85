#include <doctest/doctest.h>

#include <cstring>

#include "data/pth_file.h"
#include "data/pth_builders.h"
#include "data/test_files.h"
#include "shared_path.h"

using gs::Shape;
using gs::Tensor;
using gs::data::load_pth_state_dict;
using gs::data::StateDict;
using gs::test::contains;
using gs::test::le;
using gs::test::TempDir;
using gs::test::write_file;

namespace {
using namespace gs::test;

bool bit_identical(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape()) return false;
  std::vector<float> va = a.to_vector(), vb = b.to_vector();
  return std::memcmp(va.data(), vb.data(), va.size() * sizeof(float)) == 0;
}

std::vector<std::string> keys_of(const StateDict& state) {
  std::vector<std::string> keys;
  for (const auto& [key, tensor] : state) keys.push_back(key);
  return keys;
}

// Both formats of a released file load, with bit-identical tensors.
StateDict load_both(const std::string& legacy_name, const std::string& zip_name) {
  std::string legacy_path = gs::test::shared_file("weights/" + legacy_name);
  std::string zip_path = gs::test::shared_file("weights/" + zip_name);
  if (legacy_path.empty() || zip_path.empty()) return {};
  StateDict legacy = load_pth_state_dict(legacy_path);
  StateDict zip = load_pth_state_dict(zip_path);
  CHECK(keys_of(legacy) == keys_of(zip));
  for (const auto& entry : legacy) {  // no structured binding: INFO captures it, which clang 14 refuses
    const std::string& key = entry.first;
    const Tensor& tensor = entry.second;
    INFO(key);
    REQUIRE(zip.count(key));
    CHECK(bit_identical(tensor, zip.at(key)));
  }
  return legacy;
}

}  // namespace

TEST_CASE("pth file: vgg_normalised, legacy and zip formats") {
  StateDict state = load_both("vgg_normalised.pth", "vgg_normalised.zip.pth");
  if (state.empty()) return;
  CHECK(state.size() == 20);
  const std::vector<std::pair<int, Shape>> convs = {
      {0, {3, 3, 1, 1}},      {2, {64, 3, 3, 3}},     {5, {64, 64, 3, 3}},    {9, {128, 64, 3, 3}},
      {12, {128, 128, 3, 3}}, {16, {256, 128, 3, 3}}, {19, {256, 256, 3, 3}}, {22, {256, 256, 3, 3}},
      {25, {256, 256, 3, 3}}, {29, {512, 256, 3, 3}}};
  for (const auto& conv : convs) {
    const auto index = conv.first;
    const auto& shape = conv.second;
    INFO(index);
    CHECK(state.at(std::to_string(index) + ".weight").shape() == shape);
    CHECK(state.at(std::to_string(index) + ".bias").shape() == Shape{shape[0]});
  }
  // conv0 (PROVENANCE.md): RGB -> BGR times 255, minus the ImageNet BGR mean.
  const Tensor& w0 = state.at("0.weight");
  for (int64_t o = 0; o < 3; ++o)
    for (int64_t i = 0; i < 3; ++i) CHECK(w0.at({o, i, 0, 0}) == (i == 2 - o ? 255.f : 0.f));
  const Tensor& b0 = state.at("0.bias");
  CHECK(b0.at({0}) == -103.939f);
  CHECK(b0.at({1}) == -116.779f);
  CHECK(b0.at({2}) == -123.68f);
}

TEST_CASE("pth file: AdaIN decoder, legacy and zip formats") {
  StateDict state = load_both("decoder.pth", "decoder.zip.pth");
  if (state.empty()) return;
  CHECK(state.size() == 18);
  CHECK(state.at("1.weight").shape() == Shape{256, 512, 3, 3});
  CHECK(state.at("14.weight").shape() == Shape{128, 256, 3, 3});
  CHECK(state.at("28.weight").shape() == Shape{3, 64, 3, 3});
  CHECK(state.at("28.bias").shape() == Shape{3});
  CHECK(state.at("1.weight").is_contiguous());
}

TEST_CASE("pth file: the graph-stage fixture of the end-to-end test") {
  std::string path = gs::test::shared_file("fixtures/e2e/gnn_seed1_graph.pth");
  if (path.empty()) return;
  StateDict state = load_pth_state_dict(path);
  CHECK(keys_of(state) == std::vector<std::string>{"inter.Wc", "inter.Ws", "inter.ac", "inter.as", "intra.Wk",
                                                   "intra.ak", "intra.aq", "scale.conv1.bias", "scale.conv1.weight",
                                                   "scale.conv2.bias", "scale.conv2.weight"});
  CHECK(state.at("inter.Wc").shape() == Shape{64, 512});
  CHECK(state.at("inter.ac").shape() == Shape{64});
  CHECK(state.at("scale.conv1.weight").shape() == Shape{128, 512, 3, 3});
}

TEST_CASE("pth file: storage offsets and strides give a contiguous copy") {
  TempDir dir;
  // Storage 0..5; a 2x2 view at offset 1 with strides (1, 2): the transpose of [[1, 2], [3, 4]].
  std::string pickle = pk_state_dict({{"w", pk_tensor("FloatStorage", "0", 6, 1, {2, 2}, {1, 2})},
                                      {"s", pk_tensor("FloatStorage", "0", 6, 5, {}, {})},
                                      {"e", pk_tensor("FloatStorage", "0", 6, 0, {0, 3}, {3, 1})}});
  std::string path = dir.file("strided.pth");
  write_file(path, torch_zip(pickle, {{"0", floats({0, 1, 2, 3, 4, 5})}}));
  StateDict state = load_pth_state_dict(path);
  CHECK(state.at("w").to_vector() == std::vector<float>{1, 3, 2, 4});
  CHECK(state.at("w").is_contiguous());
  CHECK(state.at("s").dim() == 0);
  CHECK(state.at("s").item() == 5);
  CHECK(state.at("e").shape() == Shape{0, 3});

  // The same in the legacy format, through a view into the root storage: elements 2..5.
  std::string view = std::string("(") + pk_str("view") + pk_int(2) + pk_int(4) + "t";
  std::string legacy_pickle =
      pk_state_dict({{"v", pk_tensor("FloatStorage", "root", 6, 0, {2, 2}, {2, 1}, true, view)}});
  std::string legacy_path = dir.file("legacy_view.pth");
  write_file(legacy_path, torch_legacy(legacy_pickle, {{"root", {0, 1, 2, 3, 4, 5}}}));
  CHECK(load_pth_state_dict(legacy_path).at("v").to_vector() == std::vector<float>{2, 3, 4, 5});
}

TEST_CASE("pth file: files that are not checkpoints") {
  TempDir dir;
  std::string missing = dir.file("missing.pth");
  CHECK_THROWS_WITH_AS(load_pth_state_dict(missing), contains(missing + ": no such file"), std::runtime_error);
  std::string folder = dir.file("folder.pth");
  std::filesystem::create_directory(folder);
  CHECK_THROWS_WITH_AS(load_pth_state_dict(folder), contains(folder + ": is a directory"), std::runtime_error);
  std::string text = dir.file("notes.pth");
  write_file(text, "these are not weights\n");
  CHECK_THROWS_WITH_AS(load_pth_state_dict(text), contains(text + ": not a PyTorch checkpoint"), std::runtime_error);
  std::string empty = dir.file("empty.pth");
  write_file(empty, "");
  CHECK_THROWS_WITH_AS(load_pth_state_dict(empty), contains(empty + ": is empty"), std::runtime_error);
  std::string other_zip = dir.file("other.zip");
  write_file(other_zip, gs::test::make_zip({{"readme.txt", "hi"}}));
  CHECK_THROWS_WITH_AS(load_pth_state_dict(other_zip),
                       contains(other_zip + ": a zip archive without <folder>/data.pkl"), std::runtime_error);
  std::string other_pickle = dir.file("pickle.pth");
  write_file(other_pickle, gs::test::unescape(R"(\x80\x02K\x01.)"));
  CHECK_THROWS_WITH_AS(load_pth_state_dict(other_pickle),
                       contains(other_pickle + ": starts with a pickled int 1, expected torch.save's magic number"),
                       std::runtime_error);
}

TEST_CASE("pth file: truncated copies of the released files") {
  TempDir dir;
  for (const std::string name : {"decoder.pth", "decoder.zip.pth"}) {
    std::string source = gs::test::shared_file("weights/" + name);
    if (source.empty()) return;
    std::string bytes = gs::test::read_file(source);
    std::string path = dir.file("truncated_" + name);
    write_file(path, bytes.substr(0, bytes.size() / 2));
    INFO(name);
    CHECK_THROWS_WITH_AS(load_pth_state_dict(path), contains(path), std::runtime_error);
    CHECK_THROWS_WITH_AS(load_pth_state_dict(path), doctest::Contains("truncated"), std::runtime_error);
  }
}

TEST_CASE("pth file: crafted pickles are refused with the file and the problem") {
  TempDir dir;
  auto load_zip_with = [&](const std::string& name, const std::string& pickle,
                           const std::vector<std::pair<std::string, std::string>>& storages = {}) {
    std::string path = dir.file(name);
    write_file(path, torch_zip(pickle, storages));
    return load_pth_state_dict(path);
  };
  std::string data4 = floats({1, 2, 3, 4});

  // An opcode a state dict never uses (NEWOBJ), after PROTO 2 and EMPTY_DICT.
  CHECK_THROWS_WITH_AS(load_zip_with("newobj.pth", gs::test::unescape(R"(\x80\x02}\x81.)")),
                       contains(dir.file("newobj.pth") + ":archive/data.pkl, byte 3: unsupported opcode 0x81 (NEWOBJ)"),
                       std::runtime_error);
  // A GLOBAL that Python would import and call.
  CHECK_THROWS_WITH_AS(
      load_zip_with("system.pth", std::string("\x80\x02"
                                              "cos\nsystem\n(") +
                                      pk_str("rm -rf /") + "tR."),
      contains(dir.file("system.pth") + ":archive/data.pkl, byte 2: GLOBAL 'os.system' is not allowed"),
      std::runtime_error);
  // Another dtype, named with its key.
  CHECK_THROWS_WITH_AS(
      load_zip_with("long.pth",
                    pk_state_dict({{"bn.num_batches_tracked", pk_tensor("LongStorage", "0", 1, 0, {}, {})}}),
                    {{"0", std::string(8, '\0')}}),
      contains(dir.file("long.pth") + ": tensor 'bn.num_batches_tracked' has dtype int64 (torch.LongStorage)"),
      std::runtime_error);
  // A view that needs more elements than its storage holds.
  CHECK_THROWS_WITH_AS(
      load_zip_with("short.pth", pk_state_dict({{"w", pk_tensor("FloatStorage", "0", 4, 1, {2, 2}, {2, 1})}}),
                    {{"0", data4}}),
      contains(dir.file("short.pth") + ": tensor 'w' (size [2, 2], stride [2, 1], offset 1) reaches element 4"),
      std::runtime_error);
  // A storage entry shorter than the pickle says.
  CHECK_THROWS_WITH_AS(
      load_zip_with("entry.pth", pk_state_dict({{"w", pk_tensor("FloatStorage", "0", 8, 0, {8}, {1})}}),
                    {{"0", data4}}),
      contains(dir.file("entry.pth") + ": entry archive/data/0 has 16 bytes, expected 32"), std::runtime_error);
  // A missing storage entry.
  CHECK_THROWS_WITH_AS(
      load_zip_with("nodata.pth", pk_state_dict({{"w", pk_tensor("FloatStorage", "7", 4, 0, {4}, {1})}})),
      contains(dir.file("nodata.pth") + ": storage '7' has no entry archive/data/7"), std::runtime_error);
  // Not a dict at the top, and a dict holding something other than tensors.
  CHECK_THROWS_WITH_AS(load_zip_with("list.pth", "\x80\x02]."),
                       contains(dir.file("list.pth") + ": the saved object (list of 0) is not a dict"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(
      load_zip_with("epoch.pth",
                    pk_state_dict({{"w", pk_tensor("FloatStorage", "0", 4, 0, {4}, {1})}, {"epoch", pk_int(3)}}),
                    {{"0", data4}}),
      contains(dir.file("epoch.pth") + ": entry 'epoch' (int 3) is not a tensor"), std::runtime_error);
}
