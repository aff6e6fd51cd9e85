#!/usr/bin/env python3
"""Stylize one image through graphstyle's C API with ctypes (Debian's python3, nothing else):
    python3 stylize.py LIBGRAPHSTYLE.so MODEL.h5 CONTENT STYLE OUT.png"""
import ctypes
import sys

if len(sys.argv) != 6:
    sys.exit(f"usage: {sys.argv[0]} LIBGRAPHSTYLE.so MODEL.h5 CONTENT STYLE OUT.png")
lib_path, model_path, content_path, style_path, out_path = sys.argv[1:]
gs = ctypes.CDLL(lib_path)
gs.graphstyle_version.restype = ctypes.c_char_p
gs.graphstyle_last_error.restype = ctypes.c_char_p
u8p = ctypes.POINTER(ctypes.c_uint8)


def check(status):
    if status != 0:
        sys.exit(f"error ({status}): {gs.graphstyle_last_error().decode()}")


def load(path):
    pixels, w, h = u8p(), ctypes.c_int(), ctypes.c_int()
    check(gs.graphstyle_image_load_rgb8(path.encode(), ctypes.byref(pixels), ctypes.byref(w), ctypes.byref(h)))
    return pixels, w.value, h.value


model, options, context = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p()
check(gs.graphstyle_model_load(model_path.encode(), ctypes.byref(model)))
check(gs.graphstyle_options_create(model, ctypes.byref(options)))
check(gs.graphstyle_options_set_float(options, b"alpha", ctypes.c_float(0.9)))
check(gs.graphstyle_context_create(ctypes.byref(context)))
content, cw, ch = load(content_path)
style, sw, sh = load(style_path)
out = (ctypes.c_uint8 * (cw * ch * 3))()
check(gs.graphstyle_stylize_rgb8(model, context, options, content, cw, ch, style, sw, sh, out))
check(gs.graphstyle_image_save_rgb8(out_path.encode(), out, cw, ch))
print(f"graphstyle {gs.graphstyle_version().decode()} (python): {cw}x{ch} -> {out_path}")
for buffer in (content, style):
    gs.graphstyle_free(buffer)
gs.graphstyle_context_free(context)
gs.graphstyle_options_free(options)
gs.graphstyle_model_free(model)
