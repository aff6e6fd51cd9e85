// The explorer page served at / (server/page/index.html, embedded at build time).
#pragma once

namespace gs::server {
extern const char* const kIndexHtml;
}
