#include "graph/attention.h"

#include <stdexcept>

#include "autograd/ops.h"
#include "graph/deform_sample.h"
#include "graph/patches.h"
#include "autograd/profiler.h"

namespace gs::graph {

namespace {
// f: [N,C,H,W], v: [1,C] -> [N,1,H,W] = sum_c v[c] f[:,c]: one [1,C] x [C,HW] product per image.
ag::Variable channel_dot(const ag::Variable& f, const ag::Variable& v) {
  ag::ForwardTimer timer(ag::Op::channel_dot);
  const int64_t N = f.size(0), C = f.size(1), H = f.size(2), W = f.size(3);
  const Tensor x = f.value().contiguous();
  Tensor out = Tensor::empty({N, 1, H, W});
  for (int64_t n = 0; n < N; ++n)
    out.select(0, n).view({1, H * W}).copy_from(gs::matmul(v.value(), x.select(0, n).view({C, H * W})));
  return ag::Variable::make_output(ag::Op::channel_dot, out, {f, v}, [N, C, H, W](std::vector<ag::Variable>& in, const Tensor& g_any) {
    const Tensor g = g_any.contiguous();
    const Tensor x = in[0].value().contiguous();
    if (in[0].requires_grad()) {
      Tensor df = Tensor::empty(x.shape());
      for (int64_t n = 0; n < N; ++n)  // df_n = v^T g_n
        df.select(0, n).view({C, H * W}).copy_from(gs::matmul(in[1].value(), g.select(0, n).view({1, H * W}), true));
      in[0].add_grad(df);
    }
    if (in[1].requires_grad()) {
      Tensor dv = Tensor::zeros({1, C});  // dv = sum_n g_n x_n^T
      for (int64_t n = 0; n < N; ++n)
        add_(dv, gs::matmul(g.select(0, n).view({1, H * W}), x.select(0, n).view({C, H * W}), false, true));
      in[1].add_grad(dv);
    }
  });
}

ag::Variable uniform_attention(int64_t n, int64_t nodes, int64_t k) {
  return ag::Variable(Tensor::full({n, nodes, k}, 1.f / static_cast<float>(k)), false);
}
}  // namespace

const char* to_string(Aggregator a) {
  switch (a) {
    case Aggregator::mean: return "mean";
    case Aggregator::gin: return "gin";
    case Aggregator::edgeconv: return "edgeconv";
    case Aggregator::sage: return "sage";
    default: return "gat";
  }
}

Aggregator parse_aggregator(const std::string& name) {
  for (Aggregator a : {Aggregator::gat, Aggregator::mean, Aggregator::gin, Aggregator::edgeconv, Aggregator::sage})
    if (name == to_string(a)) return a;
  throw std::invalid_argument("aggregator must be gat, mean, gin, edgeconv or sage, got '" + name + "'");
}

// f: [N,C,H,W], W: [d,C], a: [d] -> [N,1,H,W]
ag::Variable score_map(const ag::Variable& f, const ag::Variable& W, const ag::Variable& a) {
  if (f.dim() != 4 || W.dim() != 2 || a.dim() != 1 || W.size(1) != f.size(1) || W.size(0) != a.size(0))
    throw std::invalid_argument("score_map needs f [N,C,H,W], W [d,C], a [d]; got f " + shape_str(f.shape()) + ", W " +
                                shape_str(W.shape()) + ", a " + shape_str(a.shape()));
  return channel_dot(f, ag::matmul(ag::reshape(a, {1, a.size(0)}), W));  // (a^T W) f
}

// q: [N,Nc], key: [N,Nc,k] -> [N,Nc,k]
ag::Variable edge_softmax(const ag::Variable& q, const ag::Variable& key) {
  if (key.dim() != 3 || q.shape() != Shape{key.size(0), key.size(1)})
    throw std::invalid_argument("edge_softmax needs q [N,Nc] and key [N,Nc,k], got q " + shape_str(q.shape()) +
                                ", key " + shape_str(key.shape()));
  ag::Variable e = ag::add(ag::reshape(q, {q.size(0), q.size(1), 1}), key);
  return ag::softmax(ag::leaky_relu(e, kLeakySlope), 2);
}

ag::Variable inter_attention(const ag::Variable& fc, const ag::Variable& fs, const EdgeList& edges,
                             const ag::Variable& s, const ag::Variable& Wc, const ag::Variable& Ws,
                             const ag::Variable& ac, const ag::Variable& as, int64_t p, Aggregator aggregator) {
  if (fc.dim() != 4) throw std::invalid_argument("inter_attention: fc must be [N,C,H,W], got " + shape_str(fc.shape()));
  const PatchGrid content = patch_grid(fc.size(2), fc.size(3), p, "inter_attention: fc " + shape_str(fc.shape()));
  if (edges.n != fc.size(0) || edges.nodes != content.nodes())
    throw std::invalid_argument("inter_attention: edges " + shape_str(edges.shape()) + " do not fit fc " +
                                shape_str(fc.shape()) + " with p = " + std::to_string(p) + " (" +
                                std::to_string(content.nodes()) + " nodes)");
  if (aggregator == Aggregator::mean) return uniform_attention(edges.n, edges.nodes, edges.k);
  const ag::Variable q = patch_mean(score_map(fc, Wc, ac), p);                      // [N,Nc]
  const ag::Variable samples = deform_sample(score_map(fs, Ws, as), edges, s, p);  // [N,Nc,k,1,p,p]
  const ag::Variable key = ag::mean(ag::reshape(samples, {edges.n, edges.nodes, edges.k, p * p}), {3});
  return edge_softmax(q, key);
}

ag::Variable intra_attention(const ag::Variable& f1, const EdgeList& edges, const ag::Variable& Wk,
                             const ag::Variable& aq, const ag::Variable& ak, int64_t p, Aggregator aggregator) {
  if (f1.dim() != 4) throw std::invalid_argument("intra_attention: f1 must be [N,C,H,W], got " + shape_str(f1.shape()));
  const PatchGrid grid = patch_grid(f1.size(2), f1.size(3), p, "intra_attention: f1 " + shape_str(f1.shape()));
  check_edges(edges, f1.size(0), grid.nodes(), grid.nodes(), "intra_attention: f1 " + shape_str(f1.shape()));
  if (aggregator == Aggregator::mean) return uniform_attention(edges.n, edges.nodes, edges.k);
  const ag::Variable q = patch_mean(score_map(f1, Wk, aq), p);    // [N,Nc]
  const ag::Variable all = patch_mean(score_map(f1, Wk, ak), p);  // [N,Nc]: key_j of every node
  Index neighbours{{edges.n, edges.nodes * edges.k}, std::vector<int64_t>(edges.index.begin(), edges.index.end())};
  const ag::Variable key = ag::reshape(ag::gather(all, 1, neighbours), edges.shape());
  return edge_softmax(q, key);
}

}  // namespace gs::graph
