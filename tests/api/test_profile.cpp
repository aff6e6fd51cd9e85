#include "graphstyle/profile.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

#include "api/api_fixture.h"
#include "autograd/profiler.h"

namespace {
std::set<std::string> op_names(const graphstyle::Profile& p) {
  std::set<std::string> names;
  for (const graphstyle::Profile::Op& op : p.ops()) names.insert(op.name);
  return names;
}
}  // namespace

TEST_CASE("profile: a stylization through the API reports its inference kernels, graph ops and stages") {
  const gs::test::TinyModel tiny;
  const graphstyle::Model& model = tiny.model;
  graphstyle::Context context;
  const graphstyle::Image content = gs::test::smooth_image(48, 40, 0.f), style = gs::test::smooth_image(40, 40, 1.f);
  graphstyle::StylizeOptions o = model.default_options();
  graphstyle::Profile profile;
  o.profile = &profile;
  model.stylize(context, content, style, o);

  const std::set<std::string> names = op_names(profile);
  for (const char* kind : {"conv_nhwc", "reflection_pad_nhwc", "max_pool_nhwc", "upsample_nhwc", "layout_nhwc",
                           "knn_inter", "knn_intra", "patch_mean", "deform_sample", "fused_fold"})
    CHECK_MESSAGE(names.count(kind) == 1, kind);
  double share = 0;
  for (const graphstyle::Profile::Op& op : profile.ops()) {
    CHECK(op.calls > 0);
    CHECK(op.backward_s == 0);  // inference: no backward
    share += op.share;
    if (op.name == "conv_nhwc") CHECK(op.gflops > 0);
  }
  CHECK(share == doctest::Approx(1.0).epsilon(1e-9));
  CHECK(profile.total_s() > 0);

  std::vector<std::string> stages;
  double stage_share = 0;
  for (const graphstyle::Profile::Stage& s : profile.stages()) {
    stages.push_back(s.name);
    stage_share += s.share;
  }
  CHECK(stages == std::vector<std::string>{"encode style", "encode content", "inter_edges", "intra_edges", "scales",
                                           "gat_inter+fold", "gat_intra+fold", "adain", "decode"});
  CHECK(stage_share == doctest::Approx(1.0).epsilon(1e-9));
  // oneDNN's own name for the convolution kernel it picked, after the kind: the encoder's and
  // decoder's (forward_nhwc) and the scale predictor's (an autograd conv, forward_inference).
  int nhwc_kernels = 0;
  for (const graphstyle::Profile::Kernel& k : profile.kernels()) {
    CHECK(k.name.rfind("forward_", 0) == 0);  // inference: no backward kernels
    CHECK(k.name.find(' ') + 1 < k.name.size());
    CHECK(k.runs > 0);
    nhwc_kernels += k.name.rfind("forward_nhwc ", 0) == 0;
  }
  CHECK(nhwc_kernels > 0);
  const std::string table = profile.table();
  CHECK(table.find("conv_nhwc") != std::string::npos);
  CHECK(table.find("oneDNN forward_nhwc ") != std::string::npos);
  CHECK(table.find("gat_inter+fold") != std::string::npos);

  // A second call adds to the same profile.
  int64_t conv_calls = 0;
  for (const auto& op : profile.ops())
    if (op.name == "conv_nhwc") conv_calls = op.calls;
  model.stylize(context, content, style, o);
  for (const auto& op : profile.ops())
    if (op.name == "conv_nhwc") CHECK(op.calls == 2 * conv_calls);
}

TEST_CASE("profile: without one nothing is timed, and no profile stays active after a call, even a failed one") {
  const gs::test::TinyModel tiny;
  const graphstyle::Model& model = tiny.model;
  graphstyle::Context context;
  const graphstyle::Image content = gs::test::smooth_image(48, 40, 0.f), style = gs::test::smooth_image(40, 40, 1.f);
  graphstyle::StylizeOptions o = model.default_options();
  graphstyle::Profile profile;
  CHECK(profile.empty());
  CHECK(profile.table().find("conv_nhwc") == std::string::npos);
  model.stylize(context, content, style, o);  // options.profile unset
  CHECK(profile.empty());
  CHECK(gs::ag::active_profile() == nullptr);

  o.profile = &profile;
  o.k = 1000000;  // out of range: OptionError before anything runs
  CHECK_THROWS_AS(model.stylize(context, content, style, o), graphstyle::OptionError);
  CHECK(gs::ag::active_profile() == nullptr);
  o.k = model.default_options().k;
  model.stylize(context, content, style, o);
  CHECK(!profile.empty());
  CHECK(gs::ag::active_profile() == nullptr);
  profile.clear();
  CHECK(profile.empty());
  CHECK(profile.ops().empty());
}
