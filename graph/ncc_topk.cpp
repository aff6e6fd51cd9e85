#include "graph/ncc_topk.h"

#include <omp.h>

#include <algorithm>
#include <exception>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>

#include "graph/patch_dots.h"
#include "graph/patch_stats.h"
#include "graph/running_topk.h"

namespace gs::graph {

namespace {

constexpr int64_t kScratchBudget = int64_t{64} << 20;  // bytes of PatchDots scratch per thread
constexpr int64_t kGemmColumns = 256;  // columns per GEMM call: oneDNN runs near peak from here on

std::string hw_str(const Tensor& f) { return std::to_string(f.size(1)) + "x" + std::to_string(f.size(2)); }

void check_patch_size(int p) {
  if (p < 1 || p % 2 == 0)
    throw std::invalid_argument("patch size p=" + std::to_string(p) + " must be odd and positive (MODEL.md 2.1)");
}

// f: [C,H,W] with H, W >= p and at most 2^31 - 1 nodes (edges store int32 node indices).
void check_map(const Tensor& f, int p, const std::string& what) {
  if (!f.defined() || f.dim() != 3 || f.numel() == 0)
    throw std::invalid_argument(what + " must be a non-empty [C,H,W] map (one image of the batch), got " +
                                (f.defined() ? shape_str(f.shape()) : std::string("an undefined tensor")));
  if (f.size(1) < p || f.size(2) < p)
    throw std::invalid_argument(what + " " + hw_str(f) + " is smaller than the patch size p=" + std::to_string(p));
  if ((f.size(1) - p + 1) * (f.size(2) - p + 1) > std::numeric_limits<int32_t>::max())
    throw std::invalid_argument(what + " " + hw_str(f) + " has more than 2^31 - 1 patches");
}

int64_t nodes_of(const Tensor& f, int p) { return (f.size(1) - p + 1) * (f.size(2) - p + 1); }

ShiftedMap shifted(const Tensor& contiguous_map, float shift) {
  return {contiguous_map.data(), contiguous_map.size(0), contiguous_map.size(1), contiguous_map.size(2), shift};
}

// The largest band that fits the scratch budget, then evenly cut into a multiple of
// threads * tasks_per_thread bands (tasks_per_thread > 1 when the bands cost different amounts).
Blocking choose_blocking(const ShiftedMap& rows, const ShiftedMap& cols, int p, Blocking b, int threads,
                         int tasks_per_thread) {
  if (b.chunk_rows <= 0) b.chunk_rows = std::clamp<int64_t>((kGemmColumns + cols.W - 1) / cols.W, 1, cols.H);
  if (b.band_rows > 0) return b;
  const int64_t grid_h = rows.grid_h(p);
  int64_t widest = 1;
  while (widest < grid_h && PatchDots::scratch_bytes(rows, cols, p, widest + 1, b.chunk_rows) <= kScratchBudget)
    ++widest;
  const int64_t tasks = int64_t{threads} * tasks_per_thread;
  const int64_t bands = tasks * ((grid_h + tasks * widest - 1) / (tasks * widest));
  b.band_rows = (grid_h + bands - 1) / bands;
  // Intra bands stream from their own first row: whole chunks from there end past the map unless
  // the band starts on a multiple of chunk_rows. Round up when that keeps the number of bands.
  const int64_t aligned = (b.band_rows + b.chunk_rows - 1) / b.chunk_rows * b.chunk_rows;
  if ((grid_h + aligned - 1) / aligned == bands) b.band_rows = aligned;
  return b;
}

// <z_i, z_j> / ((|z_i| + eps)(|z_j| + eps)) with <z_i, z_j> = <P_i, P_j> - S1_i S1_j / D. Written
// symmetric in (i, j) to the last bit, and exactly 0 when either patch is constant (inv_norm 0).
inline float ncc(float dot, float sum_i, float sum_j, float inv_i, float inv_j, float inv_d) {
  return (dot - sum_i * sum_j * inv_d) * (inv_i * inv_j);
}

// |P_i|^2 + |P_j|^2 - 2 <P_i, P_j>, clamped at 0 (the shift cancels: both maps share it).
inline float sqdist(float dot, double sumsq_i, double sumsq_j) {
  return static_cast<float>(std::max(0.0, sumsq_i + sumsq_j - 2.0 * dot));
}

// Offers keys[0..n) (candidates j0 .. j0+n-1) to row `node`, leaving out candidate `skip`.
inline void offer_run(RunningTopK& top, int64_t node, const float* keys, int64_t j0, int64_t n,
                      int64_t skip = -1) {
  float bar = top.threshold(node);
  for (int64_t o = 0; o < n; ++o)
    if (keys[o] >= bar && j0 + o != skip) {
      top.offer(node, keys[o], static_cast<int32_t>(j0 + o));
      bar = top.threshold(node);
    }
}

// How the bands share the running top-k lists.
enum class Rows {
  owned,   // a band offers candidates only to its own rows: one list for all threads
  shared,  // a band offers to other bands' rows too: one list per thread, merged at the end
};

// Runs body(band_start, band_stop, top, scratch) for every band of node rows on all threads, each
// thread with its own PatchDots scratch.
template <class Body>
RunningTopK run_bands(const PatchDots& dots, int64_t grid_h, int64_t band_rows, int64_t nodes, int64_t k,
                      int threads, Rows rows, const Body& body) {
  std::vector<RunningTopK> tops(rows == Rows::shared ? threads : 1, RunningTopK(nodes, k));
  const int64_t bands = (grid_h + band_rows - 1) / band_rows;
  std::exception_ptr failure;
  std::mutex failure_mutex;
#pragma omp parallel num_threads(threads)
  {
    try {
      PatchDots::Scratch scratch = dots.make_scratch();
      RunningTopK& top = tops[rows == Rows::shared ? omp_get_thread_num() : 0];
      // dynamic: bands starting higher up cost more for intra edges; taken in order they balance.
#pragma omp for schedule(dynamic, 1)
      for (int64_t b = 0; b < bands; ++b) body(b * band_rows, std::min(grid_h, (b + 1) * band_rows), top, scratch);
    } catch (...) {  // an exception must not leave an OpenMP region
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
#pragma omp parallel for schedule(static) num_threads(threads)
  for (int64_t node = 0; node < nodes; ++node)
    for (size_t t = 1; t < tops.size(); ++t) tops[0].merge_row(node, tops[t]);
  return std::move(tops[0]);
}

}  // namespace

void check_inter_arguments(const Tensor& fc, const Tensor& fs, int p, int k) {
  check_patch_size(p);
  check_map(fc, p, "content map fc");
  check_map(fs, p, "style map fs");
  if (fc.size(0) != fs.size(0))
    throw std::invalid_argument("content map fc has " + std::to_string(fc.size(0)) + " channels but style map fs has " +
                                std::to_string(fs.size(0)));
  const int64_t Ns = nodes_of(fs, p);
  if (k < 1 || k > Ns)
    throw std::invalid_argument("k=" + std::to_string(k) + " must be in 1.." + std::to_string(Ns) + " (the " +
                                hw_str(fs) + " style map has " + std::to_string(Ns) +
                                " nodes for p=" + std::to_string(p) + ")");
}

void check_intra_arguments(const Tensor& fc, int p, int kc, const std::vector<int32_t>* region) {
  check_patch_size(p);
  check_map(fc, p, "content map fc");
  const int64_t Nc = nodes_of(fc, p);
  if (kc < 1 || kc > Nc - 1)
    throw std::invalid_argument("kc=" + std::to_string(kc) + " must be in 1.." + std::to_string(Nc - 1) +
                                " (the " + hw_str(fc) + " content map has " + std::to_string(Nc) +
                                " nodes for p=" + std::to_string(p) + "; kc=0 means: skip the intra edges)");
  if (region && static_cast<int64_t>(region->size()) != Nc)
    throw std::invalid_argument("intra_edges: " + std::to_string(region->size()) + " region labels for " +
                                std::to_string(Nc) + " content nodes");
}

// fc: [C,Hc,Wc], fs: [C,Hs,Ws] -> edges [Nc,k]
Edges inter_edges(const Tensor& fc, const Tensor& fs, int p, int k, Metric metric, const Blocking& blocking) {
  check_inter_arguments(fc, fs, p, k);
  const Tensor fcc = fc.contiguous(), fsc = fs.contiguous();
  float shift_c = finite_mean(fcc.data(), fcc.numel(), "content map fc");
  float shift_s = finite_mean(fsc.data(), fsc.numel(), "style map fs");
  if (metric == Metric::euclidean) {  // a distance is invariant to a shift only if both maps share it
    const double n_c = static_cast<double>(fcc.numel()), n_s = static_cast<double>(fsc.numel());
    shift_c = shift_s = static_cast<float>((shift_c * n_c + shift_s * n_s) / (n_c + n_s));
  }
  const ShiftedMap rows = shifted(fcc, shift_c), cols = shifted(fsc, shift_s);
  const PatchStats rs = patch_stats(rows, p), cs = patch_stats(cols, p);

  const int threads = omp_get_max_threads();
  const Blocking b = choose_blocking(rows, cols, p, blocking, threads, 1);
  const PatchDots dots(rows, cols, p, b.band_rows, b.chunk_rows);
  const int64_t gwr = rs.grid_w, gwc = cs.grid_w;
  const float inv_d = 1.f / static_cast<float>(rows.C * p * p);

  // Keys are "larger is better": NCC itself, or minus the squared distance.
  auto body = [&](int64_t r0, int64_t r1, RunningTopK& top, PatchDots::Scratch& scratch) {
    std::vector<float> keys(gwc);
    dots.run_band(r0, r1, 0, scratch, [&](int64_t oy_i, int64_t oy_j, const float* d) {
      for (int64_t ox_i = 0; ox_i < gwr; ++ox_i, d += gwc) {
        const int64_t i = oy_i * gwr + ox_i, j0 = oy_j * gwc;
        if (metric == Metric::ncc) {
          const float s_i = rs.sum[i], n_i = rs.inv_norm[i];
          for (int64_t o = 0; o < gwc; ++o)
            keys[o] = ncc(d[o], s_i, cs.sum[j0 + o], n_i, cs.inv_norm[j0 + o], inv_d);
        } else {
          const double q_i = rs.sumsq[i];
          for (int64_t o = 0; o < gwc; ++o) keys[o] = -sqdist(d[o], q_i, cs.sumsq[j0 + o]);
        }
        offer_run(top, i, keys.data(), j0, gwc);
      }
    });
  };
  const RunningTopK top = run_bands(dots, rs.grid_h, b.band_rows, rs.nodes(), k, threads, Rows::owned, body);

  Edges e;
  e.nodes = rs.nodes();
  e.k = k;
  e.index.assign(top.indices(0), top.indices(0) + e.nodes * k);
  e.score.resize(e.nodes * k);
  const float sign = metric == Metric::ncc ? 1.f : -1.f;
  for (int64_t n = 0; n < e.nodes * k; ++n) e.score[n] = sign * top.keys(0)[n] + 0.f;  // + 0: no -0 scores
  return e;
}

// fc: [C,Hc,Wc] -> edges [Nc,kc+1]
Edges intra_edges(const Tensor& fc, int p, int kc, const Blocking& blocking, const std::vector<int32_t>* region) {
  check_intra_arguments(fc, p, kc, region);
  const int64_t Nc = nodes_of(fc, p);
  const int32_t* label = region ? region->data() : nullptr;

  const Tensor fcc = fc.contiguous();
  const ShiftedMap map = shifted(fcc, finite_mean(fcc.data(), fcc.numel(), "content map fc"));
  const PatchStats st = patch_stats(map, p);

  // The content-content NCC matrix is symmetric: a band scores its own rows against itself and
  // every later row, and hands each later-row score to that row too (its "mirror").
  const int threads = omp_get_max_threads();
  const Blocking b = choose_blocking(map, map, p, blocking, threads, 2);
  const PatchDots dots(map, map, p, b.band_rows, b.chunk_rows);
  const int64_t gw = st.grid_w;
  const float inv_d = 1.f / static_cast<float>(map.C * p * p);

  auto body = [&](int64_t r0, int64_t r1, RunningTopK& top, PatchDots::Scratch& scratch) {
    std::vector<float> keys(gw);
    dots.run_band(r0, r1, r0, scratch, [&](int64_t oy_i, int64_t oy_j, const float* d) {
      const bool mirror = oy_j >= r1;  // row oy_j belongs to a later band, which never sees row oy_i
      for (int64_t ox_i = 0; ox_i < gw; ++ox_i, d += gw) {
        const int64_t i = oy_i * gw + ox_i, j0 = oy_j * gw;
        const float s_i = st.sum[i], n_i = st.inv_norm[i];
        for (int64_t o = 0; o < gw; ++o) keys[o] = ncc(d[o], s_i, st.sum[j0 + o], n_i, st.inv_norm[j0 + o], inv_d);
        if (label)  // NaN fails every `>=` below: another region's node is never offered
          for (int64_t o = 0; o < gw; ++o)
            if (label[j0 + o] != label[i]) keys[o] = std::numeric_limits<float>::quiet_NaN();
        offer_run(top, i, keys.data(), j0, gw, /*skip=*/i);
        if (mirror)
          for (int64_t o = 0; o < gw; ++o)
            if (keys[o] >= top.threshold(j0 + o)) top.offer(j0 + o, keys[o], static_cast<int32_t>(i));
      }
    });
  };
  const RunningTopK top = run_bands(dots, st.grid_h, b.band_rows, Nc, kc, threads, Rows::shared, body);

  Edges e;
  e.nodes = Nc;
  e.k = kc + 1;
  e.index.resize(Nc * e.k);
  e.score.resize(Nc * e.k);
  for (int64_t i = 0; i < Nc; ++i) {
    for (int64_t m = 0; m < kc; ++m) {
      const bool empty = top.indices(i)[m] == std::numeric_limits<int32_t>::max();  // a small region
      e.index[i * e.k + m] = empty ? static_cast<int32_t>(i) : top.indices(i)[m];
      e.score[i * e.k + m] = empty ? st.self_ncc[i] : top.keys(i)[m] + 0.f;
    }
    e.index[i * e.k + kc] = static_cast<int32_t>(i);  // the self-loop comes last (MODEL.md 2.10)
    e.score[i * e.k + kc] = st.self_ncc[i];
  }
  return e;
}

}  // namespace gs::graph
