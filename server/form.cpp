#include "server/form.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

namespace gs::server {

namespace {
const std::set<std::string> kFields = {"content", "style", "method", "alpha", "mix", "k", "kc", "patch", "stroke",
                                       "deformable", "aggregator", "metric", "size", "style_size", "format", "quality"};

[[noreturn]] void bad(const std::string& field, const std::string& message) { throw RequestError(400, field, message); }

std::string short_number(double v) {
  char out[32];
  std::snprintf(out, sizeof out, "%g", v);
  return out;
}

double number(const std::string& field, const std::string& text, double lo, double hi) {
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v))
    bad(field, field + " '" + text + "': expected a number");
  if (!(v >= lo && v <= hi)) bad(field, field + " " + text + ": must be in [" + short_number(lo) + ", " + short_number(hi) + "]");
  return v;
}

int integer(const std::string& field, const std::string& text, long lo, long hi) {
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE) bad(field, field + " '" + text + "': expected an integer");
  if (v < lo || v > hi) bad(field, field + " " + text + ": must be in " + std::to_string(lo) + ".." + std::to_string(hi));
  return static_cast<int>(v);
}

std::string choice(const std::string& field, const std::string& text, const std::vector<std::string>& allowed) {
  std::string list;
  for (const std::string& a : allowed) {
    if (text == a) return text;
    list += (list.empty() ? "" : ", ") + a;
  }
  bad(field, field + " '" + text + "': expected one of " + list);
}

const std::string& checked_size(const std::string& field, const std::string& text) {
  try {
    graphstyle::sized(512, 512, text, field);
    return text;
  } catch (const graphstyle::Error& e) {
    bad(field, e.what());
  }
}
}  // namespace

StylizeRequest parse_stylize_form(const std::vector<Part>& parts, const graphstyle::StylizeOptions& defaults,
                                  bool graph) {
  std::map<std::string, const Part*> by_name;
  for (const Part& p : parts) {
    if (!kFields.count(p.name)) {
      std::string list;
      for (const std::string& f : kFields) list += (list.empty() ? "" : ", ") + f;
      bad(p.name, "unknown field '" + p.name + "' (fields: " + list + ")");
    }
    if (!by_name.emplace(p.name, &p).second) bad(p.name, "field " + p.name + " is given twice");
  }
  const auto text = [&](const std::string& name) -> const std::string* {
    const auto it = by_name.find(name);
    if (it == by_name.end()) return nullptr;
    if (it->second->content.empty()) bad(name, "field " + name + " is empty");
    return &it->second->content;
  };
  StylizeRequest r;
  for (const char* image : {"content", "style"}) {
    const std::string* bytes = text(image);
    if (!bytes) bad(image, std::string("field ") + image + " is missing: upload an image file (PNG, JPEG or BMP)");
    (std::string(image) == "content" ? r.content : r.style) = *bytes;
  }
  const std::string method = text("method") ? choice("method", *text("method"), {"gnn", "adain"}) : "gnn";
  if (graph && method != "gnn") bad("method", "method " + method + ": the graph exists for method gnn only");
  if (const std::string* s = text("size")) r.size = checked_size("size", *s);
  r.style_size = r.size;
  if (const std::string* s = text("style_size")) r.style_size = checked_size("style_size", *s);
  if (const std::string* s = text("format")) r.format = choice("format", *s, {"png", "jpg", "jpeg"});
  if (const std::string* s = text("quality")) r.quality = integer("quality", *s, 1, 100);

  // As `graphstyle stylize`: the model's defaults, then what was given; every field is checked
  // against the command's ranges whichever the method.
  graphstyle::StylizeOptions& o = r.options;
  o = defaults;
  o.method = method == "gnn" ? graphstyle::Method::gnn : graphstyle::Method::adain;
  const std::string* alpha = text("alpha");
  if (alpha) o.alpha = static_cast<float>(number("alpha", *alpha, 0.0, 1.0));
  if (const std::string* s = text("mix"))
    o.mix = *s == "content" ? 0.f : *s == "adain" ? 1.f : static_cast<float>(number("mix", *s, 0.0, 1.0));
  if (const std::string* s = text("k")) o.k = integer("k", *s, 1, 64);
  if (const std::string* s = text("kc")) o.kc = integer("kc", *s, 0, 64);
  if (const std::string* s = text("patch")) {
    o.patch = integer("patch", *s, 1, 15);
    if (o.patch % 2 == 0) bad("patch", "patch " + *s + ": must be odd");
  }
  if (const std::string* s = text("stroke")) o.stroke = static_cast<float>(number("stroke", *s, 1e-3, 100.0));
  if (const std::string* s = text("deformable")) o.deformable = choice("deformable", *s, {"on", "off"}) == "on";
  if (const std::string* s = text("aggregator"))
    o.aggregator = graphstyle::parse_aggregator(choice("aggregator", *s, {"gat", "mean", "gin", "edgeconv", "sage"}));
  if (const std::string* s = text("metric"))
    o.metric = choice("metric", *s, {"ncc", "euclidean"}) == "ncc" ? graphstyle::Metric::ncc
                                                                   : graphstyle::Metric::euclidean;
  if (method == "adain") {  // a model's recommendation is for its GNN
    o = defaults;
    o.method = graphstyle::Method::adain;
    o.alpha = alpha ? static_cast<float>(number("alpha", *alpha, 0.0, 1.0)) : 1.f;
  }
  return r;
}

}  // namespace gs::server
