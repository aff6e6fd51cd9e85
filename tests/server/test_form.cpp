// The stylize form: the stylize command's defaults and ranges, and a 400 naming the field otherwise.
#include "server/form.h"

#include <doctest/doctest.h>

using gs::server::Part;
using gs::server::RequestError;

namespace {
std::vector<Part> form(std::vector<std::pair<std::string, std::string>> extra) {
  std::vector<Part> parts = {{"content", "c.png", "image/png", "C"}, {"style", "s.png", "image/png", "S"}};
  for (auto& [name, value] : extra) parts.push_back(Part{name, "", "", value});
  return parts;
}

graphstyle::StylizeOptions model_defaults() {
  graphstyle::StylizeOptions o;
  o.patch = 3;
  o.alpha = 0.5f;
  o.mix = 0.5f;
  return o;
}

// The field a form is refused for (and its status), or "" when accepted.
std::pair<int, std::string> refusal(std::vector<std::pair<std::string, std::string>> extra, bool graph = false) {
  try {
    gs::server::parse_stylize_form(form(std::move(extra)), model_defaults(), graph);
  } catch (const RequestError& e) {
    CHECK(std::string(e.what()).find('\n') == std::string::npos);
    return {e.status(), e.field()};
  }
  return {0, ""};
}
}  // namespace

TEST_CASE("server form: the model's defaults, and what is given") {
  auto r = gs::server::parse_stylize_form(form({}), model_defaults(), false);
  CHECK(r.content == "C");
  CHECK(r.style == "S");
  CHECK(r.size == "512");
  CHECK(r.style_size == "512");
  CHECK(r.format == "png");
  CHECK(r.options.method == graphstyle::Method::gnn);
  CHECK(r.options.alpha == 0.5f);
  CHECK(r.options.patch == 3);
  r = gs::server::parse_stylize_form(form({{"alpha", "0.25"}, {"k", "7"}, {"kc", "0"}, {"patch", "5"}, {"stroke", "2"},
                                           {"size", "128"}, {"mix", "adain"}, {"format", "jpg"}, {"deformable", "off"}}),
                                     model_defaults(), false);
  CHECK(r.options.alpha == 0.25f);
  CHECK(r.options.k == 7);
  CHECK(r.options.kc == 0);
  CHECK(r.options.patch == 5);
  CHECK(r.options.stroke == 2.f);
  CHECK(r.options.mix == 1.f);
  CHECK(!r.options.deformable);
  CHECK(r.size == "128");
  CHECK(r.style_size == "128");  // as size unless given
  CHECK(r.format == "jpg");
  // AdaIN: alpha as given, else 1 (the model's recommendation is for its GNN).
  r = gs::server::parse_stylize_form(form({{"method", "adain"}}), model_defaults(), false);
  CHECK(r.options.method == graphstyle::Method::adain);
  CHECK(r.options.alpha == 1.f);
}

TEST_CASE("server form: every bad field is a 4xx naming it") {
  const std::vector<std::pair<std::vector<std::pair<std::string, std::string>>, std::string>> table = {
      {{{"k", "0"}}, "k"},          {{{"k", "65"}}, "k"},        {{{"k", "five"}}, "k"},
      {{{"k", "5.5"}}, "k"},        {{{"kc", "-1"}}, "kc"},      {{{"alpha", "1.5"}}, "alpha"},
      {{{"alpha", "nan"}}, "alpha"}, {{{"alpha", ""}}, "alpha"}, {{{"mix", "lots"}}, "mix"},
      {{{"patch", "4"}}, "patch"},  {{{"patch", "17"}}, "patch"}, {{{"stroke", "0"}}, "stroke"},
      {{{"stroke", "inf"}}, "stroke"}, {{{"method", "cnn"}}, "method"}, {{{"size", "big"}}, "size"},
      {{{"style_size", "0x0"}}, "style_size"}, {{{"format", "gif"}}, "format"}, {{{"quality", "0"}}, "quality"},
      {{{"colour", "red"}}, "colour"}, {{{"k", "3"}, {"k", "4"}}, "k"}, {{{"deformable", "yes"}}, "deformable"},
  };
  for (const auto& [extra, field] : table) {
    CAPTURE(field);
    const auto [status, named] = refusal(extra);
    CHECK(status == 400);
    CHECK(named == field);
  }
  CHECK(refusal({{"method", "adain"}}, true) == std::pair<int, std::string>{400, "method"});
  // A missing or empty image.
  std::vector<Part> parts = {{"content", "c.png", "image/png", "C"}};
  CHECK_THROWS_WITH_AS(gs::server::parse_stylize_form(parts, model_defaults(), false), doctest::Contains("style is missing"),
                       RequestError);
  parts.push_back(Part{"style", "s.png", "image/png", ""});
  CHECK_THROWS_WITH_AS(gs::server::parse_stylize_form(parts, model_defaults(), false), doctest::Contains("style is empty"),
                       RequestError);
}
