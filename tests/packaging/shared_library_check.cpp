// Linked into a shared object with the whole of custlens_core (CMakeLists.txt,
// custlens_shared_library_check): the link fails when an object of the library is not
// position-independent, which a Python extension module over include/custlens will need.
#include "custlens/lang.h"

extern "C" int custlens_shared_library_check() {
  return static_cast<int>(custlens::parse_lang("zh"));
}
