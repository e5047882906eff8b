// SHA-256 of an input file, as the run store records it (docs/store.md).
#pragma once

#include <filesystem>
#include <string>

namespace custlens::io {

/// The lower-case hex SHA-256 of the file's bytes (OpenSSL EVP). Throws custlens::Error when it
/// cannot be read.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace custlens::io
