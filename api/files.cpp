// graphstyle::write_file over the library's atomic writes (data/atomic_file.h).
#include "graphstyle/files.hpp"

#include <fstream>
#include <stdexcept>

#include "api/convert.h"
#include "data/atomic_file.h"

namespace graphstyle {

void write_file(const std::string& path, const std::string& bytes) {
  detail::translate([&] {
    gs::data::AtomicFile file(path);
    {
      std::ofstream out(file.temp_path(), std::ios::binary);
      out << bytes;
      out.flush();
      if (!out) throw std::runtime_error(path + ": cannot write (disk full?)");
    }
    file.commit();
  });
}

}  // namespace graphstyle
