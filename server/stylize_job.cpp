#include "server/stylize_job.h"

#include "server/graph_json.h"

namespace gs::server {

namespace {
void check_deadline(const JobLimits& limits) {
  if (std::chrono::steady_clock::now() > limits.deadline)
    throw RequestError(503, "", "the request took longer than the server's time limit; retry later");
}

// The upload decoded (within the pixel limits) and resized to `size` (the stylize command's forms).
graphstyle::Image sized_image(const std::string& bytes, const std::string& field, const std::string& size,
                              const std::string& size_field, const JobLimits& limits) {
  graphstyle::Image image;
  try {
    image = graphstyle::decode_image(bytes.data(), bytes.size(), field,
                                     graphstyle::ImageLimits{limits.max_side, limits.max_pixels});
  } catch (const graphstyle::Error& e) {
    if (e.code() == graphstyle::ErrorCode::out_of_memory) throw;
    throw RequestError(422, field, e.what());
  }
  const graphstyle::ImageSize to = graphstyle::sized(image.width, image.height, size, size_field);
  if (int64_t{to.width} * to.height > limits.max_pixels || to.width > limits.max_side || to.height > limits.max_side)
    throw RequestError(413, size_field,
                       size_field + " " + size + ": " + std::to_string(to.width) + "x" + std::to_string(to.height) +
                           " is more than the server's limit of " + std::to_string(limits.max_pixels) +
                           " pixels (or " + std::to_string(limits.max_side) + " on a side)");
  return graphstyle::resize(image, to.width, to.height);
}
}  // namespace

Answer run_stylize_job(const graphstyle::Model& model, graphstyle::Context& context, const StylizeRequest& request,
                       StyleCache& cache, const JobLimits& limits, bool graph, int threads) {
  check_deadline(limits);
  const graphstyle::Image content = sized_image(request.content, "content", request.size, "size", limits);
  graphstyle::StylizeOptions options = request.options;
  options.threads = threads;
  std::optional<graphstyle::StyleFeatures> style = cache.get(request.style, request.style_size);
  if (!style) {
    const graphstyle::Image image = sized_image(request.style, "style", request.style_size, "style_size", limits);
    check_deadline(limits);
    style = model.encode_style(context, image, options);
    cache.put(request.style, request.style_size, *style, style->bytes());
  }
  check_deadline(limits);
  graphstyle::Trace trace;
  graphstyle::Image out;
  try {
    out = model.stylize(context, content, *style, options, graph ? &trace : nullptr);
  } catch (const graphstyle::OptionError& e) {  // an option the images cannot take (k beyond the style patches)
    throw RequestError(400, e.field(), e.what());
  }
  Answer a;
  if (!graph) {
    const std::vector<uint8_t> bytes = graphstyle::encode_image(out, request.format, request.quality);
    a.content_type = request.format == "png" ? "image/png" : "image/jpeg";
    a.body.assign(bytes.begin(), bytes.end());
    return a;
  }
  nlohmann::json j = graph_json(trace.graph(), style->width(), style->height());
  j["image"] = "data:image/png;base64," + base64(graphstyle::encode_image(out, "png"));
  a.content_type = "application/json";
  a.body = j.dump();
  return a;
}

}  // namespace gs::server
