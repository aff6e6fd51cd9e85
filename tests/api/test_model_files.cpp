// Model files through the public API: built from the released .pth weights, packed as trained
// weights with recommended settings, and joined back with the encoder into the same model.
#include "graphstyle/graphstyle.hpp"

#include <doctest/doctest.h>

#include <filesystem>

#include "api_fixture.h"
#include "data/test_files.h"
#include "shared_path.h"

using gs::test::contains;

TEST_CASE("api model files: options out of range are OptionErrors naming the field, before any file is read") {
  gs::test::TempDir dir;
  graphstyle::ReleasedWeights w;
  w.vgg = dir.file("none.pth");
  w.decoder = dir.file("none.pth");
  w.patch = 4;
  try {
    graphstyle::build_model_file(w, dir.file("m.h5"));
    FAIL("an even patch size was accepted");
  } catch (const graphstyle::OptionError& e) {
    CHECK(e.field() == "patch");
  }
  w.patch = 5;
  w.upsample = "cubic";
  CHECK_THROWS_WITH_AS(graphstyle::build_model_file(w, dir.file("m.h5")), contains("upsample 'cubic'"),
                       graphstyle::OptionError);
  w.upsample = "nearest";
  CHECK_THROWS_WITH_AS(graphstyle::build_model_file(w, dir.file("m.h5")), contains(dir.file("none.pth")),
                       graphstyle::Error);
  CHECK_FALSE(std::filesystem::exists(dir.file("m.h5")));

  const gs::test::TinyModelFile tiny;
  graphstyle::PackOptions o;
  o.alpha = 1.5;
  CHECK_THROWS_WITH_AS(graphstyle::pack_trained_weights(tiny.path, dir.file("t.h5"), o), contains("alpha 1.5"),
                       graphstyle::OptionError);
  o.alpha.reset();
  o.kc = -1;
  CHECK_THROWS_WITH_AS(graphstyle::pack_trained_weights(tiny.path, dir.file("t.h5"), o), contains("kc -1"),
                       graphstyle::OptionError);
  CHECK_FALSE(std::filesystem::exists(dir.file("t.h5")));
  // A model file is not a trained-weights file: the message says which function writes one.
  CHECK_THROWS_WITH_AS(graphstyle::check_trained_weights(tiny.path), contains("pack_trained_weights"), graphstyle::Error);
}

TEST_CASE("api model files: released weights -> model -> packed weights with settings -> the same model") {
  const std::string vgg = gs::test::shared_file("weights/vgg_normalised.pth");
  const std::string decoder = gs::test::shared_file("weights/decoder.pth");
  if (vgg.empty() || decoder.empty()) return;
  gs::test::TempDir dir;
  graphstyle::ReleasedWeights w;
  w.vgg = vgg;
  w.decoder = decoder;
  w.seed = 3;
  const graphstyle::ModelFileSummary built = graphstyle::build_model_file(w, dir.file("model.h5"));
  CHECK(built.encoder_layout == "vgg_normalised");
  CHECK(built.upsample == "nearest");
  const graphstyle::Model model = graphstyle::Model::load(dir.file("model.h5"));
  CHECK(model.info().recommended.empty());

  graphstyle::PackOptions o;
  o.half = false;  // float32: the round trip is exact
  o.alpha = 0.6;
  o.k = 4;
  o.provenance = "api test";
  const graphstyle::ModelFileSummary packed = graphstyle::pack_trained_weights(dir.file("model.h5"), dir.file("t.h5"), o);
  CHECK(packed.parameters < built.parameters);  // no encoder
  graphstyle::check_trained_weights(dir.file("t.h5"));
  const graphstyle::ModelFileSummary joined = graphstyle::build_model_file(vgg, dir.file("t.h5"), dir.file("joined.h5"));
  CHECK(joined.parameters == built.parameters);
  const graphstyle::Model back = graphstyle::Model::load(dir.file("joined.h5"));
  CHECK(back.info().recommended == std::vector<std::string>{"alpha", "k"});
  graphstyle::StylizeOptions so = back.default_options();
  CHECK(so.alpha == 0.6f);
  CHECK(so.k == 4);
  so.kc = 2;
  const graphstyle::Image c = gs::test::smooth_image(64, 48, 0.f), s = gs::test::smooth_image(72, 64, 1.f);
  CHECK(model.stylize(c, s, so).pixels == back.stylize(c, s, so).pixels);
}
