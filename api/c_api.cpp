// The C API (graphstyle/graphstyle.h) over the C++ one: every entry point catches everything and
// returns a status, keeping the message for graphstyle_last_error().
#include "graphstyle/graphstyle.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "graphstyle/graphstyle.hpp"

struct graphstyle_model {
  graphstyle::Model model;
};
struct graphstyle_context {
  graphstyle::Context context;
};
struct graphstyle_options {
  graphstyle::StylizeOptions options;
};

namespace {

thread_local std::string g_last_error;

graphstyle_status fail(graphstyle_status status, const std::string& message) {
  g_last_error = message;
  return status;
}

// Runs f; any exception becomes a status and a message.
template <class F>
graphstyle_status guarded(F&& f) {
  try {
    f();
    return GRAPHSTYLE_OK;
  } catch (const graphstyle::Error& e) {
    switch (e.code()) {
      case graphstyle::ErrorCode::invalid_argument: return fail(GRAPHSTYLE_INVALID_ARGUMENT, e.what());
      case graphstyle::ErrorCode::file: return fail(GRAPHSTYLE_FILE_ERROR, e.what());
      case graphstyle::ErrorCode::out_of_memory: return fail(GRAPHSTYLE_OUT_OF_MEMORY, e.what());
      case graphstyle::ErrorCode::internal: break;
    }
    return fail(GRAPHSTYLE_INTERNAL_ERROR, e.what());
  } catch (const std::bad_alloc&) {
    return fail(GRAPHSTYLE_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return fail(GRAPHSTYLE_INTERNAL_ERROR, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(GRAPHSTYLE_INTERNAL_ERROR, "internal error: unknown exception");
  }
}

void need(const void* pointer, const char* name) {
  if (!pointer) throw graphstyle::OptionError(name, std::string(name) + " is NULL");
}

template <class Pixel>
struct ImageOf;
template <>
struct ImageOf<uint8_t> {
  using type = graphstyle::ImageRGB8;
};
template <>
struct ImageOf<float> {
  using type = graphstyle::Image;
};

template <class Pixel>
typename ImageOf<Pixel>::type wrap(const Pixel* pixels, int width, int height, const char* name) {
  need(pixels, name);
  if (width < 1 || height < 1)
    throw graphstyle::OptionError(name, std::string(name) + " size " + std::to_string(width) + "x" +
                                            std::to_string(height) + " must be at least 1x1");
  typename ImageOf<Pixel>::type image;
  image.width = width;
  image.height = height;
  image.pixels.assign(pixels, pixels + static_cast<size_t>(width) * height * 3);
  return image;
}

template <class Pixel>
graphstyle_status stylize(const graphstyle_model* model, graphstyle_context* context, const graphstyle_options* options,
                          const Pixel* content, int cw, int ch, const Pixel* style, int sw, int sh, Pixel* out) {
  return guarded([&] {
    need(model, "model");
    need(context, "context");
    need(options, "options");
    need(out, "out");
    const auto c = wrap(content, cw, ch, "content");
    const auto s = wrap(style, sw, sh, "style");
    const auto result = model->model.stylize(context->context, c, s, options->options);
    std::memcpy(out, result.pixels.data(), result.pixels.size() * sizeof(Pixel));
  });
}

}  // namespace

extern "C" {

const char* graphstyle_version(void) { return graphstyle::version(); }
const char* graphstyle_last_error(void) { return g_last_error.c_str(); }

graphstyle_status graphstyle_model_load(const char* path, graphstyle_model** model) {
  return guarded([&] {
    need(path, "path");
    need(model, "model");
    *model = nullptr;
    *model = new graphstyle_model{graphstyle::Model::load(path)};
  });
}

graphstyle_status graphstyle_model_load_memory(const void* data, size_t size, graphstyle_model** model) {
  return guarded([&] {
    need(model, "model");
    *model = nullptr;
    *model = new graphstyle_model{graphstyle::Model::load_from_memory(data, size)};
  });
}

void graphstyle_model_free(graphstyle_model* model) { delete model; }

graphstyle_status graphstyle_context_create(graphstyle_context** context) {
  return guarded([&] {
    need(context, "context");
    *context = new graphstyle_context{};
  });
}

void graphstyle_context_free(graphstyle_context* context) { delete context; }

graphstyle_status graphstyle_options_create(const graphstyle_model* model, graphstyle_options** options) {
  return guarded([&] {
    need(model, "model");
    need(options, "options");
    *options = new graphstyle_options{model->model.default_options()};
  });
}

void graphstyle_options_free(graphstyle_options* options) { delete options; }

graphstyle_status graphstyle_options_set_int(graphstyle_options* options, const char* field, int value) {
  return guarded([&] {
    need(options, "options");
    need(field, "field");
    graphstyle::StylizeOptions& o = options->options;
    const std::string f = field;
    auto flag = [&] {
      if (value != 0 && value != 1) throw graphstyle::OptionError(f, f + " " + std::to_string(value) + " must be 0 or 1");
      return value == 1;
    };
    if (f == "k") o.k = value;
    else if (f == "kc") o.kc = value;
    else if (f == "patch") o.patch = value;
    else if (f == "threads") o.threads = value;
    else if (f == "deformable") o.deformable = flag();
    else if (f == "trim_heap") o.trim_heap = flag();
    else throw graphstyle::OptionError(f, "no integer option '" + f + "' (k, kc, patch, threads, deformable, trim_heap)");
  });
}

graphstyle_status graphstyle_options_set_float(graphstyle_options* options, const char* field, float value) {
  return guarded([&] {
    need(options, "options");
    need(field, "field");
    const std::string f = field;
    if (f == "alpha") options->options.alpha = value;
    else if (f == "stroke") options->options.stroke = value;
    else if (f == "mix") options->options.mix = value;
    else throw graphstyle::OptionError(f, "no float option '" + f + "' (alpha, stroke, mix)");
  });
}

graphstyle_status graphstyle_options_set_string(graphstyle_options* options, const char* field, const char* value) {
  return guarded([&] {
    need(options, "options");
    need(field, "field");
    need(value, "value");
    graphstyle::StylizeOptions& o = options->options;
    const std::string f = field, v = value;
    auto bad = [&](const char* expected) {
      return graphstyle::OptionError(f, f + " '" + v + "': expected " + expected);
    };
    if (f == "method") {
      if (v != "gnn" && v != "adain") throw bad("gnn or adain");
      o.method = v == "gnn" ? graphstyle::Method::gnn : graphstyle::Method::adain;
    } else if (f == "aggregator") {
      o.aggregator = graphstyle::parse_aggregator(v, f);
    } else if (f == "metric") {
      if (v != "ncc" && v != "euclidean") throw bad("ncc or euclidean");
      o.metric = v == "ncc" ? graphstyle::Metric::ncc : graphstyle::Metric::euclidean;
    } else if (f == "knn") {
      if (v != "exact" && v != "approximate") throw bad("exact or approximate");
      o.knn = v == "exact" ? graphstyle::Knn::exact : graphstyle::Knn::approximate;
    } else if (f == "precision") {
      if (v != "fp32" && v != "bf16") throw bad("fp32 or bf16");
      o.precision = v == "fp32" ? graphstyle::Precision::fp32 : graphstyle::Precision::bf16;
    } else {
      throw graphstyle::OptionError(f, "no string option '" + f + "' (method, aggregator, metric, knn, precision)");
    }
  });
}

graphstyle_status graphstyle_stylize_rgb8(const graphstyle_model* model, graphstyle_context* context,
                                          const graphstyle_options* options, const uint8_t* content, int cw, int ch,
                                          const uint8_t* style, int sw, int sh, uint8_t* out) {
  return stylize(model, context, options, content, cw, ch, style, sw, sh, out);
}

graphstyle_status graphstyle_stylize_float(const graphstyle_model* model, graphstyle_context* context,
                                           const graphstyle_options* options, const float* content, int cw, int ch,
                                           const float* style, int sw, int sh, float* out) {
  return stylize(model, context, options, content, cw, ch, style, sw, sh, out);
}

static_assert(GRAPHSTYLE_QUALITY_METRICS == graphstyle::QualityMetrics::count);

graphstyle_status graphstyle_quality_rgb8(const graphstyle_model* model, const uint8_t* output, const uint8_t* content,
                                          int width, int height, const uint8_t* style, int sw, int sh,
                                          double* metrics) {
  return guarded([&] {
    need(model, "model");
    need(metrics, "metrics");
    const graphstyle::Image o = graphstyle::to_float(wrap(output, width, height, "output"));
    const graphstyle::Image c = graphstyle::to_float(wrap(content, width, height, "content"));
    const graphstyle::Image s = graphstyle::to_float(wrap(style, sw, sh, "style"));
    const graphstyle::QualityMetrics m = graphstyle::QualityMeter(model->model).measure(o, c, s);
    const auto values = m.values();
    std::copy(values.begin(), values.end(), metrics);
  });
}

const char* graphstyle_quality_metric_name(int index) {
  const auto& names = graphstyle::QualityMetrics::names();
  return index >= 0 && index < graphstyle::QualityMetrics::count ? names[index] : nullptr;
}

graphstyle_status graphstyle_image_load_rgb8(const char* path, uint8_t** pixels, int* width, int* height) {
  return guarded([&] {
    need(path, "path");
    need(pixels, "pixels");
    need(width, "width");
    need(height, "height");
    *pixels = nullptr;
    const graphstyle::ImageRGB8 image = graphstyle::to_rgb8(graphstyle::load_image(path));
    void* buffer = std::malloc(image.pixels.size());
    if (!buffer) throw std::bad_alloc();
    std::memcpy(buffer, image.pixels.data(), image.pixels.size());
    *pixels = static_cast<uint8_t*>(buffer);
    *width = image.width;
    *height = image.height;
  });
}

graphstyle_status graphstyle_image_save_rgb8(const char* path, const uint8_t* pixels, int width, int height) {
  return guarded([&] {
    need(path, "path");
    graphstyle::save_image(path, graphstyle::to_float(wrap(pixels, width, height, "pixels")));
  });
}

graphstyle_status graphstyle_image_resize_rgb8(const uint8_t* pixels, int width, int height, uint8_t* out,
                                               int out_width, int out_height) {
  return guarded([&] {
    need(out, "out");
    const graphstyle::ImageRGB8 r = graphstyle::to_rgb8(
        graphstyle::resize(graphstyle::to_float(wrap(pixels, width, height, "pixels")), out_width, out_height));
    std::memcpy(out, r.pixels.data(), r.pixels.size());
  });
}

void graphstyle_free(void* buffer) { std::free(buffer); }

graphstyle_status graphstyle_tune_allocator(void) {
  return guarded([&] {
    if (!graphstyle::tune_allocator())
      throw graphstyle::Error(graphstyle::ErrorCode::internal, "glibc refused a malloc setting");
  });
}

}  // extern "C"
