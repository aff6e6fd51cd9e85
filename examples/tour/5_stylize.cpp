// Tour step 5: the whole stylizer on a 128 px pair, with the trace of its graph stage.
// image [3,128,128] -> encoder (VGG to relu4_1) -> Fc [C,16,16], Fs [C,16,16] -> NCC k-NN edges ->
// scale predictor -> GAT style->content (F1) -> GAT content->content (F2) -> AdaIN -> decoder -> image.
// Read include/graphstyle/model.hpp (the public API), api/model.cpp, models/stylizer.h (the stages in
// order), models/encoder.cpp, models/graph_stage.h/.cpp, models/decoder.cpp, include/graphstyle/trace.hpp.
// Usage: tour_5_stylize OUT_DIR SHARED_DIR   (SHARED_DIR/images/{content,style}; skipped without it)
// With GRAPHSTYLE_PROFILE=1 it also prints where the stylization's time went (graphstyle/profile.hpp).
#include <graphstyle/graphstyle.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

int main(int argc, char** argv) {
  const std::string out_dir = argc > 1 ? std::filesystem::path(argv[1]).replace_extension().string() : "tour5";
  const std::string shared = argc > 2 ? argv[2] : "../shared";
  const std::string content_path = shared + "/images/content/chicago.jpg";
  const std::string style_path = shared + "/images/style/starry_night.jpg";
  const std::string vgg = shared + "/weights/vgg_normalised.pth";
  for (const std::string& f : {content_path, style_path, vgg})
    if (!std::filesystem::exists(f)) {
      std::printf("tour 5: SKIPPED (no %s)\n", f.c_str());
      return 0;
    }
  // The repository ships the trained graph and decoder weights; the encoder is the released VGG.
  // Joined once into a model file (what `graphstyle convert --vgg ... --trained ...` does).
  std::filesystem::create_directories(out_dir);
  const std::string model_path = out_dir + "/model.h5";
  if (!std::filesystem::exists(model_path))
    graphstyle::build_model_file(vgg, GRAPHSTYLE_SOURCE_DIR "/models/trained/graphstyle_gnn.h5", model_path);
  const graphstyle::Model model = graphstyle::Model::load(model_path);
  const graphstyle::ModelInfo info = model.info();
  graphstyle::StylizeOptions options = model.default_options();
  graphstyle::Profile profile;  // filled only if asked for: a call without one times nothing
  const char* want_profile = std::getenv("GRAPHSTYLE_PROFILE");
  if (want_profile && std::strcmp(want_profile, "1") == 0) options.profile = &profile;
  graphstyle::Context context;
  const graphstyle::Image content = graphstyle::resize(graphstyle::load_image(content_path), 128, 128);
  const graphstyle::Image style = graphstyle::resize(graphstyle::load_image(style_path), 128, 128);

  graphstyle::Trace trace;
  const graphstyle::Image out = model.stylize(context, content, style, options, &trace);
  const graphstyle::GraphData g = trace.graph();
  const int nodes = trace.nodes(), style_nodes = static_cast<int>(g.style_yx.size() / 2);
  auto kb = [](double floats) { return floats * 4 / 1024; };

  std::printf("images: content and style [3, 128, 128] (%.0f KB each as float)\n", kb(3 * 128 * 128));
  std::printf("encoder -> relu4_1: Fc [%d, %d, %d], Fs [%d, %d, %d] (%.0f KB each): one cell = 8x8 pixels\n",
              info.channels, g.grid_height, g.grid_width, info.channels, g.style_grid_height, g.style_grid_width,
              kb(double(info.channels) * g.grid_height * g.grid_width));
  std::printf("nodes: %d content patches, %d style patches of %dx%d cells\n", nodes, style_nodes, g.p, g.p);
  std::printf("inter edges: [%d, %d] (k-NN by NCC), intra edges: [%d, %d] (kc + self-loop)\n", nodes, g.inter.k,
              nodes, g.intra.k);
  std::printf("node 0 <- style nodes");
  for (int m = 0; m < g.inter.k; ++m) std::printf(" %d (NCC %.3f, attention %.3f)", g.inter.sources[m],
                                                  g.inter.scores[m], g.inter.attention[m]);
  float smin = 1e9f, smax = -1e9f;
  for (float s : g.scales) smin = std::fmin(smin, s), smax = std::fmax(smax, s);
  std::printf("\nscales: %.3f .. %.3f\noutput: %dx%d\n", smin, smax, out.width, out.height);

  graphstyle::save_image(out_dir + "/stylized.png", out);
  trace.write_explain_dir(out_dir);  // scale_map.png, attention_entropy.png, correspondence.png
  std::printf("pictures in %s/: stylized.png scale_map.png attention_entropy.png correspondence.png\n", out_dir.c_str());
  if (options.profile) std::printf("%s", profile.table().c_str());

  // What must hold: a 16x16 grid, (16 - p + 1)^2 nodes, every node's attention sums to 1.
  bool ok = out.width == 128 && out.height == 128 && g.grid_width == 16 && nodes == (16 - g.p + 1) * (16 - g.p + 1);
  for (int i = 0; i < nodes; ++i) {
    double sum = 0;
    for (int m = 0; m < g.inter.k; ++m) {
      sum += g.inter.attention[i * g.inter.k + m];
      ok = ok && g.inter.sources[i * g.inter.k + m] >= 0 && g.inter.sources[i * g.inter.k + m] < style_nodes;
    }
    ok = ok && std::fabs(sum - 1) < 1e-4;
  }
  std::printf("%s\n", ok ? "tour 5: OK" : "tour 5: FAILED");
  return ok ? 0 : 1;
}
