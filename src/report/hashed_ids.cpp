// Keyed hashes of customer ids (OpenSSL EVP_MAC HMAC-SHA256) and their use in the customer table
// and the rejects.
#include "report/hashed_ids.h"

#include <fmt/format.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>

#include "custlens/clean.h"
#include "custlens/error.h"

namespace custlens::report {
namespace {

// Below this many customers hashing runs on the calling thread.
constexpr std::size_t kParallelHashMin = 1 << 14;

[[noreturn]] void fail_openssl(std::string_view step) {
  std::array<char, 256> reason{};
  ERR_error_string_n(ERR_get_error(), reason.data(), reason.size());
  throw Error(fmt::format("cannot compute HMAC-SHA256 ({}): {}", step, reason.data()));
}

}  // namespace

struct IdHasher::Mac {
  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* ctx = nullptr;
  ~Mac() {
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
  }
};

IdHasher::IdHasher(std::string_view salt) : mac_(std::make_unique<Mac>()) {
  if (salt.empty()) throw Error("the salt of --hash-ids must not be empty");
  mac_->mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac_->mac == nullptr) fail_openssl("fetch HMAC");
  mac_->ctx = EVP_MAC_CTX_new(mac_->mac);
  if (mac_->ctx == nullptr) fail_openssl("new context");
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(mac_->ctx, reinterpret_cast<const unsigned char*>(salt.data()), salt.size(),
                   params) != 1) {
    fail_openssl("set key");
  }
}

IdHasher::IdHasher(const IdHasher& other) : mac_(std::make_unique<Mac>()) {
  if (EVP_MAC_up_ref(other.mac_->mac) != 1) fail_openssl("share HMAC");
  mac_->mac = other.mac_->mac;
  mac_->ctx = EVP_MAC_CTX_dup(other.mac_->ctx);
  if (mac_->ctx == nullptr) fail_openssl("copy context");
}

IdHasher::IdHasher(IdHasher&&) noexcept = default;
IdHasher::~IdHasher() = default;

std::string IdHasher::hash(std::string_view id) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  std::size_t size = 0;
  // A null key re-initialises the context with the key it already holds.
  if (EVP_MAC_init(mac_->ctx, nullptr, 0, nullptr) != 1 ||
      EVP_MAC_update(mac_->ctx, reinterpret_cast<const unsigned char*>(id.data()), id.size()) !=
          1 ||
      EVP_MAC_final(mac_->ctx, digest.data(), &size, digest.size()) != 1) {
    fail_openssl("hash");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(kHashedIdDigits, '0');
  for (std::size_t i = 0; i < kHashedIdDigits; ++i) {
    const unsigned char byte = digest[i / 2];
    hex[i] = kHex[i % 2 == 0 ? byte >> 4 : byte & 0x0F];
  }
  return hex;
}

void hash_customer_ids(RfmResult& rfm, const IdHasher& hasher) {
  std::vector<CustomerRfm>& customers = rfm.customers;
  auto hash_range = [&](std::size_t begin, std::size_t end) {
    IdHasher own(hasher);
    for (std::size_t i = begin; i < end; ++i) {
      customers[i].customer_id = own.hash(customers[i].customer_id);
    }
  };
  if (customers.size() < kParallelHashMin) {
    hash_range(0, customers.size());
  } else {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, customers.size(), kParallelHashMin / 4),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        hash_range(range.begin(), range.end());
                      });
  }
  // Stable: two ids with one hash (odds in the header) keep the order of the original ids.
  std::stable_sort(
      customers.begin(), customers.end(),
      [](const CustomerRfm& a, const CustomerRfm& b) { return a.customer_id < b.customer_id; });
}

void hash_reject_ids(std::span<Reject> rejects, IdHasher& hasher) {
  for (Reject& reject : rejects) {
    if (reject.id_begin == Reject::kNotLocated || reject.id_end > reject.content.size()) {
      if (reject.content.empty()) continue;
      reject.content.clear();
      reject.id_begin = reject.id_end = Reject::kNotLocated;
      if (!reject.detail.empty()) reject.detail += "; ";
      reject.detail +=
          "content withheld (--hash-ids): the customer id cannot be located in this row's text";
      continue;
    }
    const std::size_t size = reject.id_end - reject.id_begin;
    const std::string id =
        normalise_customer_id(std::string_view(reject.content).substr(reject.id_begin, size));
    if (id.empty()) continue;
    reject.content.replace(reject.id_begin, size, hasher.hash(id));
    reject.id_end = reject.id_begin + kHashedIdDigits;
  }
}

void hash_outlier_ids(OutlierAudit& outliers, IdHasher& hasher) {
  for (OutlierField& field : outliers.fields) {
    for (OutlierExample& example : field.examples) {
      if (!example.customer_id.empty()) example.customer_id = hasher.hash(example.customer_id);
    }
  }
}

void hash_summary_ids(Summary& summary, IdHasher& hasher) {
  hash_customer_ids(summary.rfm, hasher);
  hash_outlier_ids(summary.audit.outliers, hasher);
}

void hash_profile_ids(ProfileTable& table, IdHasher& hasher) {
  for (std::string& id : table.customer_id) id = hasher.hash(id);
}

}  // namespace custlens::report
