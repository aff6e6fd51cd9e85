// Colour controls around a stylization (pure image functions; no model needed).
//   preserve colour (pytorch-AdaIN's --preserve_color): match_colors(style, content) gives the style
//     the content's RGB mean and covariance before stylizing.
//   luminance-only transfer (Gatys et al. 2017, "Controlling perceptual factors"): stylize the
//     luminance images (to_luminance, the style's matched to the content's mean and deviation by
//     match_luminance), then with_chrominance(output, content) puts the content's colours back.
#pragma once
#include "graphstyle/export.h"
#include "graphstyle/image.hpp"

GRAPHSTYLE_EXPORT_BEGIN
namespace graphstyle {

// `source` with its RGB mean and covariance moved to `target`'s (a linear map of the colours;
// the result is clamped to [0, 1]).
Image match_colors(const Image& source, const Image& target);

// Grey image (Y, Y, Y), Y the luma of YIQ (0.299 R + 0.587 G + 0.114 B).
Image to_luminance(const Image& image);

// to_luminance(source) with its mean and deviation moved to those of target's luminance.
Image match_luminance(const Image& source, const Image& target);

// The luminance (Y) of `luminance` with the chrominance (I, Q of YIQ) of `chrominance`; same sizes.
Image with_chrominance(const Image& luminance, const Image& chrominance);

}  // namespace graphstyle
GRAPHSTYLE_EXPORT_END
