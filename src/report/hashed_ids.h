// --hash-ids: customer ids replaced by a keyed hash (HMAC-SHA256 with a salt) in every export.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "custlens/ingest.h"
#include "custlens/outliers.h"
#include "custlens/profile_table.h"
#include "custlens/rfm.h"
#include "report/summary.h"

namespace custlens::report {

/// Hex digits kept of the 64-digit HMAC: 80 bits, so that among n = 10^7 ids the chance of any
/// collision is about n^2 / 2^81 = 4e-11.
inline constexpr std::size_t kHashedIdDigits = 20;

/// HMAC-SHA256 keyed with a salt (OpenSSL libcrypto). Not thread-safe: copy it per thread.
class IdHasher {
 public:
  /// Throws custlens::Error for an empty salt.
  explicit IdHasher(std::string_view salt);
  IdHasher(const IdHasher& other);
  IdHasher& operator=(const IdHasher&) = delete;
  IdHasher(IdHasher&&) noexcept;
  ~IdHasher();

  /// The first kHashedIdDigits lower-case hex digits of HMAC-SHA256(key = salt, message = id).
  std::string hash(std::string_view id);

 private:
  struct Mac;
  std::unique_ptr<Mac> mac_;
};

/// Replaces every customer id of the table by its hash and sorts the table by the hashes, so
/// that the row order says nothing about the original ids (sequential ids tell sign-up order).
void hash_customer_ids(RfmResult& rfm, const IdHasher& hasher);

/// In each reject, replaces the customer field inside content by the hash of its normalised
/// value (blank ids stay blank). Content whose id cannot be located (a row that was not split
/// into fields) is withheld, and the detail says so.
void hash_reject_ids(std::span<Reject> rejects, IdHasher& hasher);

/// Replaces the customer id of every outlier example (line and customer fields) by its hash.
void hash_outlier_ids(OutlierAudit& outliers, IdHasher& hasher);

/// Every customer id the results hold (the customer table, sorted by hash as above; the outlier
/// examples), so that summary_to_json and the sinks write no raw id. Rejects are hashed as the
/// scan hands them on (hash_reject_ids).
void hash_summary_ids(Summary& summary, IdHasher& hasher);

/// The customer ids of a profile table, in place (row order kept: the analysis refers to rows).
void hash_profile_ids(ProfileTable& table, IdHasher& hasher);

}  // namespace custlens::report
