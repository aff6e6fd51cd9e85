// StylizeOptions::precision: bf16 stylizations against fp32 with the README's gate (PSNR >= 30 dB,
// SSIM >= 0.98, measured as saved to 8 bits) on two shared photo x painting pairs at 256 with the
// shipped model; the fallback on a CPU without native bf16; the C API's string option.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <utility>

#include "api_fixture.h"
#include "graphstyle/graphstyle.h"
#include "graphstyle/graphstyle.hpp"

namespace {
graphstyle::Image at_256(const std::string& path) {
  const graphstyle::Image full = graphstyle::load_image(path);
  const graphstyle::ImageSize to = graphstyle::sized(full.width, full.height, "256");
  return graphstyle::resize(full, to.width, to.height);
}
}  // namespace

TEST_CASE("precision bf16: within the README's gate of fp32 on two shared pairs at 256 (or fp32 with a note)") {
  gs::test::TempDir dir;
  const std::string model_path = gs::test::shipped_model_file(dir);
  if (model_path.empty()) return;
  const graphstyle::Model model = graphstyle::Model::load(model_path);
  graphstyle::StylizeOptions fp32 = model.default_options(), bf16 = fp32;
  bf16.precision = graphstyle::Precision::bf16;
  CHECK(graphstyle::precision_note(graphstyle::Precision::fp32).empty());
  const bool native = graphstyle::effective_precision(graphstyle::Precision::bf16) == graphstyle::Precision::bf16;
  CHECK(graphstyle::precision_note(graphstyle::Precision::bf16).empty() == native);
  for (const auto& [c, s] :
       {std::pair{"chicago.jpg", "starry_night.jpg"}, std::pair{"golden_gate.jpg", "la_muse.jpg"}}) {
    const std::string cp = gs::test::shared_file(std::string("images/content/") + c);
    const std::string sp = gs::test::shared_file(std::string("images/style/") + s);
    if (cp.empty() || sp.empty()) continue;
    const graphstyle::Image content = at_256(cp), style = at_256(sp);
    graphstyle::Context context;  // one context for both: a new precision lays the nets out anew
    const graphstyle::Image a = graphstyle::as_saved(model.stylize(context, content, style, fp32));
    const graphstyle::Image b = graphstyle::as_saved(model.stylize(context, content, style, bf16));
    const double psnr = graphstyle::psnr(b, a), ssim = graphstyle::ssim(b, a);
    MESSAGE(std::string(c) << " x " << s << ": bf16 against fp32 PSNR " << psnr << " dB, SSIM " << ssim);
    if (!native) {
      CHECK(std::isinf(psnr));  // fp32 both times
      continue;
    }
    CHECK(psnr >= 30.0);
    CHECK(ssim >= 0.98);
    CHECK(psnr < 100.0);  // bf16 did run: fp32 twice would be identical
    // The context went back to fp32: the same bits as before.
    CHECK(std::isinf(graphstyle::psnr(graphstyle::as_saved(model.stylize(context, content, style, fp32)), a)));
  }
}

TEST_CASE("precision: the C API's string option takes fp32 and bf16 and refuses anything else") {
  const gs::test::TinyModel tiny;
  graphstyle_model* model = nullptr;
  REQUIRE(graphstyle_model_load(tiny.file.path.c_str(), &model) == GRAPHSTYLE_OK);
  graphstyle_options* options = nullptr;
  REQUIRE(graphstyle_options_create(model, &options) == GRAPHSTYLE_OK);
  CHECK(graphstyle_options_set_string(options, "precision", "bf16") == GRAPHSTYLE_OK);
  CHECK(graphstyle_options_set_string(options, "precision", "fp32") == GRAPHSTYLE_OK);
  CHECK(graphstyle_options_set_string(options, "precision", "fp16") == GRAPHSTYLE_INVALID_ARGUMENT);
  CHECK(std::string(graphstyle_last_error()).find("fp32 or bf16") != std::string::npos);
  graphstyle_options_free(options);
  graphstyle_model_free(model);
}
