#!/usr/bin/env bash
# libgraphstyle.so exports the public API and nothing of the library's insides: no gs:: (internal)
# symbol, no graphstyle::detail, no copy of a dependency's (nlohmann, oneDNN) inline code under our
# name; and the C and C++ entry points are there. (Template code of the C++ standard library that the
# library instantiates stays weak and default-visible, as libstdc++ declares it: harmless.)
#   tests/install/test_exported_symbols.sh LIBGRAPHSTYLE.so
set -euo pipefail
lib="$1"
symbols=$(nm -DC --defined-only "$lib" | cut -d' ' -f3-)
leaks=$(grep -E '(^|[^a-z_])gs::|graphstyle::detail|nlohmann::|dnnl::|^dnnl_' <<<"$symbols" || true)
if [ -n "$leaks" ]; then
  echo "FAIL: $lib exports $(wc -l <<<"$leaks") internal symbols, e.g.:" >&2
  head -5 <<<"$leaks" >&2
  exit 1
fi
for wanted in 'graphstyle_model_load' 'graphstyle_last_error' 'graphstyle::Model::load(' 'graphstyle::build_model_file(' \
              'graphstyle::Trainer::create(' 'graphstyle::QualityMeter::measure(' 'graphstyle::list_images('; do
  grep -qF "$wanted" <<<"$symbols" || { echo "FAIL: $lib does not export $wanted" >&2; exit 1; }
done
echo "exported: $(grep -c 'graphstyle' <<<"$symbols") graphstyle symbols, none internal"
