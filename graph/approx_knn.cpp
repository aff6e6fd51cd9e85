#include "graph/approx_knn.h"

#include <omp.h>

#ifdef __AVX512F__
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>

#include "graph/patch_stats.h"
#include "graph/running_topk.h"

namespace gs::graph {

namespace {

// The coarse exact k-NN costs about as much as the fine one of 16k x 16k patches (~1 s here).
constexpr double kCoarsePairs = 16384.0 * 16384.0;
// Node rows per band: a band is scanned in raster order by one thread, so the result does not
// depend on the thread count; propagation does not cross a band's edge.
constexpr int64_t kBandRows = 16;
constexpr int32_t kEmpty = std::numeric_limits<int32_t>::max();

// <a, b> over n floats with independent partial sums (a single sum would wait on every add).
inline float dot_run(const float* __restrict a, const float* __restrict b, int64_t n) {
  int64_t e = 0;
  float s = 0.f;
#ifdef __AVX512F__
  __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps(), acc2 = _mm512_setzero_ps(), acc3 = _mm512_setzero_ps();
  for (; e + 64 <= n; e += 64) {
    acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + e), _mm512_loadu_ps(b + e), acc0);
    acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + e + 16), _mm512_loadu_ps(b + e + 16), acc1);
    acc2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + e + 32), _mm512_loadu_ps(b + e + 32), acc2);
    acc3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + e + 48), _mm512_loadu_ps(b + e + 48), acc3);
  }
  s = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(acc0, acc1), _mm512_add_ps(acc2, acc3)));
#else
  constexpr int kLanes = 32;
  float acc[kLanes] = {};
  for (; e + kLanes <= n; e += kLanes)
    for (int l = 0; l < kLanes; ++l) acc[l] += a[e + l] * b[e + l];
  for (int l = 0; l < kLanes; ++l) s += acc[l];
#endif
  for (; e < n; ++e) s += a[e] * b[e];
  return s;
}

// f: [C,H,W] -> [C,H/s,W/s], the mean of each s x s block (a remainder row or column is dropped).
Tensor avg_pool(const Tensor& f, int s) {
  const int64_t C = f.size(0), H = f.size(1), W = f.size(2), h = H / s, w = W / s;
  Tensor out = Tensor::empty({C, h, w});
  const float* in = f.data();
  float* o = out.data();
  const float inv = 1.f / static_cast<float>(s * s);
#pragma omp parallel for schedule(static)
  for (int64_t c = 0; c < C; ++c)
    for (int64_t y = 0; y < h; ++y)
      for (int64_t x = 0; x < w; ++x) {
        float acc = 0.f;
        for (int dy = 0; dy < s; ++dy)
          for (int dx = 0; dx < s; ++dx) acc += in[(c * H + y * s + dy) * W + x * s + dx];
        o[(c * h + y) * w + x] = acc * inv;
      }
  return out;
}

// One map of the search: its shifted view, its patch statistics and a pixel-major copy
// ([H*W, C]), in which a patch row is p*C contiguous floats.
struct Side {
  ShiftedMap map;
  PatchStats st;
  std::vector<float> hwc;

  Side(const Tensor& contiguous, float shift, int p) : map{contiguous.data(), contiguous.size(0), contiguous.size(1),
                                                           contiguous.size(2), shift} {
    st = patch_stats(map, p);
    const int64_t C = map.C, HW = map.H * map.W;
    hwc.resize(HW * C);
    constexpr int64_t kTile = 64;
#pragma omp parallel for schedule(static)
    for (int64_t a0 = 0; a0 < HW; a0 += kTile)
      for (int64_t c = 0; c < C; ++c)
        for (int64_t a = a0; a < std::min(HW, a0 + kTile); ++a) hwc[a * C + c] = map.at_pixel(c, a);
  }
};

// Per thread: the column strips of the pairs last scored at each offset d = j - i (grid
// coordinates), strip[kx] = sum_ky <row pixel (oy+ky, ox+kx), column pixel (jy+ky, jx+kx)>. Neighbours
// in a row mostly look at the same offsets (the coarse matches and the propagated ones move with
// them), and the node next to the last one at an offset reuses p - 1 of its strips: p pixel dot
// products per candidate instead of p * p. The strips are summed in kx order either way, so a
// pair's score does not depend on what was cached.
struct StripCache {
  static constexpr int kMaxP = 8;         // larger patches are scored without the cache
  static constexpr int64_t kSlots = 8192;  // a power of 2; a node row meets a few thousand offsets
  static constexpr int kProbes = 16;
  static constexpr int64_t kNone = -2;  // ox of a slot without strips: never a neighbour of a node's ox >= 0
  struct Slot {
    int64_t key = 0, stamp = -1, ox = kNone;
    float strip[kMaxP];
  };
  std::vector<Slot> slots = std::vector<Slot>(kSlots);
  int64_t row = -1, stamp = 0;  // entries of an older stamp (an earlier row) are free

  // The slot of offset `key` in the current row (ox = kNone if new), or null when the probes are full.
  Slot* find(int64_t key, int64_t oy) {
    if (row != oy) row = oy, ++stamp;
    uint64_t h = static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull;
    for (int probe = 0; probe < kProbes; ++probe, ++h) {
      Slot& s = slots[(h >> 40) & (kSlots - 1)];
      if (s.stamp != stamp) {
        s.stamp = stamp;
        s.key = key;
        s.ox = kNone;
        return &s;
      }
      if (s.key == key) return &s;
    }
    return nullptr;
  }
};

// Scores candidate pairs exactly and keeps the k best per content node.
class Search {
 public:
  Search(const Side& rows, const Side& cols, int p, int k, Metric metric, bool intra, const int32_t* label)
      : top(rows.st.nodes(), k), rows_(rows), cols_(cols), p_(p), metric_(metric), intra_(intra), label_(label),
        inv_d_(1.f / static_cast<float>(rows.map.C * p * p)) {}

  // Offers candidate j to node i unless it is i itself (intra), of another region, or already held.
  void offer(int64_t i, int64_t j, StripCache& cache) {
    if (intra_ && i == j) return;
    if (label_ && label_[i] != label_[j]) return;
    const int32_t* held = top.indices(i);
    for (int64_t m = 0; m < top.k(); ++m)
      if (held[m] == j) return;
    const float key = score(i, j, cache);
    if (key >= top.threshold(i)) top.offer(i, key, static_cast<int32_t>(j));
  }

  RunningTopK top;

 private:
  // Column kx of the pair's patches: p pixel dot products over the C channels.
  float strip(int64_t oy, int64_t ox, int64_t jy, int64_t jx, int kx) const {
    const int64_t C = rows_.map.C;
    float s = 0.f;
    for (int ky = 0; ky < p_; ++ky)
      s += dot_run(rows_.hwc.data() + ((oy + ky) * rows_.map.W + ox + kx) * C,
                   cols_.hwc.data() + ((jy + ky) * cols_.map.W + jx + kx) * C, C);
    return s;
  }

  // Larger is better: the NCC (the formula of ncc_topk.cpp), or minus the squared distance.
  float score(int64_t i, int64_t j, StripCache& cache) const {
    const int64_t gwr = rows_.st.grid_w, gwc = cols_.st.grid_w;
    const int64_t oy = i / gwr, ox = i % gwr, jy = j / gwc, jx = j % gwc;
    float dot = 0.f;
    StripCache::Slot* e = p_ <= StripCache::kMaxP ? cache.find(((jy - oy) << 32) + (jx - ox), oy) : nullptr;
    if (!e) {
      for (int kx = 0; kx < p_; ++kx) dot += strip(oy, ox, jy, jx, kx);
    } else {
      float* st = e->strip;
      if (e->ox == ox - 1) {
        std::copy(st + 1, st + p_, st);
        st[p_ - 1] = strip(oy, ox, jy, jx, p_ - 1);
      } else if (e->ox == ox + 1) {
        std::copy_backward(st, st + p_ - 1, st + p_);
        st[0] = strip(oy, ox, jy, jx, 0);
      } else if (e->ox != ox) {
        for (int kx = 0; kx < p_; ++kx) st[kx] = strip(oy, ox, jy, jx, kx);
      }
      e->ox = ox;
      for (int kx = 0; kx < p_; ++kx) dot += st[kx];
    }
    if (metric_ == Metric::ncc)
      return (dot - rows_.st.sum[i] * cols_.st.sum[j] * inv_d_) * (rows_.st.inv_norm[i] * cols_.st.inv_norm[j]);
    return -static_cast<float>(std::max(0.0, rows_.st.sumsq[i] + cols_.st.sumsq[j] - 2.0 * dot));
  }

  const Side& rows_;
  const Side& cols_;
  int p_;
  Metric metric_;
  bool intra_;
  const int32_t* label_;
  float inv_d_;
};

// Where the coarse level sits relative to the fine one.
struct Coarse {
  int s = 1, p = 1;
  Edges edges;            // coarse content node -> coarse column nodes
  int64_t grid_h_rows = 0, grid_w_rows = 0, grid_w_cols = 0;
};

int coarse_patch(int p, int s) { return std::max(1, (p / s) | 1); }

// Runs body(band, search) over the fixed bands of node rows on all threads.
template <class Body>
void for_bands(int64_t grid_h, const Body& body) {
  const int64_t bands = (grid_h + kBandRows - 1) / kBandRows;
  std::exception_ptr failure;
  std::mutex failure_mutex;
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t b = 0; b < bands; ++b) {
    try {
      body(b * kBandRows, std::min(grid_h, (b + 1) * kBandRows));
    } catch (...) {  // an exception must not leave an OpenMP region
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
}

// Seeds every node from the coarse matches, then propagates the neighbours' matches. `window`:
// radius of the fine window around each mapped coarse match.
void search_all(Search& search, const Side& rows, const Side& cols, int p, const Coarse& coarse, int rounds) {
  const int64_t gh = rows.st.grid_h, gw = rows.st.grid_w, ghc = cols.st.grid_h, gwc = cols.st.grid_w;
  const int64_t r = p / 2, rc = coarse.p / 2, s = coarse.s;
  const int64_t radius = 1;
  const int64_t k = search.top.k();
  for_bands(gh, [&](int64_t r0, int64_t r1) {
    std::vector<int64_t> cand;
    StripCache cache;
    for (int64_t oy = r0; oy < r1; ++oy)
      for (int64_t ox = 0; ox < gw; ++ox) {
        const int64_t i = oy * gw + ox;
        // i's coarse node: the coarse pixel under i's centre is the coarse patch's centre.
        const int64_t IY = std::clamp<int64_t>((oy + r) / s - rc, 0, coarse.grid_h_rows - 1);
        const int64_t IX = std::clamp<int64_t>((ox + r) / s - rc, 0, coarse.grid_w_rows - 1);
        const int64_t dy = oy + r - s * (IY + rc), dx = ox + r - s * (IX + rc);
        const int64_t I = IY * coarse.grid_w_rows + IX;
        cand.clear();
        for (int64_t m = 0; m < coarse.edges.k; ++m) {
          const int64_t J = coarse.edges.source(I, m);
          const int64_t cy = s * (J / coarse.grid_w_cols + rc) + dy - r, cx = s * (J % coarse.grid_w_cols + rc) + dx - r;
          for (int64_t wy = -radius; wy <= radius; ++wy)
            for (int64_t wx = -radius; wx <= radius; ++wx) {
              const int64_t y = cy + wy, x = cx + wx;
              if (y >= 0 && y < ghc && x >= 0 && x < gwc) cand.push_back(y * gwc + x);
            }
        }
        std::sort(cand.begin(), cand.end());
        cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
        for (int64_t j : cand) search.offer(i, j, cache);
      }
    // PatchMatch propagation: if j matches i's neighbour at i - step, j + step may match i.
    for (int round = 0; round < rounds; ++round) {
      const bool forward = round % 2 == 0;
      const int64_t step = forward ? 1 : -1;
      for (int64_t n = 0; n < (r1 - r0) * gw; ++n) {
        const int64_t local = forward ? n : (r1 - r0) * gw - 1 - n;
        const int64_t oy = r0 + local / gw, ox = local % gw, i = oy * gw + ox;
        const int64_t ny = oy - step, nx = ox - step;
        auto from = [&](int64_t neighbour, int64_t sy, int64_t sx) {
          for (int64_t m = 0; m < k; ++m) {
            const int32_t j = search.top.indices(neighbour)[m];
            if (j == kEmpty) break;
            const int64_t y = j / gwc + sy, x = j % gwc + sx;
            if (y >= 0 && y < ghc && x >= 0 && x < gwc) search.offer(i, y * gwc + x, cache);
          }
        };
        if (nx >= 0 && nx < gw) from(oy * gw + nx, 0, step);
        if (ny >= r0 && ny < r1) from(ny * gw + ox, step, 0);
      }
    }
  });
}

void check_options(const ApproxOptions& opt) {
  if (opt.pool < 0 || (opt.pool & (opt.pool - 1)) != 0)
    throw std::invalid_argument("approximate k-NN: pool=" + std::to_string(opt.pool) + " must be 0 or a power of 2");
  if (opt.rounds < 0) throw std::invalid_argument("approximate k-NN: rounds=" + std::to_string(opt.rounds) + " must be >= 0");
}

}  // namespace

int approx_pool_factor(int64_t rows_pixels, int64_t cols_pixels, int p, const ApproxOptions& opt) {
  if (opt.pool > 0) return opt.pool;
  int s = 1;
  const double pairs = static_cast<double>(rows_pixels) * static_cast<double>(cols_pixels);
  while (pairs / std::pow(static_cast<double>(s), 4) > kCoarsePairs) s *= 2;
  return s;
}

// fc: [C,Hc,Wc], fs: [C,Hs,Ws] -> edges [Nc,k]
Edges approx_inter_edges(const Tensor& fc, const Tensor& fs, int p, int k, Metric metric, const ApproxOptions& opt) {
  check_options(opt);
  check_inter_arguments(fc, fs, p, k);
  const int s = approx_pool_factor(fc.size(1) * fc.size(2), fs.size(1) * fs.size(2), p, opt);
  const int pc = coarse_patch(p, s);
  const bool small = s == 1 || fc.size(1) / s < pc || fc.size(2) / s < pc || fs.size(1) / s < pc || fs.size(2) / s < pc;
  if (small) return inter_edges(fc, fs, p, k, metric);
  const Tensor fcc = fc.contiguous(), fsc = fs.contiguous();
  Coarse coarse;
  coarse.s = s;
  coarse.p = pc;
  const Tensor pooled_c = avg_pool(fcc, s), pooled_s = avg_pool(fsc, s);
  const int64_t coarse_ns = (pooled_s.size(1) - pc + 1) * (pooled_s.size(2) - pc + 1);
  coarse.edges = inter_edges(pooled_c, pooled_s, pc, static_cast<int>(std::min<int64_t>(2 * k, coarse_ns)), metric);
  coarse.grid_h_rows = pooled_c.size(1) - pc + 1;
  coarse.grid_w_rows = pooled_c.size(2) - pc + 1;
  coarse.grid_w_cols = pooled_s.size(2) - pc + 1;

  float shift_c = finite_mean(fcc.data(), fcc.numel(), "content map fc");
  float shift_s = finite_mean(fsc.data(), fsc.numel(), "style map fs");
  if (metric == Metric::euclidean) {  // as inter_edges: both maps share the shift
    const double n_c = static_cast<double>(fcc.numel()), n_s = static_cast<double>(fsc.numel());
    shift_c = shift_s = static_cast<float>((shift_c * n_c + shift_s * n_s) / (n_c + n_s));
  }
  const Side rows(fcc, shift_c, p), cols(fsc, shift_s, p);
  Search search(rows, cols, p, k, metric, /*intra=*/false, nullptr);
  search_all(search, rows, cols, p, coarse, opt.rounds);

  Edges e;
  e.nodes = rows.st.nodes();
  e.k = k;
  e.index.assign(search.top.indices(0), search.top.indices(0) + e.nodes * k);
  e.score.resize(e.nodes * k);
  const float sign = metric == Metric::ncc ? 1.f : -1.f;
  for (int64_t n = 0; n < e.nodes * k; ++n) e.score[n] = sign * search.top.keys(0)[n] + 0.f;
  return e;
}

// fc: [C,Hc,Wc] -> edges [Nc,kc+1]
Edges approx_intra_edges(const Tensor& fc, int p, int kc, const std::vector<int32_t>* region, const ApproxOptions& opt) {
  check_options(opt);
  check_intra_arguments(fc, p, kc, region);
  const int64_t pixels = fc.size(1) * fc.size(2), Nc = (fc.size(1) - p + 1) * (fc.size(2) - p + 1);
  const int s = approx_pool_factor(pixels, pixels, p, opt);
  const int pc = coarse_patch(p, s);
  const bool small = s == 1 || fc.size(1) / s < pc || fc.size(2) / s < pc ||
                     (fc.size(1) / s - pc + 1) * (fc.size(2) / s - pc + 1) < 2;
  if (small) return intra_edges(fc, p, kc, {}, region);

  const Tensor fcc = fc.contiguous();
  Coarse coarse;
  coarse.s = s;
  coarse.p = pc;
  const Tensor pooled = avg_pool(fcc, s);
  const int64_t coarse_n = (pooled.size(1) - pc + 1) * (pooled.size(2) - pc + 1);
  // The coarse self-loop (its last column) seeds i's own neighbourhood.
  coarse.edges = intra_edges(pooled, pc, static_cast<int>(std::min<int64_t>(2 * kc, coarse_n - 1)));
  coarse.grid_h_rows = pooled.size(1) - pc + 1;
  coarse.grid_w_rows = coarse.grid_w_cols = pooled.size(2) - pc + 1;

  const Side map(fcc, finite_mean(fcc.data(), fcc.numel(), "content map fc"), p);
  Search search(map, map, p, kc, Metric::ncc, /*intra=*/true, region ? region->data() : nullptr);
  search_all(search, map, map, p, coarse, opt.rounds);

  Edges e;
  e.nodes = Nc;
  e.k = kc + 1;
  e.index.resize(Nc * e.k);
  e.score.resize(Nc * e.k);
  for (int64_t i = 0; i < Nc; ++i) {
    for (int64_t m = 0; m < kc; ++m) {
      const bool empty = search.top.indices(i)[m] == kEmpty;  // a small region, or too few candidates
      e.index[i * e.k + m] = empty ? static_cast<int32_t>(i) : search.top.indices(i)[m];
      e.score[i * e.k + m] = empty ? map.st.self_ncc[i] : search.top.keys(i)[m] + 0.f;
    }
    e.index[i * e.k + kc] = static_cast<int32_t>(i);
    e.score[i * e.k + kc] = map.st.self_ncc[i];
  }
  return e;
}

Edges find_inter_edges(const Tensor& fc, const Tensor& fs, int p, int k, Metric metric, KnnSearch search) {
  return search == KnnSearch::exact ? inter_edges(fc, fs, p, k, metric) : approx_inter_edges(fc, fs, p, k, metric);
}

Edges find_intra_edges(const Tensor& fc, int p, int kc, KnnSearch search, const std::vector<int32_t>* region) {
  return search == KnnSearch::exact ? intra_edges(fc, p, kc, {}, region) : approx_intra_edges(fc, p, kc, region);
}

double edge_recall(const Edges& exact, const Edges& approx, int64_t k) {
  if (exact.nodes != approx.nodes || k > exact.k || k > approx.k)
    throw std::invalid_argument("edge_recall: edge lists of " + std::to_string(exact.nodes) + " and " +
                                std::to_string(approx.nodes) + " nodes, k=" + std::to_string(k));
  int64_t found = 0;
  for (int64_t i = 0; i < exact.nodes; ++i)
    for (int64_t m = 0; m < k; ++m) {
      const int32_t j = exact.source(i, m);
      for (int64_t q = 0; q < k; ++q)
        if (approx.source(i, q) == j) {
          ++found;
          break;
        }
    }
  return exact.nodes * k == 0 ? 1.0 : static_cast<double>(found) / static_cast<double>(exact.nodes * k);
}

}  // namespace gs::graph
