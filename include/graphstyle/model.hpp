// A loaded model, and the per-thread context that stylizes with it.
//
// Threads: a Model is immutable once loaded; any number of threads may stylize with one Model at
// once (copies of a Model share it). Each thread needs its own Context: it holds the call's scratch
// (the weights laid out for the convolution kernels, kept between calls) and must not be used by
// two threads at the same time. The convolutions of concurrent calls take turns (each already uses
// every core it is given); the graph stages run side by side.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "graphstyle/image.hpp"
#include "graphstyle/options.hpp"
#include "graphstyle/trace.hpp"
#include "graphstyle/export.h"

GRAPHSTYLE_EXPORT_BEGIN
namespace graphstyle {

struct ModelInfo {
  int patch = 5;                  // the patch size the model was trained with
  int channels = 512;             // relu4_1 channels
  std::string encoder_layout;     // "vgg_normalised" or "torchvision"
  std::string upsample;           // the decoder's: "nearest" or "bilinear"
  // The StylizeOptions fields the model file recommends values for (default_options() has them):
  // some of alpha, k, kc, stroke, mix; none for a file of untrained parameters.
  std::vector<std::string> recommended;
};

class Model;

// The precision a call asking for `requested` runs its convolutions in on this CPU: bf16 needs
// native support (AVX512-BF16 or AMX, as oneDNN detects it); otherwise fp32.
Precision effective_precision(Precision requested);
// "" when `requested` runs as asked; else one line saying what runs instead and why.
std::string precision_note(Precision requested);

// A style image encoded once (Model::encode_style), for stylizing many contents with it: a service
// keeps the popular styles' features instead of encoding them on every call. Immutable and shared
// by copies; any number of threads may use one at once.
class StyleFeatures {
 public:
  StyleFeatures();
  bool empty() const;
  int width() const;   // the style image's
  int height() const;
  size_t bytes() const;  // memory held (the features and the image), for a cache's budget

  struct Impl;
  const Impl& impl() const;  // for the library's own use
  explicit StyleFeatures(std::shared_ptr<const Impl> impl);

 private:
  std::shared_ptr<const Impl> impl_;
};

// Several styles for one stylization (Model::stylize_styles).
//   blend:   labels empty; every content pixel takes every style by `weights` (>= 0, not all 0;
//            normalised). GNN: a style's weight is a prior on the attention to its patches
//            (log w added to the logits; weight 0 = no edges from it) and the AdaIN refinement
//            targets the weighted mean of the styles' mean and deviation; AdaIN: the weighted sum
//            of the per-style AdaIN features (pytorch-AdaIN's interpolation).
//   regions: labels has one entry per content pixel (width * height, row by row): the index of
//            its style, or -1 to keep the content there; weights must be empty. GNN: a node takes
//            style edges only from its region's style and content edges only within its region.
struct StyleSet {
  std::vector<StyleFeatures> styles;
  std::vector<float> weights;
  std::vector<int> labels;
};

// Consecutive frames of one video in one style (Model::stylize_frame), with two dampers of flicker:
// - `stickiness`: each frame's style edges lean towards the previous frame's; the NCC bonus a
//   previous edge gets over new candidates (MODEL.md's NCC is in [-1, 1]). Nodes are matched by grid
//   position, which suits small motion (under 8 pixels between frames).
// - `smoothing`: each output is pulled towards the previous output moved along the content frames'
//   optical flow, where the flow passes a forward-backward check (video/temporal_blend.h); the
//   weight of the previous output, in [0, 1).
// Both 0: every frame on its own. A new size or style starts the sequence again.
class FrameSequence {
 public:
  static constexpr float default_stickiness = 0.05f, default_smoothing = 0.5f;
  explicit FrameSequence(float stickiness = default_stickiness, float smoothing = default_smoothing);
  ~FrameSequence();
  FrameSequence(FrameSequence&&) noexcept;
  FrameSequence& operator=(FrameSequence&&) noexcept;
  // The share of the last frame's style edges that the frame before did not have (1 for a first frame).
  double changed_edges() const;
  // The share of the last output's pixels pulled towards the previous output (0 for a first frame).
  double smoothed_share() const;

  struct Impl;
  Impl& impl();  // for the library's own use

 private:
  std::unique_ptr<Impl> impl_;
};

class Context {
 public:
  Context();
  ~Context();
  Context(Context&&) noexcept;
  Context& operator=(Context&&) noexcept;

  struct Impl;
  Impl& impl();  // for the library's own use

 private:
  std::unique_ptr<Impl> impl_;
};

class Model {
 public:
  // A model file (`graphstyle convert`, or `graphstyle train`'s model.h5 or checkpoint.h5).
  static Model load(const std::string& path);
  // The same bytes already in memory (copied; the buffer may be freed afterwards).
  static Model load_from_memory(const void* data, size_t size);

  ModelInfo info() const;
  StylizeOptions default_options() const;  // the defaults, the model's patch size and recommended settings

  // Any sizes (large images run in strips automatically); the output has the content's size.
  // Throws OptionError for an option out of range, naming the field.
  Image stylize(Context& context, const Image& content, const Image& style, const StylizeOptions& options,
                Trace* trace = nullptr) const;
  ImageRGB8 stylize(Context& context, const ImageRGB8& content, const ImageRGB8& style,
                    const StylizeOptions& options, Trace* trace = nullptr) const;
  // The style's encoder features, for the overload below; the same result as passing the image.
  StyleFeatures encode_style(Context& context, const Image& style, const StylizeOptions& options) const;
  Image stylize(Context& context, const Image& content, const StyleFeatures& style, const StylizeOptions& options,
                Trace* trace = nullptr) const;
  // Blended styles or styles per region (StyleSet). Throws OptionError naming "weights", "labels"
  // or "styles" when they do not fit.
  Image stylize_styles(Context& context, const Image& content, const StyleSet& styles,
                       const StylizeOptions& options) const;
  // The next frame of `sequence` (method gnn, metric ncc; OptionError "method"/"metric" otherwise).
  Image stylize_frame(Context& context, const Image& frame, const StyleFeatures& style, const StylizeOptions& options,
                      FrameSequence& sequence) const;
  // With a Context of its own (its weights are laid out anew on every call).
  Image stylize(const Image& content, const Image& style, const StylizeOptions& options) const;

  // Throws what stylize would throw for these options and image sizes, without running anything.
  void check(const StylizeOptions& options, int content_width, int content_height, int style_width,
             int style_height) const;

  struct Impl;
  const Impl& impl() const;  // for the library's own use

 private:
  friend class Trainer;
  explicit Model(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace graphstyle
GRAPHSTYLE_EXPORT_END
