// The trained weights the project ships (models/trained/graphstyle_gnn.h5): they load with their
// recommended settings, join the released encoder, and one 256 stylization of a shared pair is stable:
// across thread counts, and against the output recorded when the weights were committed
// (tests/models/data/shipped_chicago_starry_night_256.png), both >= 40 dB.
#include <doctest/doctest.h>
#include <omp.h>

#include <filesystem>

#include "data/image.h"
#include "data/model_file.h"
#include "data/released_weights.h"
#include "e2e_fixture.h"
#include "models/stylizer.h"
#include "models/weights.h"
#include "shared_path.h"

using gs::Tensor;
namespace data = gs::data;
namespace models = gs::models;

namespace {
const std::string kShipped = GRAPHSTYLE_SOURCE_DIR "/models/trained/graphstyle_gnn.h5";
const std::string kRecorded = GRAPHSTYLE_SOURCE_DIR "/tests/models/data/shipped_chicago_starry_night_256.png";
}  // namespace

TEST_CASE("shipped model: trained weights with recommended settings, stable stylization at 256") {
  if (!std::filesystem::exists(kShipped)) {
    MESSAGE("skipped: no shipped weights at " << kShipped);
    return;
  }
  const data::TrainedWeights w = data::load_trained_weights(kShipped);
  CHECK(std::filesystem::file_size(kShipped) <= 16u << 20);  // the budget
  REQUIRE(w.recommended.alpha);
  REQUIRE(w.recommended.mix);
  CHECK_FALSE(w.provenance.empty());
  const std::string vgg = gs::test::shared_file("weights/vgg_normalised.pth");
  const std::string content_path = gs::test::shared_file("images/content/chicago.jpg");
  const std::string style_path = gs::test::shared_file("images/style/starry_night.jpg");
  if (vgg.empty() || content_path.empty() || style_path.empty()) return;

  const data::StateDict decoder(w.params.begin(), w.params.end());
  const models::Stylizer model(w.config, models::assemble_params(w.config, data::load_encoder_weights(vgg), {}, decoder,
                                                                 "shipped model"));
  const data::SizeSpec size = data::parse_size("256", "size");
  const Tensor content = data::load_image_sized(content_path, size).unsqueeze(0);
  const Tensor style = data::load_image_sized(style_path, size).unsqueeze(0);
  models::GraphOptions o;
  o.p = w.config.patch;
  o.alpha = static_cast<float>(*w.recommended.alpha);
  o.mix = static_cast<float>(*w.recommended.mix);
  o.k = static_cast<int>(w.recommended.k.value_or(5));
  o.kc = static_cast<int>(w.recommended.kc.value_or(5));
  o.stroke = static_cast<float>(w.recommended.stroke.value_or(1.0));

  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const Tensor one = model.stylize_gnn(content, style, o).select(0, 0);
  omp_set_num_threads(2);
  const Tensor two = model.stylize_gnn(content, style, o).select(0, 0);
  omp_set_num_threads(threads);
  CHECK(gs::test::psnr(one, two) >= 40.0);
  REQUIRE(std::filesystem::exists(kRecorded));
  const Tensor recorded = data::load_image(kRecorded);
  REQUIRE(recorded.shape() == one.shape());
  CHECK(gs::test::psnr(one, recorded) >= 40.0);
}
