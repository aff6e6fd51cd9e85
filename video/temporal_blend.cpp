#include "video/temporal_blend.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

#include <algorithm>
#include <cmath>

namespace gs::video {
namespace {

// rgb: [H,W,3] in [0, 1] -> [H,W] 8-bit luma (DIS works on 8-bit grey images).
cv::Mat grey8(const float* rgb, int width, int height) {
  cv::Mat g(height, width, CV_8U);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const float* p = rgb + 3 * (static_cast<size_t>(y) * width + x);
      const float luma = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
      g.at<uint8_t>(y, x) = static_cast<uint8_t>(std::clamp(luma * 255.f + 0.5f, 0.f, 255.f));
    }
  return g;
}

// from, to: [H,W] grey -> [H,W] (dx, dy) with from(x) ~ to(x + d(x)).
cv::Mat dense_flow(const cv::Mat& from, const cv::Mat& to) {
  cv::Ptr<cv::DISOpticalFlow> dis = cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_MEDIUM);
  cv::Mat flow;
  dis->calc(from, to, flow);
  return flow;
}

}  // namespace

double blend_with_previous(const float* previous_frame, const float* frame, const float* previous_output, float* output,
                           int width, int height, float weight) {
  const cv::Mat g_prev = grey8(previous_frame, width, height), g_now = grey8(frame, width, height);
  const cv::Mat back = dense_flow(g_now, g_prev), forward = dense_flow(g_prev, g_now);

  // Where each pixel of this frame was in the previous one.
  cv::Mat map_x(height, width, CV_32F), map_y(height, width, CV_32F);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const cv::Vec2f b = back.at<cv::Vec2f>(y, x);
      map_x.at<float>(y, x) = static_cast<float>(x) + b[0];
      map_y.at<float>(y, x) = static_cast<float>(y) + b[1];
    }
  // The forward flow and the previous output, both sampled at those places (bilinear).
  cv::Mat forward_there, warped;
  cv::remap(forward, forward_there, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  // cv::Mat over const data: remap only reads its source.
  const cv::Mat previous(height, width, CV_32FC3, const_cast<float*>(previous_output));
  cv::remap(previous, warped, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_REPLICATE);

  size_t pulled = 0;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const float px = map_x.at<float>(y, x), py = map_y.at<float>(y, x);
      if (px < 0.f || py < 0.f || px > static_cast<float>(width - 1) || py > static_cast<float>(height - 1)) continue;
      const cv::Vec2f b = back.at<cv::Vec2f>(y, x), f = forward_there.at<cv::Vec2f>(y, x);
      const float round_trip = (b[0] + f[0]) * (b[0] + f[0]) + (b[1] + f[1]) * (b[1] + f[1]);
      if (round_trip > 0.01f * (b.dot(b) + f.dot(f)) + 0.5f) continue;  // occluded or unreliable
      float* o = output + 3 * (static_cast<size_t>(y) * width + x);
      const cv::Vec3f w = warped.at<cv::Vec3f>(y, x);
      for (int c = 0; c < 3; ++c) o[c] = (1.f - weight) * o[c] + weight * w[c];
      ++pulled;
    }
  return static_cast<double>(pulled) / (static_cast<double>(width) * height);
}

}  // namespace gs::video
