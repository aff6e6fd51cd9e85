// Temporal smoothing of stylized video frames, in image space (beyond MODEL.md; issue 14).
// A stylizer run on each frame alone flickers: the same scene point is painted a little differently
// in every frame. Following the simplest form of "blind video temporal consistency" (Bonneel et al.
// 2015, Lai et al. 2018), each output is pulled towards the previous output moved along the optical
// flow of the *content* frames, wherever that flow is trustworthy:
//   out_t(x) = (1 - w) stylized_t(x) + w out_{t-1}(x + b(x))   where b passes the consistency check,
//   out_t(x) = stylized_t(x)                                     elsewhere (occlusions, new borders),
// with b the backward flow (frame_t(x) ~ frame_{t-1}(x + b(x))) and f the forward flow. The check is
// Ruder et al.'s (2016): |b(x) + f(x + b(x))|^2 <= 0.01 (|b|^2 + |f|^2) + 0.5. Because out_{t-1} is
// itself smoothed, the pull is a running average along motion paths, which is what damps flicker.
// The flow is OpenCV's DIS (Kroeger et al. 2016): a well-tested dense flow we do not write by hand.
#pragma once

namespace gs::video {

// previous_frame, frame: the content frames; previous_output: the previous smoothed output; output:
// this frame's stylization, smoothed in place. All [H,W,3] RGB floats in [0, 1], one size.
// weight in [0, 1): the pull towards the previous output. Returns the share of pixels that were pulled.
double blend_with_previous(const float* previous_frame, const float* frame, const float* previous_output, float* output,
                           int width, int height, float weight);

}  // namespace gs::video
