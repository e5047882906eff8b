// Column and Table: storage, builders, concatenation and filtering.
#include "custlens/table.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <algorithm>

#include "custlens/error.h"

namespace custlens {

struct Column::Interner {
  absl::flat_hash_map<std::string, std::uint32_t> codes;
};

std::string_view to_string(ColumnType type) {
  switch (type) {
    case ColumnType::kInt64:
      return "int64";
    case ColumnType::kDouble:
      return "double";
    case ColumnType::kTimestamp:
      return "timestamp";
    case ColumnType::kString:
      return "string";
    case ColumnType::kBool:
      return "bool";
  }
  return "unknown";
}

Column::Column(std::string name, ColumnType type) : name_(std::move(name)), type_(type) {}

Column::Column(const Column& other)
    : name_(other.name_),
      type_(other.type_),
      size_(other.size_),
      null_count_(other.null_count_),
      validity_(other.validity_),
      ints_(other.ints_),
      doubles_(other.doubles_),
      codes_(other.codes_),
      dictionary_(other.dictionary_) {}

Column& Column::operator=(const Column& other) {
  if (this != &other) {
    Column copy(other);
    *this = std::move(copy);
  }
  return *this;
}

Column::Column(Column&&) noexcept = default;
Column& Column::operator=(Column&&) noexcept = default;
Column::~Column() = default;

double Column::number_at(std::size_t row) const {
  if (type_ == ColumnType::kDouble) return doubles_[row];
  if (type_ == ColumnType::kString) throw Error(fmt::format("column '{}' is not numeric", name_));
  return static_cast<double>(ints_[row]);
}

void Column::mark_valid() {
  if ((size_ & 63) == 0) validity_.push_back(0);
  validity_[size_ >> 6] |= std::uint64_t{1} << (size_ & 63);
}

void Column::append_null() {
  if ((size_ & 63) == 0) validity_.push_back(0);
  switch (type_) {
    case ColumnType::kDouble:
      doubles_.push_back(0.0);
      break;
    case ColumnType::kString:
      // Null rows point at a valid dictionary entry so that string_at never reads past the end.
      codes_.push_back(dictionary_.empty() ? intern("") : 0);
      break;
    default:
      ints_.push_back(0);
      break;
  }
  ++size_;
  ++null_count_;
}

void Column::append_int(std::int64_t value) {
  if (type_ == ColumnType::kDouble) {
    append_double(static_cast<double>(value));
    return;
  }
  mark_valid();
  ints_.push_back(value);
  ++size_;
}

void Column::append_double(double value) {
  mark_valid();
  doubles_.push_back(value);
  ++size_;
}

std::uint32_t Column::intern(std::string_view value) {
  if (!interner_) {
    interner_ = std::make_unique<Interner>();
    for (std::uint32_t i = 0; i < dictionary_.size(); ++i)
      interner_->codes.emplace(dictionary_[i], i);
  }
  // Debian's abseil is built with its own string_view type, not std::string_view.
  auto it = interner_->codes.find(absl::string_view(value.data(), value.size()));
  if (it != interner_->codes.end()) return it->second;
  auto code = static_cast<std::uint32_t>(dictionary_.size());
  dictionary_.emplace_back(value);
  interner_->codes.emplace(dictionary_.back(), code);
  return code;
}

void Column::append_string(std::string_view value) {
  std::uint32_t code = intern(value);
  mark_valid();
  codes_.push_back(code);
  ++size_;
}

void Column::reserve(std::size_t rows) {
  validity_.reserve((rows + 63) / 64);
  switch (type_) {
    case ColumnType::kDouble:
      doubles_.reserve(rows);
      break;
    case ColumnType::kString:
      codes_.reserve(rows);
      break;
    default:
      ints_.reserve(rows);
      break;
  }
}

void Column::grow_for(std::size_t extra) {
  // Geometric growth: reserving the exact size on every append would copy the column each time.
  std::size_t capacity = type_ == ColumnType::kDouble   ? doubles_.capacity()
                         : type_ == ColumnType::kString ? codes_.capacity()
                                                        : ints_.capacity();
  if (size_ + extra > capacity) reserve(std::max(size_ + extra, capacity * 2));
}

void Column::append_column(const Column& other) {
  if (other.type_ != type_) {
    throw Error(fmt::format("cannot append {} column '{}' to {} column '{}'",
                            to_string(other.type_), other.name_, to_string(type_), name_));
  }
  std::vector<std::uint32_t> remap;
  if (type_ == ColumnType::kString) {
    remap.resize(other.dictionary_.size());
    for (std::uint32_t i = 0; i < other.dictionary_.size(); ++i) {
      remap[i] = intern(other.dictionary_[i]);
    }
  }
  grow_for(other.size_);
  for (std::size_t row = 0; row < other.size_; ++row) {
    if (other.is_null(row)) {
      append_null();
      continue;
    }
    switch (type_) {
      case ColumnType::kDouble:
        append_double(other.doubles_[row]);
        break;
      case ColumnType::kString:
        mark_valid();
        codes_.push_back(remap[other.codes_[row]]);
        ++size_;
        break;
      default:
        mark_valid();
        ints_.push_back(other.ints_[row]);
        ++size_;
        break;
    }
  }
}

Column Column::filter(std::span<const std::uint8_t> keep) const {
  Column out(name_, type_);
  out.dictionary_ = dictionary_;
  for (std::size_t row = 0; row < size_; ++row) {
    if (!keep[row]) continue;
    if (is_null(row)) {
      out.append_null();
      continue;
    }
    out.mark_valid();
    switch (type_) {
      case ColumnType::kDouble:
        out.doubles_.push_back(doubles_[row]);
        break;
      case ColumnType::kString:
        out.codes_.push_back(codes_[row]);
        break;
      default:
        out.ints_.push_back(ints_[row]);
        break;
    }
    ++out.size_;
  }
  return out;
}

int Table::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name() == name) return static_cast<int>(i);
  }
  return -1;
}

const Column* Table::find(std::string_view name) const {
  int i = index_of(name);
  return i < 0 ? nullptr : &columns_[static_cast<std::size_t>(i)];
}

void Table::add_column(Column column) {
  if (index_of(column.name()) >= 0) {
    throw Error(fmt::format("duplicate column name '{}'", column.name()));
  }
  if (!columns_.empty() && column.size() != num_rows()) {
    throw Error(fmt::format("column '{}' has {} rows, table has {}", column.name(), column.size(),
                            num_rows()));
  }
  columns_.push_back(std::move(column));
}

Table Table::filter(std::span<const std::uint8_t> keep) const {
  Table out;
  for (const Column& column : columns_) out.columns_.push_back(column.filter(keep));
  return out;
}

}  // namespace custlens
