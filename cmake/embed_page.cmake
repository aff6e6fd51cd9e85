# Writes OUT, a C++ file defining gs::server::kIndexHtml as the text of IN (cmake -P).
file(READ ${IN} page)
string(FIND "${page}" ")graphstyle_page\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw string's closing delimiter")
endif()
file(WRITE ${OUT}.tmp "// Generated from server/page/index.html by cmake/embed_page.cmake.\n#include \"server/page.h\"\nnamespace gs::server {\nconst char* const kIndexHtml = R\"graphstyle_page(${page})graphstyle_page\";\n}\n")
file(RENAME ${OUT}.tmp ${OUT})
