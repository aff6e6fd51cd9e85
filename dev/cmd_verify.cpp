// graphstyle-dev verify: runs every golden file whose op this build knows and compares forward values
// and gradients with PyTorch's. Files of ops not built yet are listed as skipped, never as passed.
// At the end, which rows of the op table (autograd/op_table.h) no passing file ran.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "autograd/profiler.h"
#include "dev/fixture_case.h"
#include "tools/args.h"

namespace gs::tools {

namespace fs = std::filesystem;

namespace {
const char* kUsage =
    "usage: graphstyle-dev verify [--fixtures DIR] [--only NAME] [-v]\n"
    "  Checks this build against the PyTorch golden files (default DIR: ../shared/fixtures).\n"
    "  --only NAME  run only files whose name contains NAME\n"
    "  -v           print every compared tensor\n";

std::vector<FixtureChecker> all_checkers() {
  std::vector<FixtureChecker> all = nn_fixture_checkers();
  for (const FixtureChecker& c : graph_fixture_checkers()) all.push_back(c);
  for (const FixtureChecker& c : train_fixture_checkers()) all.push_back(c);
  return all;
}
}  // namespace

int run_verify(const std::vector<std::string>& argv) {
  Args args(argv, kUsage);
  if (args.help()) {
    std::printf("%s", kUsage);
    return 0;
  }
  const std::string dir = args.get("--fixtures", "../shared/fixtures");
  const std::string only = args.get("--only", "");
  const bool verbose = args.flag("-v");
  args.finish();
  if (!fs::is_directory(dir))
    throw std::runtime_error("--fixtures " + dir + ": not a folder (the golden files are in ../shared/fixtures)");

  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".h5" && e.path().filename().string().find(only) != std::string::npos)
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  if (files.empty()) throw std::runtime_error("--fixtures " + dir + ": no .h5 golden files there");

  const std::vector<FixtureChecker> checkers = all_checkers();
  int passed = 0, failed = 0, skipped = 0;
  ag::Profile covered;  // which ops of autograd/op_table.h the passing files ran, forward or backward
  for (const fs::path& path : files) {
    const std::string name = path.filename().string();
    try {
      FixtureCase fixture(path.string());
      const std::string op = fixture.op();
      auto it = std::find_if(checkers.begin(), checkers.end(), [&](const FixtureChecker& c) { return op == c.op; });
      if (it == checkers.end()) {
        std::printf("SKIP  %-36s %-16s (op not built yet)\n", name.c_str(), op.c_str());
        ++skipped;
        continue;
      }
      ag::Profile ran;
      std::vector<Comparison> results;
      {
        ag::ProfileScope scope(ran);
        it->run(fixture);
        results = fixture.finish();
      }
      bool ok = !results.empty();
      double worst_abs = 0, worst_rel = 0;
      for (const Comparison& c : results) {
        ok = ok && c.pass;
        worst_abs = std::max(worst_abs, c.max_abs);
        // Relative to the reference magnitude, floored so that gradients that are ~0 do not blow it up.
        worst_rel = std::max(worst_rel, c.max_abs / std::max(c.max_ref, 1e-3));
      }
      std::printf("%s  %-36s %-16s max abs %.2e  max rel %.2e  (%zu tensors)\n", ok ? "PASS" : "FAIL", name.c_str(),
                  op.c_str(), worst_abs, worst_rel, results.size());
      for (const Comparison& c : results)
        if (verbose || !c.pass)
          std::printf("      %-4s %-28s max abs %.3e  tol %.3e  max|ref| %.3e %s\n", c.pass ? "ok" : "BAD",
                      c.name.c_str(), c.max_abs, c.tol, c.max_ref, c.note.c_str());
      ok ? ++passed : ++failed;
      if (ok)
        for (size_t i = 0; i < ran.ops.size(); ++i) covered.ops[i].calls += ran.ops[i].calls;
    } catch (const std::exception& e) {
      std::printf("FAIL  %-36s malformed or unreadable: %s\n", name.c_str(), e.what());
      ++failed;
    }
  }
  std::printf("verify: %d passed, %d failed, %d skipped (ops not built yet)\n", passed, failed, skipped);
  // The op table's rows no passing golden file ran: their only checks are the unit tests' finite differences.
  std::string missing;
  int n_covered = 0;
  for (size_t i = 0; i < covered.ops.size(); ++i) {
    if (covered.ops[i].calls > 0) {
      ++n_covered;
      continue;
    }
    missing += (missing.empty() ? "" : ", ") + std::string(ag::kOps[i].name);
  }
  std::printf("verify: %d of %zu autograd ops (autograd/op_table.h) ran in passing golden files; not covered: %s\n",
              n_covered, covered.ops.size(), missing.empty() ? "none" : missing.c_str());
  return failed ? 1 : 0;
}

}  // namespace gs::tools
