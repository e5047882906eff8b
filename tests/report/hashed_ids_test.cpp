// Tests of src/report/hashed_ids.cpp: HMAC-SHA256 against RFC 4231 and the Python reference
// (tests/reference/hashed_ids_reference.py), and the hashing of customer tables and rejects.
#include "report/hashed_ids.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "custlens/error.h"
#include "support/order_csv.h"

namespace custlens::report {
namespace {

TEST(IdHasherTest, MatchesRfc4231TestCases) {
  // RFC 4231 test cases 1 and 2, truncated to kHashedIdDigits.
  IdHasher case1(std::string(20, '\x0b'));
  EXPECT_EQ(
      case1.hash("Hi There"),
      std::string("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da7").substr(0, kHashedIdDigits));
  IdHasher case2("Jefe");
  const std::string expected =
      std::string("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
          .substr(0, kHashedIdDigits);
  EXPECT_EQ(case2.hash("what do ya want for nothing?"), expected);
  // The context is re-initialised between ids: the same id hashes the same, before and after.
  EXPECT_NE(case2.hash("another id"), expected);
  EXPECT_EQ(case2.hash("what do ya want for nothing?"), expected);
  IdHasher copy(case2);
  EXPECT_EQ(copy.hash("what do ya want for nothing?"), expected);
}

TEST(IdHasherTest, MatchesThePythonReference) {
  const auto records = testing::parse_csv(
      testing::read_file(std::string(CUSTLENS_REFERENCE_DIR) + "/golden/hashed_ids/hashes.csv"));
  ASSERT_GT(records.size(), 10u);
  ASSERT_EQ(records[0], (std::vector<std::string>{"salt", "customer_id", "hash"}));
  std::set<std::string> salts;
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto& record = records[i];
    ASSERT_EQ(record.size(), 3u);
    salts.insert(record[0]);
    IdHasher hasher(record[0]);
    EXPECT_EQ(hasher.hash(record[1]), record[2]) << "salt '" << record[0] << "', id " << record[1];
  }
  EXPECT_EQ(salts.size(), 2u);
}

TEST(IdHasherTest, SaltChangesEveryHashAndMustNotBeEmpty) {
  IdHasher a("salt-a"), b("salt-b");
  for (const char* id : {"17850", "13047", "客户_0001"}) {
    std::string hash = a.hash(id);
    EXPECT_EQ(hash.size(), kHashedIdDigits);
    EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos) << hash;
    EXPECT_NE(hash, b.hash(id));
  }
  EXPECT_THROW(IdHasher(""), Error);
}

TEST(HashCustomerIdsTest, ReplacesIdsAndSortsByHash) {
  RfmResult rfm;
  rfm.segments.push_back(SegmentSummary{});
  for (const char* id : {"12347", "13047", "17850", "18102"}) {
    CustomerRfm customer;
    customer.customer_id = id;
    customer.monetary = std::stod(id);  // follows the row through the sort
    rfm.customers.push_back(customer);
  }
  IdHasher hasher("s");
  hash_customer_ids(rfm, hasher);
  IdHasher check("s");
  for (std::size_t i = 0; i < rfm.customers.size(); ++i) {
    const CustomerRfm& customer = rfm.customers[i];
    EXPECT_EQ(customer.customer_id,
              check.hash(fmt::format("{}", static_cast<std::int64_t>(customer.monetary))));
    if (i > 0) {
      EXPECT_LT(rfm.customers[i - 1].customer_id, customer.customer_id);
    }
  }
}

TEST(HashCustomerIdsTest, LargeTablesHashInParallelToTheSameIds) {
  RfmResult rfm;
  rfm.segments.push_back(SegmentSummary{});
  constexpr int kCustomers = 40000;  // above the threshold for parallel hashing
  for (int i = 0; i < kCustomers; ++i) {
    CustomerRfm customer;
    customer.customer_id = fmt::format("c{:06}", i);
    customer.frequency = i;
    rfm.customers.push_back(customer);
  }
  hash_customer_ids(rfm, IdHasher("s"));
  IdHasher check("s");
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < rfm.customers.size(); ++i) {
    const CustomerRfm& customer = rfm.customers[i];
    ASSERT_EQ(customer.customer_id, check.hash(fmt::format("c{:06}", customer.frequency)));
    if (i > 0) {
      ASSERT_LT(rfm.customers[i - 1].customer_id, customer.customer_id);
    }
    seen.insert(customer.frequency);
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kCustomers));
}

Reject located(std::string content, std::size_t begin, std::size_t end) {
  Reject reject;
  reject.rule = "cancelled";
  reject.content = std::move(content);
  reject.id_begin = begin;
  reject.id_end = end;
  return reject;
}

TEST(HashRejectIdsTest, ReplacesTheLocatedIdWithTheHashOfItsNormalForm) {
  IdHasher hasher("s");
  const std::string hash = IdHasher("s").hash("17850");
  std::vector<Reject> rejects = {
      located("C1,17850.0,2011-01-01 10:00:00,-1,2.5", 3, 10),
      located("C1, 17850 ,x", 3, 10),
      located("C1,   ,x", 3, 6),  // a blank id stays blank
      located("C1,,x", 3, 3),
  };
  hash_reject_ids(rejects, hasher);
  EXPECT_EQ(rejects[0].content, "C1," + hash + ",2011-01-01 10:00:00,-1,2.5");
  EXPECT_EQ(rejects[0].id_end - rejects[0].id_begin, kHashedIdDigits);
  EXPECT_EQ(rejects[1].content, "C1," + hash + ",x");
  EXPECT_EQ(rejects[2].content, "C1,   ,x");
  EXPECT_EQ(rejects[3].content, "C1,,x");
  for (const Reject& reject : rejects) EXPECT_EQ(reject.detail, "");
}

TEST(HashRejectIdsTest, WithholdsContentWhoseIdCannotBeLocated) {
  IdHasher hasher("s");
  Reject ragged;
  ragged.rule = "malformed";
  ragged.detail = "expected 8 fields, found 7";
  ragged.content = "536381,17850,WHITE MUG";
  Reject empty;
  empty.rule = "malformed";
  empty.detail = "expected 8 fields, found 1";
  std::vector<Reject> rejects = {ragged, empty};
  hash_reject_ids(rejects, hasher);
  EXPECT_EQ(rejects[0].content, "");
  EXPECT_NE(rejects[0].detail.find("expected 8 fields, found 7; content withheld (--hash-ids)"),
            std::string::npos)
      << rejects[0].detail;
  EXPECT_EQ(rejects[1].detail, "expected 8 fields, found 1");  // nothing was withheld
}

}  // namespace
}  // namespace custlens::report
