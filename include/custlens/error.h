// The one exception type of custlens: a message fit to show a user as it is.
#pragma once

#include <stdexcept>
#include <string>

namespace custlens {

/// An error the user can act on; the CLI prints what() on one line and exits non-zero.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace custlens
