#!/usr/bin/env bash
# The command line (tools/) and the HTTP service (server/) are clients of the public API: their files
# include <graphstyle/...> headers, standard and system headers, and files of their own folder
# (server/ also for tools/, whose `serve` runs it); never the library's insides (tensor/, models/, ...).
#   usage: test_public_includes.sh path/to/source
set -u
SRC=$1
INTERNAL='tensor|autograd|nn|graph|arch|models|train|data|eval|api'
bad=$(cd "$SRC" && {
  # Quoted includes: only the folder's own files (and server/ from tools/).
  grep -rnE --include='*.cpp' --include='*.h' '^\s*#\s*include\s*"' tools | grep -vE '#\s*include\s*"(tools|server)/'
  grep -rnE --include='*.cpp' --include='*.h' '^\s*#\s*include\s*"' server | grep -vE '#\s*include\s*"server/'
  # Angle brackets: anything but the library's own folders.
  grep -rnE --include='*.cpp' --include='*.h' "^\s*#\s*include\s*<($INTERNAL)/" tools server
})
if [ -n "$bad" ]; then
  echo "FAIL: $(wc -l <<<"$bad") includes of the library's internal headers in tools/ or server/ (use the public API, include/graphstyle/):"
  echo "$bad"
  exit 1
fi
echo "OK: tools/ and server/ include only public headers, system headers and their own files"
