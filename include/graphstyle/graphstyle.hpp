// graphstyle: GNN-based semi-parametric style transfer (Jing et al., ECCV 2022) on the CPU,
// without Python or LibTorch. Include this header; link graphstyle::graphstyle (CMake) or
// `pkg-config --libs graphstyle`.
//
//   #include <graphstyle/graphstyle.hpp>
//
//   graphstyle::Model model = graphstyle::Model::load("model.h5");
//   graphstyle::StylizeOptions options = model.default_options();  // the model's patch size
//   options.k = 8;                                                  // fields: graphstyle/options.hpp
//   graphstyle::Context context;                                    // one per thread
//   graphstyle::Image out = model.stylize(context, graphstyle::load_image("photo.jpg"),
//                                         graphstyle::load_image("painting.jpg"), options);
//   graphstyle::save_image("out.png", out);
//
// Errors are exceptions derived from graphstyle::Error (graphstyle/error.hpp), with messages that
// name the file or the options field (graphstyle::OptionError::field()) and what was expected.
//
// Threads: a loaded Model is immutable and may be used by many threads at once; each thread
// stylizes with its own Context (graphstyle/model.hpp). StylizeOptions::threads sets one call's
// thread count. The library does nothing process-wide by itself: no allocator tuning, no memory
// trimming, no printing; graphstyle/process.hpp lists what a host can opt into.
//
// Model files from PyTorch weights: graphstyle/model_files.hpp. Training: graphstyle/train.hpp.
// Quality metrics of stylized images: graphstyle/quality.hpp; side-by-side panels: graphstyle/panel.hpp.
// Where a call's time goes (per op kind, oneDNN kernels): graphstyle/profile.hpp.
// The C API: graphstyle/graphstyle.h.
#pragma once

#include "graphstyle/color.hpp"
#include "graphstyle/distributed.hpp"
#include "graphstyle/error.hpp"
#include "graphstyle/files.hpp"
#include "graphstyle/image.hpp"
#include "graphstyle/model.hpp"
#include "graphstyle/model_files.hpp"
#include "graphstyle/options.hpp"
#include "graphstyle/panel.hpp"
#include "graphstyle/process.hpp"
#include "graphstyle/profile.hpp"
#include "graphstyle/quality.hpp"
#include "graphstyle/trace.hpp"
#include "graphstyle/train.hpp"
#include "graphstyle/version.h"
